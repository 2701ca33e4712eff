using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Search;

namespace Mbi.Bench.Memorization;

/// <summary>
/// Tree searches of issue #13 item 2 side by side, single thread, on 2^18 synthetic keys shaped like the shipped
/// model's (<see cref="LookupBenchmarks.SyntheticKeys"/>), the array's bit-weighted Hamming, the best kernel path:
/// the paper's single descent of a 32-way tree, and the search chosen on validation (8-way tree, leaves of 16 own keys
/// filled to 32 with 2 spilled neighbours per key, overlapping top 3 splits at 0.1, best first with gap priority under
/// 224 distances). Lookups/s = 1 / (time per lookup); distances/s = lookups/s x the distances per lookup printed at
/// set-up. Each tree is built only for its own benchmark.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class TreeSearchBenchmarks
{
    /// <summary>
    /// In the host process (on the shared 2-core machine the generated project's build passes BenchmarkDotNet's 2-minute
    /// limit), with 30 minutes per benchmark: building the chosen tree (the neighbour search) takes minutes under load.
    /// </summary>
    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() => AddJob(Job.Default.WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true))
            .WithWarmupCount(1).WithIterationCount(5));
    }

    private const int Rows = 1 << 18;
    private const int Queries = 1024;
    private KMeansTree _tree = null!;
    private ulong[][] _queries = null!;

    [GlobalSetup(Target = nameof(SingleDescent))]
    public void SetupSingleDescent() => Setup(new KMeansTreeOptions(), "single descent, 32-way");

    [GlobalSetup(Target = nameof(Chosen))]
    public void SetupChosen() => Setup(new KMeansTreeOptions
    {
        Branching = 8, LeafSize = 16, NeighbourSpill = 2, LeafCapacity = 32, OverlapRatio = 0.1, OverlapLevels = 3, Budget = 224,
    }, "chosen: 8-way, spill 2, overlap 0.1 x 3, gap best first <= 224");

    private void Setup(KMeansTreeOptions options, string name)
    {
        var spec = new GlimpseKeySpec(patchSize: 4, scales: 2, scaleFactor: 3, patchBits: 2, hiddenBits: 64, locationLevels: 15, glimpses: 5);
        var layout = new KeyLayout(spec, KeyMetric.BitWeightedHamming);
        byte[] elements = LookupBenchmarks.SyntheticKeys(layout, Rows + Queries, seed: 1);
        var kernel = new DistanceKernel(layout, new DistanceWeights(1, 1, 1));
        _tree = KMeansTree.Build(kernel, elements.AsSpan(0, Rows * layout.ElementsPerKey), Rows, options);
        int e = layout.ElementsPerKey;
        _queries = new ulong[Queries][];
        long distances = 0;
        for (int q = 0; q < Queries; q++)
        {
            _queries[q] = new ulong[layout.WordsPerKey];
            layout.Encode(elements.AsSpan((Rows + q) * e, e), _queries[q]);
            distances += _tree.Nearest(_queries[q]).DistanceComputations;
        }
        Console.WriteLine($"// {name}: kernel {kernel.Path}, depth {_tree.Depth}, {_tree.StoredKeys} stored keys, {distances / (double)Queries:F1} distances per lookup");
    }

    [Benchmark(Baseline = true, Description = "single descent (paper), per lookup", OperationsPerInvoke = Queries)]
    public long SingleDescent() => Run();

    [Benchmark(Description = "chosen best first <= 224, per lookup", OperationsPerInvoke = Queries)]
    public long Chosen() => Run();

    private long Run()
    {
        long sum = 0;
        for (int q = 0; q < Queries; q++) sum += _tree.Nearest(_queries[q]).Row;
        return sum;
    }
}
