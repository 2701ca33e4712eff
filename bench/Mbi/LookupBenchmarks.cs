using BenchmarkDotNet.Attributes;
using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Search;
using Mbi.Core.Randomness;

// Not Mbi.Bench.Mbi: a namespace named Mbi inside Mbi.Bench would shadow the root namespace Mbi in every benchmark.
namespace Mbi.Bench.Memorization;

/// <summary>
/// Nearest-key lookups on a 2^18-row LUT, single thread: brute force (one scan of every key) and the
/// hierarchical k-means tree. Keys are synthetic but shaped like models/ram-mbi.ram's (27 two-bit patch
/// elements, 64 hidden bits, a 15-point location grid: 4 packed words per key) and clustered around
/// prototypes as glimpses are.
/// Brute force: key distances/s = 2^18 / (time per lookup). Tree: lookups/s = 1 / (time per lookup).
/// Targets (issue 4): tree >= 1e6 lookups/s per core, brute force >= 1e9 key distances/s per core.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 6)]
public class LookupBenchmarks
{
    private const int Rows = 1 << 18;
    private const int Queries = 1024;
    private KeyTable _table = null!;
    private BruteForceSearch _brute = null!;
    private KMeansTree _tree = null!;
    private ulong[][] _queries = null!;

    [Params(KeyMetric.Manhattan, KeyMetric.BitWeightedHamming)]
    public KeyMetric Metric { get; set; }

    /// <summary>Every distance-kernel path this machine runs, side by side (the scalar POPCNT loop is the anchor).</summary>
    [ParamsSource(nameof(Paths))]
    public DistanceKernelPath Path { get; set; }

    public static IEnumerable<DistanceKernelPath> Paths() =>
        Enum.GetValues<DistanceKernelPath>().Where(DistanceKernel.IsSupported);

    [GlobalSetup]
    public void Setup()
    {
        var spec = new GlimpseKeySpec(patchSize: 4, scales: 2, scaleFactor: 3, patchBits: 2, hiddenBits: 64, locationLevels: 15, glimpses: 5);
        var layout = new KeyLayout(spec, Metric);
        byte[] elements = SyntheticKeys(layout, Rows + Queries, seed: 1);
        _table = KeyTable.FromElements(layout, elements, Rows);
        var kernel = new DistanceKernel(layout, new DistanceWeights(1, 0.4, 1.5), Path);
        _brute = new BruteForceSearch(_table, kernel);
        _tree = KMeansTree.Build(kernel, elements.AsSpan(0, Rows * layout.ElementsPerKey), Rows, new KMeansTreeOptions());
        int e = layout.ElementsPerKey;
        _queries = new ulong[Queries][];
        for (int q = 0; q < Queries; q++)
        {
            _queries[q] = new ulong[layout.WordsPerKey];
            layout.Encode(elements.AsSpan((Rows + q) * e, e), _queries[q]);
        }
        Console.WriteLine($"// {Metric}: {layout.WordsPerKey} words per key, kernel {kernel.Path} (best on this machine: {DistanceKernel.BestPath}), tree depth {_tree.Depth}, {_tree.LeafCount} leaves");
    }

    [Benchmark(Description = "brute force, one lookup over 2^18 keys")]
    public int BruteForce() => _brute.Nearest(_queries[0]).Row;

    [Benchmark(Description = "k-means tree, per lookup", OperationsPerInvoke = Queries)]
    public long Tree()
    {
        long sum = 0;
        for (int q = 0; q < Queries; q++) sum += _tree.Nearest(_queries[q]).Row;
        return sum;
    }

    /// <summary>Keys around 4096 prototypes, each element re-drawn with probability 0.1.</summary>
    internal static byte[] SyntheticKeys(KeyLayout layout, int rows, ulong seed)
    {
        const int prototypes = 4096;
        int e = layout.ElementsPerKey;
        var rng = new SeededRandom(seed);
        var protos = new byte[prototypes * e];
        for (int i = 0; i < protos.Length; i++) protos[i] = (byte)rng.NextInt(layout.LevelsOf(i % e));
        var elements = new byte[(long)rows * e];
        for (int r = 0; r < rows; r++)
        {
            int p = rng.NextInt(prototypes);
            for (int i = 0; i < e; i++)
                elements[r * e + i] = rng.NextDouble() < 0.1 ? (byte)rng.NextInt(layout.LevelsOf(i)) : protos[p * e + i];
        }
        return elements;
    }
}
