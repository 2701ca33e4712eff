using System.Diagnostics;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Search;
using Mbi.Bench.CoSim;
using Mbi.Bench.Memorization;

namespace Mbi.Bench.Anchors;

/// <summary>
/// Exact nearest-key search, one thread, side by side with an outside anchor: FAISS IndexBinaryFlat (Debian
/// libfaiss-dev 1.7.3) on the same packed bits. Table: 262,853 keys (the size of the shipped model's full LUT),
/// synthetic but shaped like its keys (27 two-bit patch elements as thermometer codes, 64 hidden bits, a 15-point
/// location grid: 4 words = 256 bits per key). Mbi computes the weighted Manhattan distance (three popcounts
/// times three weights per key); FAISS computes one plain Hamming distance per key, so FAISS does slightly less work.
/// Both answer one query per call (the lookup a glimpse needs). Queries/s = 1 / (time per query).
/// Run: <c>dotnet run -c Release --project bench -- --filter '*ExactSearchAnchor*'</c> (needs libfaiss-dev and g++ for
/// the anchor row; without them only Mbi's rows run and the anchor row reports why).
/// </summary>
[SimpleJob(warmupCount: 2, iterationCount: 8)]
public class ExactSearchAnchorBenchmarks
{
    private const int Rows = 262_853;
    private const int Queries = 64;
    private BruteForceSearch _brute = null!;
    private ulong[][] _queries = null!;
    private byte[] _queryBytes = null!;
    private IntPtr _faiss;
    private int _bytesPerKey;

    /// <summary>Mbi's kernel paths this machine runs, and the anchor.</summary>
    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = "";

    public static IEnumerable<string> Engines() =>
        Enum.GetValues<DistanceKernelPath>().Where(DistanceKernel.IsSupported).Select(p => "mbi-" + p).Append("faiss-binary-flat");

    [GlobalSetup]
    public void Setup()
    {
        var spec = new GlimpseKeySpec(patchSize: 4, scales: 2, scaleFactor: 3, patchBits: 2, hiddenBits: 64, locationLevels: 15, glimpses: 5);
        var layout = new KeyLayout(spec, KeyMetric.Manhattan);
        byte[] elements = LookupBenchmarks.SyntheticKeys(layout, Rows + Queries, seed: 1);
        int e = layout.ElementsPerKey, w = layout.WordsPerKey;
        _bytesPerKey = w * 8;
        _queries = new ulong[Queries][];
        _queryBytes = new byte[Queries * _bytesPerKey];
        for (int q = 0; q < Queries; q++)
        {
            _queries[q] = new ulong[w];
            layout.Encode(elements.AsSpan((Rows + q) * e, e), _queries[q]);
            MemoryMarshal.AsBytes(_queries[q].AsSpan()).CopyTo(_queryBytes.AsSpan(q * _bytesPerKey));
        }
        if (Engine.StartsWith("mbi-", StringComparison.Ordinal))
        {
            var path = Enum.Parse<DistanceKernelPath>(Engine["mbi-".Length..]);
            var table = KeyTable.FromElements(layout, elements, Rows);
            _brute = new BruteForceSearch(table, new DistanceKernel(layout, new DistanceWeights(1, 1, 1), path));
            Console.WriteLine($"// {Engine}: {Rows} keys x {w * 64} bits, kernel {path} (best on this machine: {DistanceKernel.BestPath}), {Environment.ProcessorCount} cores, {RuntimeInformation.ProcessArchitecture}");
            return;
        }
        FaissAnchor.Load();
        var codes = new byte[(long)Rows * _bytesPerKey];
        var key = new ulong[w];
        for (int r = 0; r < Rows; r++)
        {
            layout.Encode(elements.AsSpan(r * e, e), key);
            MemoryMarshal.AsBytes(key.AsSpan()).CopyTo(codes.AsSpan(r * _bytesPerKey));
        }
        _faiss = FaissAnchor.New(w * 64);
        FaissAnchor.Add(_faiss, Rows, codes);
        Console.WriteLine($"// faiss IndexBinaryFlat 1.7.3 (libfaiss-dev, one OpenMP thread): {Rows} keys x {w * 64} bits");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_faiss != IntPtr.Zero) FaissAnchor.Free(_faiss);
        _faiss = IntPtr.Zero;
    }

    [Benchmark(Description = "exact search, per query", OperationsPerInvoke = Queries)]
    public long Exact()
    {
        long sum = 0;
        if (_faiss == IntPtr.Zero)
        {
            for (int q = 0; q < Queries; q++) sum += _brute.Nearest(_queries[q]).Row;
            return sum;
        }
        Span<int> distance = stackalloc int[1];
        Span<long> label = stackalloc long[1];
        for (int q = 0; q < Queries; q++)
        {
            FaissAnchor.Search(_faiss, 1, _queryBytes.AsSpan(q * _bytesPerKey, _bytesPerKey), distance, label);
            sum += label[0];
        }
        return sum;
    }

    /// <summary>P/Invoke to bench/Anchors/faiss_anchor.cpp, built on first use into .build/anchors.</summary>
    private static class FaissAnchor
    {
        private static IntPtr _lib;
        private unsafe static delegate* unmanaged<int, IntPtr> _new;
        private unsafe static delegate* unmanaged<IntPtr, long, byte*, void> _add;
        private unsafe static delegate* unmanaged<IntPtr, long, byte*, int*, long*, void> _search;
        private unsafe static delegate* unmanaged<IntPtr, void> _free;

        public static unsafe void Load()
        {
            if (_lib != IntPtr.Zero) return;
            string folder = Path.Combine(BenchPaths.Root(), ".build", "anchors");
            string so = Path.Combine(folder, "libmbifaiss.so");
            if (!File.Exists(so))
            {
                var build = Process.Start("bash", [Path.Combine(BenchPaths.Root(), "bench", "Anchors", "build-faiss-anchor.sh"), folder])!;
                build.WaitForExit();
                if (build.ExitCode != 0) throw new InvalidOperationException("the FAISS anchor did not build (apt-get install -y libfaiss-dev g++)");
            }
            _lib = NativeLibrary.Load(so);
            _new = (delegate* unmanaged<int, IntPtr>)NativeLibrary.GetExport(_lib, "mbi_faiss_binary_flat_new");
            _add = (delegate* unmanaged<IntPtr, long, byte*, void>)NativeLibrary.GetExport(_lib, "mbi_faiss_binary_flat_add");
            _search = (delegate* unmanaged<IntPtr, long, byte*, int*, long*, void>)NativeLibrary.GetExport(_lib, "mbi_faiss_binary_flat_search");
            _free = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(_lib, "mbi_faiss_free");
        }

        public static unsafe IntPtr New(int bits) => _new(bits);

        public static unsafe void Add(IntPtr index, long n, byte[] codes)
        {
            fixed (byte* c = codes) _add(index, n, c);
        }

        public static unsafe void Search(IntPtr index, long nq, ReadOnlySpan<byte> queries, Span<int> distances, Span<long> labels)
        {
            fixed (byte* q = queries) fixed (int* d = distances) fixed (long* l = labels) _search(index, nq, q, d, l);
        }

        public static unsafe void Free(IntPtr index) => _free(index);
    }
}
