using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Energy;
using Mbi.CoSim.Mapping;
using Mbi.CoSim.Studies;

namespace Mbi.Bench.CoSim;

/// <summary>
/// MBI on the host (measured time per image) beside what the arrays would spend (modeled energy and
/// latency per inference, from ngspice row energy + ADC + logic and the comparisons each search makes):
/// brute force (every LUT row, every split), the k-means tree, and mixed MBI (tree lookups for every image
/// plus the RAM's MACs for the images past the threshold). Exported as Markdown and CSV.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ModeledColumnsConfig))]
public class MbiHardwareBenchmarks
{
    internal const int Images = 100;
    private MbiClassifier _brute = null!;
    private MbiClassifier _tree = null!;
    private QuantizedRamStepModel _ram = null!;
    private global::Mbi.Algorithm.Mnist.MnistImages _test = null!;
    private double _threshold;
    private readonly byte[] _hidden = new byte[256];
    private readonly byte[] _next = new byte[256];
    private readonly byte[] _patch = new byte[256];

    [GlobalSetup]
    public void Setup()
    {
        var setup = ModeledCosts.Setup.Value;
        _test = setup.Test;
        var sensor = new global::Mbi.Algorithm.Ram.QuantizedGlimpseSensor(setup.Table.Spec);
        _brute = new MbiClassifier(setup.Table, sensor, new BruteForceSearch(setup.Table.PackKeys(), setup.Tree.Kernel));
        _tree = new MbiClassifier(setup.Table, sensor, setup.Tree);
        _ram = setup.Model;
        _threshold = ModeledCosts.Threshold;
    }

    [Benchmark(Description = "brute force")]
    public int BruteForce() => Classify(_brute, mixed: false);

    [Benchmark(Description = "tree")]
    public int Tree() => Classify(_tree, mixed: false);

    [Benchmark(Description = "mixed MBI")]
    public int Mixed() => Classify(_tree, mixed: true);

    private int Classify(MbiClassifier classifier, bool mixed)
    {
        int sum = 0;
        for (int i = 0; i < _test.Count; i++)
        {
            var outcome = classifier.Classify(_test.Image(i));
            sum += mixed && outcome.MaxDistance > _threshold ? RunRam(_test.Image(i)) : outcome.Class;
        }
        return sum;
    }

    private int RunRam(ReadOnlySpan<float> image)
    {
        var spec = _ram.Spec;
        var hidden = _hidden.AsSpan(0, spec.HiddenBits);
        var next = _next.AsSpan(0, spec.HiddenBits);
        _ram.InitialState(hidden, out int x, out int y);
        int stepClass = 0;
        for (int t = 0; t < spec.Glimpses; t++)
        {
            _ram.Sensor.Sense(image, x, y, _patch.AsSpan(0, spec.PatchElements));
            _ram.Step(_patch.AsSpan(0, spec.PatchElements), hidden, x, y, next, out x, out y, out stepClass);
            next.CopyTo(hidden);
        }
        return stepClass;
    }
}

/// <summary>The modeled hardware costs per benchmark, computed once in the host process (same seed, same numbers as `mbi energy`).</summary>
internal static class ModeledCosts
{
    public const double Threshold = 5;

    public static readonly Lazy<LookupSetup> Setup = new(() => LookupSetup.Build(new LookupSetupOptions
    {
        ModelPath = Path.Combine(BenchPaths.Root(), "models", "ram-mbi.ram"), Rows = 20000, TrainImages = 10000,
        TestImages = MbiHardwareBenchmarks.Images, Mnist = BenchPaths.Mnist(),
    }));

    private static readonly Lazy<Dictionary<string, (double Joules, double Seconds)>> Values = new(Compute);

    public static (double Joules, double Seconds)? For(string description) =>
        Values.Value.TryGetValue(description, out var v) ? v : null;

    private static Dictionary<string, (double, double)> Compute()
    {
        var setup = Setup.Value;
        var config = EnergyConfig.Load(Path.Combine(BenchPaths.Root(), "config", "energy.json"));
        var comparison = EnergyAccountant.PerComparison(setup.Mapping, config, Technology.Ptm16Lp(), new ArrayDesign(), 1);
        var ram = MbiEvaluation.RunModel(setup.Model, setup.Test);
        var tree = VariationStudy.RunDie(setup, new IdealArrayModel(), -1, ram, Threshold);
        var perTree = EnergyAccountant.PerInference(comparison, setup.Test.Count, tree.Lookups, tree.Levels, tree.RowsScanned, tree.SplitComparisons);
        long lookups = tree.Lookups, rows = setup.Table.Rows;
        var perBrute = EnergyAccountant.PerInference(comparison, setup.Test.Count, lookups, lookups, lookups * rows, lookups * rows * setup.Mapping.SplitCount);
        double ramJoules = TableOne.FallbackJoules(setup.Model.Model.Config, config);
        return new()
        {
            ["brute force"] = (perBrute.EnergyPerInferenceJoules, perBrute.LatencySeconds),
            ["tree"] = (perTree.EnergyPerInferenceJoules, perTree.LatencySeconds),
            ["mixed MBI"] = (TableOne.MixedJoules(perTree.EnergyPerInferenceJoules, ramJoules, tree.MbiFraction), perTree.LatencySeconds),
        };
    }
}

/// <summary>Adds the modeled energy and latency per inference columns and the Markdown + CSV exporters.</summary>
public sealed class ModeledColumnsConfig : InProcessConfig
{
    public ModeledColumnsConfig()
    {
        AddColumn(new ModeledColumn("Modeled energy/inference", v => global::Mbi.Core.Units.Engineering.Format(v.Joules, "J")));
        AddColumn(new ModeledColumn("Modeled HW latency/inference", v => global::Mbi.Core.Units.Engineering.Format(v.Seconds, "s")));
        AddColumn(new HostTimeColumn());
        AddExporter(MarkdownExporter.GitHub);
        AddExporter(CsvExporter.Default);
    }
}

internal sealed class ModeledColumn(string name, Func<(double Joules, double Seconds), string> format) : IColumn
{
    public string Id => "Mbi." + name;
    public string ColumnName => name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => false;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => name + " (mixed MBI's latency counts the lookups only; its RAM fallback runs digitally)";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        ModeledCosts.For(benchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'')) is { } v ? format(v) : "n/a";
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
}

/// <summary>Measured host time per image (the Mean column covers <see cref="MbiHardwareBenchmarks.Images"/> images).</summary>
internal sealed class HostTimeColumn : IColumn
{
    public string Id => "Mbi.HostPerImage";
    public string ColumnName => "Host time/image";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 1;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Time;
    public string Legend => "Measured mean time divided by the images classified per call";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        summary[benchmarkCase]?.ResultStatistics is { } s ? global::Mbi.Core.Units.Engineering.Format(s.Mean * 1e-9 / MbiHardwareBenchmarks.Images, "s") : "n/a";
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
}
