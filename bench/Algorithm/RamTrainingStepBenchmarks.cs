using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;

namespace Mbi.Bench.Algorithm;

/// <summary>
/// Throughput of one RAM training step (forward, backward through time, Adam) on a batch of 64 MNIST
/// images (synthetic noise digits when MNIST is not found), for the MBI configuration and the
/// full-precision reference. Columns: images/s and dense-equivalent GFLOP/s (see <see cref="RamFlops"/>).
/// <c>dotnet run -c Release --project bench -- --filter '*RamTrainingStep*'</c>
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class RamTrainingStepBenchmarks
{
    public const int Batch = 64;
    private RamTrainer _trainer = null!;
    private MnistImages _images = null!;
    private int[] _batch = null!;
    private long _step;

    [Params("mbi", "reference")]
    public string Preset { get; set; } = "mbi";

    internal static RamConfig ConfigOf(string preset) => preset == "mbi" ? RamConfig.Mbi : RamConfig.Reference;

    [GlobalSetup]
    public void Setup()
    {
        _images = LoadImages();
        _trainer = new RamTrainer(RamModel.Initialize(ConfigOf(Preset), 1), new TrainingOptions { BatchSize = Batch, Seed = 1 });
        _batch = Enumerable.Range(0, Batch).ToArray();
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "training step (per image)")]
    public double TrainingStep() => _trainer.Step(_images, _batch, _step++ * Batch, 1e-4f).CrossEntropy;

    private static MnistImages LoadImages()
    {
        string? folder = Environment.GetEnvironmentVariable(MnistDataset.EnvironmentVariable);
        if (folder is null && Directory.Exists("../shared/mnist")) folder = "../shared/mnist";
        if (folder is not null && Directory.Exists(folder)) return MnistDataset.LoadFolder(folder).Test.Take(Batch);
        var rng = new global::Mbi.Core.Randomness.SeededRandom(1, 0, 0);
        var pixels = new float[Batch * 784];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = rng.NextDouble() < 0.2 ? (float)rng.NextDouble() : 0f;
        return new MnistImages(pixels, Enumerable.Range(0, Batch).Select(i => (byte)(i % 10)).ToArray(), 28);
    }

    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig()
        {
            AddColumn(new Throughput("images/s", _ => 1.0));
            AddColumn(new Throughput("GFLOP/s", preset => RamFlops.TrainingFlopsPerImage(ConfigOf(preset)) / 1e9));
        }
    }

    /// <summary>Per-operation (per image) mean time turned into a rate: images/s, or GFLOP/s with the FLOPs per image.</summary>
    private sealed class Throughput(string name, Func<string, double> unitsPerImage) : IColumn
    {
        public string Id => "Throughput" + name;
        public string ColumnName => name;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => $"{name} from the mean time per image";
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var report = summary[benchmarkCase];
            if (report?.ResultStatistics is null) return "NA";
            double secondsPerImage = report.ResultStatistics.Mean * 1e-9;
            string preset = (string)benchmarkCase.Parameters["Preset"];
            double value = unitsPerImage(preset) / secondsPerImage;
            return value.ToString(value >= 100 ? "N0" : "N2", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
