using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.CoSim.Mapping;
using Mbi.Core.Progress;

namespace Mbi.CoSim.Studies;

/// <summary>How to get the lookup table a co-simulation searches.</summary>
public sealed record LookupSetupOptions
{
    /// <summary>A distilled table (`mbi distill`); null: distil one from <see cref="ModelPath"/> in-process.</summary>
    public string? LutPath { get; init; }
    /// <summary>The quantized RAM model (mixed MBI's fallback, and the source when distilling).</summary>
    public string ModelPath { get; init; } = "models/ram-mbi.ram";
    /// <summary>Row budget when distilling here.</summary>
    public int Rows { get; init; } = 100_000;
    /// <summary>Training images distilled (from the start of the seeded training split).</summary>
    public int TrainImages { get; init; } = 55_000;
    /// <summary>MNIST test images classified (from the start of the test set).</summary>
    public int TestImages { get; init; } = 10_000;
    /// <summary>How multi-bit elements are stored in the arrays' columns.</summary>
    public ColumnCoding Coding { get; init; } = ColumnCoding.Binary;
    /// <summary>Distance weights a, b, c; null: the table's own.</summary>
    public DistanceWeights? Weights { get; init; }
    /// <summary>Seed of distillation and of the tree's k-medians.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>
    /// The tree's shape and search (branching, leaf size, spill, best-first budget); its seed is replaced by <see cref="Seed"/>.
    /// Every node must fit one array (at most 32 rows). Default: the paper's 32-way tree, single descent.
    /// </summary>
    public KMeansTreeOptions Tree { get; init; } = new();
    /// <summary>The tree options with <paramref name="seed"/>.</summary>
    public KMeansTreeOptions TreeOptions(ulong seed) => Tree with { Seed = seed };
    /// <summary>MNIST folder; null: $MBI_MNIST, then data/mnist.</summary>
    public string? Mnist { get; init; }
}

/// <summary>
/// Everything a circuit-in-the-loop run needs, built from the other layers in-process: the table (loaded or
/// distilled from the RAM), re-keyed to the metric the arrays compute, the k-means tree over it (nodes of at
/// most 32 keys), its array mapping, the RAM (mixed MBI's fallback) and the MNIST test images.
/// </summary>
public sealed record LookupSetup(LookupTable Table, KMeansTree Tree, MappedTree Mapped, QuantizedRamStepModel Model,
    MnistImages Test, string Source, double SetupSeconds)
{
    /// <summary>The tree options the setup was built with (re-used when another coding needs its own tree).</summary>
    public LookupSetupOptions? Options { get; init; }

    /// <summary>How keys are split over arrays.</summary>
    public ArrayMapping Mapping => Mapped.Mapping;

    /// <summary>Loads (or distils) the table, re-keys it to the arrays' metric, builds the tree and its array mapping, and loads the RAM and the test images.</summary>
    public static LookupSetup Build(LookupSetupOptions options, IProgress<ProgressUpdate>? progress = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var model = QuantizedRamStepModel.Load(options.ModelPath);
        LookupTable lut;
        string source;
        if (options.LutPath is not null)
        {
            lut = LutFile.Read(options.LutPath);
            source = options.LutPath;
        }
        else
        {
            var train = MnistDataset.Load(options.Mnist).Train.SplitValidation(ValidationSplit.DefaultImages, options.Seed).Train;
            train = train.Take(Math.Min(options.TrainImages, train.Count));
            lut = Distiller.Distill(model, train, options.Rows, options.Seed, Path.GetFileName(options.ModelPath), progress).Table;
            source = $"distilled in-process from {options.ModelPath}: {lut.Provenance}";
        }
        var mapping = new ArrayMapping(lut.Spec, options.Coding);
        lut = Rekeyed(lut, options.Coding, options.Weights);
        var kernel = new DistanceKernel(lut.Layout, lut.Weights);
        var tree = KMeansTree.Build(kernel, lut.KeyElements, lut.Rows, options.TreeOptions(options.Seed), progress);
        var test = MnistDataset.LoadTest(options.Mnist);
        test = test.Take(Math.Min(options.TestImages, test.Count));
        return new LookupSetup(lut, tree, new MappedTree(tree, mapping), model, test, source, clock.Elapsed.TotalSeconds) { Options = options };
    }

    /// <summary>
    /// <paramref name="lut"/> as arrays of <paramref name="coding"/> search it: re-keyed to the metric the coding's columns
    /// compute, with <paramref name="weights"/> (null: the table's own). A learned gate is checked against this table
    /// (its <see cref="TableIdentity"/>) before any tree is built.
    /// </summary>
    public static LookupTable Rekeyed(LookupTable lut, ColumnCoding coding, DistanceWeights? weights = null) =>
        lut.With(weights ?? lut.Weights, new ArrayMapping(lut.Spec, coding).Metric);

    /// <summary>The same table and tree mapped with another coding (thermometer vs binary) needs its own tree: the metric differs.</summary>
    public LookupSetup WithCoding(ColumnCoding coding, ulong seed, IProgress<ProgressUpdate>? progress = null)
    {
        var mapping = new ArrayMapping(Table.Spec, coding);
        var lut = Rekeyed(Table, coding);
        var tree = KMeansTree.Build(new DistanceKernel(lut.Layout, lut.Weights), lut.KeyElements, lut.Rows, (Options ?? new LookupSetupOptions()).TreeOptions(seed), progress);
        return this with { Table = lut, Tree = tree, Mapped = new MappedTree(tree, mapping) };
    }
}
