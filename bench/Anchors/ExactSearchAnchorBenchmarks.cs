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
/// Exact nearest-key search, one thread, side by side with two outside anchors on the same packed bits:
/// <c>faiss-binary-flat</c>, FAISS IndexBinaryFlat from Debian's libfaiss-dev 1.7.3 as Debian built it (for baseline
/// x86-64: its Hamming loops call libgcc's software popcount, no POPCNT instruction; see docs/algorithm/kernels-s8.md),
/// and <c>faiss-hamming-native</c>, FAISS's header-only HammingComputer32 in a k=1 scan compiled here with
/// <c>-O3 -march=native</c> (hardware POPCNT, as a pip or conda FAISS build runs): the fair anchor. Table: 262,853 keys (the size of the shipped model's full LUT),
/// synthetic but shaped like its keys (27 two-bit patch elements as thermometer codes, 64 hidden bits, a 15-point
/// location grid: 4 words = 256 bits per key). Mbi computes the weighted Manhattan distance (three popcounts
/// times three weights per key); FAISS computes one plain Hamming distance per key, so FAISS does slightly less work.
/// Both answer one query per call (the lookup a glimpse needs). Queries/s = 1 / (time per query).
/// Run: <c>dotnet run -c Release --project bench -- --filter '*ExactSearchAnchor*'</c> (needs libfaiss-dev and g++ for
/// the anchor rows; without them Mbi's rows still run and each anchor row reports why it could not).
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
    private IntPtr _native;
    private int _bytesPerKey;

    /// <summary>Mbi's kernel paths this machine runs, and the anchor.</summary>
    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = "";

    /// <summary>Every engine, or only those named in MBI_BENCH_ENGINES (comma-separated, e.g. mbi-Avx2,faiss-hamming-native).</summary>
    public static IEnumerable<string> Engines()
    {
        var all = Enum.GetValues<DistanceKernelPath>().Where(DistanceKernel.IsSupported).Select(p => "mbi-" + p)
            .Append("faiss-binary-flat").Append("faiss-hamming-native");
        string? only = Environment.GetEnvironmentVariable("MBI_BENCH_ENGINES");
        return string.IsNullOrWhiteSpace(only) ? all : all.Where(e => only.Split(',', StringSplitOptions.TrimEntries).Contains(e));
    }

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
        var table = KeyTable.FromElements(layout, elements, Rows);
        if (Engine.StartsWith("mbi-", StringComparison.Ordinal))
        {
            var path = Enum.Parse<DistanceKernelPath>(Engine["mbi-".Length..]);
            _brute = new BruteForceSearch(table, new DistanceKernel(layout, new DistanceWeights(1, 1, 1), path));
            Console.WriteLine($"// {Engine}: {Rows} keys x {w * 64} bits, kernel {path} (best on this machine: {DistanceKernel.BestPath}), {Environment.ProcessorCount} cores, {RuntimeInformation.ProcessArchitecture}");
            return;
        }
        var codes = new byte[(long)Rows * _bytesPerKey];
        var key = new ulong[w];
        for (int r = 0; r < Rows; r++)
        {
            layout.Encode(elements.AsSpan(r * e, e), key);
            MemoryMarshal.AsBytes(key.AsSpan()).CopyTo(codes.AsSpan(r * _bytesPerKey));
        }
        if (Engine == "faiss-hamming-native")
        {
            if (_bytesPerKey != 32) throw new InvalidOperationException($"the native anchor scans 32-byte codes; the keys have {_bytesPerKey}");
            NativeHamming.Load();
            _native = NativeHamming.New(Rows, codes);
            Console.WriteLine($"// faiss HammingComputer32 k=1 scan (libfaiss-dev 1.7.3 headers, g++ -O3 -march=native, one thread): {Rows} keys x {w * 64} bits");
        }
        else
        {
            FaissAnchor.Load();
            _faiss = FaissAnchor.New(w * 64);
            FaissAnchor.Add(_faiss, Rows, codes);
            Console.WriteLine($"// faiss IndexBinaryFlat 1.7.3 (libfaiss-dev as Debian built it, one OpenMP thread): {Rows} keys x {w * 64} bits");
        }
        CheckAnchorAgrees(new BruteForceSearch(table, new DistanceKernel(layout, new DistanceWeights(1, 1, 1), DistanceKernelPath.Scalar)));
    }

    /// <summary>
    /// With weights 1, 1, 1 Mbi's distance is the plain Hamming distance / 3, and both sides keep the lowest row on
    /// ties, so the anchor must return Mbi's rows: checked on a few queries so the rows time the same search.
    /// </summary>
    private void CheckAnchorAgrees(BruteForceSearch scalar)
    {
        Span<int> distance = stackalloc int[1];
        Span<long> label = stackalloc long[1];
        for (int q = 0; q < 4; q++)
        {
            var query = _queryBytes.AsSpan(q * _bytesPerKey, _bytesPerKey);
            if (_native != IntPtr.Zero) NativeHamming.Search(_native, query, distance, label);
            else FaissAnchor.Search(_faiss, 1, query, distance, label);
            var mbi = scalar.Nearest(_queries[q]);
            if (label[0] != mbi.Row || Math.Abs(distance[0] / 3.0 - mbi.Distance) > 1e-12)
                throw new InvalidOperationException($"{Engine} found row {label[0]} at {distance[0]} bits for query {q}; Mbi found row {mbi.Row} at {mbi.Distance * 3} bits");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_faiss != IntPtr.Zero) FaissAnchor.Free(_faiss);
        if (_native != IntPtr.Zero) NativeHamming.Free(_native);
        _faiss = IntPtr.Zero;
        _native = IntPtr.Zero;
    }

    [Benchmark(Description = "exact search, per query", OperationsPerInvoke = Queries)]
    public long Exact()
    {
        long sum = 0;
        Span<int> distance = stackalloc int[1];
        Span<long> label = stackalloc long[1];
        if (_native != IntPtr.Zero)
        {
            for (int q = 0; q < Queries; q++)
            {
                NativeHamming.Search(_native, _queryBytes.AsSpan(q * _bytesPerKey, _bytesPerKey), distance, label);
                sum += label[0];
            }
            return sum;
        }
        if (_faiss == IntPtr.Zero)
        {
            for (int q = 0; q < Queries; q++) sum += _brute.Nearest(_queries[q]).Row;
            return sum;
        }
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
            _lib = NativeLibrary.Load(AnchorBuild.Library("libmbifaiss.so", "faiss_anchor.cpp", "binary-flat"));
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

    /// <summary>P/Invoke to bench/Anchors/faiss_hamming_native.cpp, built on first use into .build/anchors.</summary>
    private static class NativeHamming
    {
        private static IntPtr _lib;
        private unsafe static delegate* unmanaged<long, byte*, IntPtr> _new;
        private unsafe static delegate* unmanaged<IntPtr, byte*, int*, long*, void> _search;
        private unsafe static delegate* unmanaged<IntPtr, void> _free;

        public static unsafe void Load()
        {
            if (_lib != IntPtr.Zero) return;
            _lib = NativeLibrary.Load(AnchorBuild.Library("libmbifaisshamming.so", "faiss_hamming_native.cpp", "hamming-native"));
            _new = (delegate* unmanaged<long, byte*, IntPtr>)NativeLibrary.GetExport(_lib, "mbi_hamming_native_new");
            _search = (delegate* unmanaged<IntPtr, byte*, int*, long*, void>)NativeLibrary.GetExport(_lib, "mbi_hamming_native_search");
            _free = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(_lib, "mbi_hamming_native_free");
        }

        public static unsafe IntPtr New(long rows, byte[] codes)
        {
            fixed (byte* c = codes) return _new(rows, c);
        }

        public static unsafe void Search(IntPtr scan, ReadOnlySpan<byte> query, Span<int> distance, Span<long> label)
        {
            fixed (byte* q = query) fixed (int* d = distance) fixed (long* l = label) _search(scan, q, d, l);
        }

        public static unsafe void Free(IntPtr scan) => _free(scan);
    }

    /// <summary>Builds an anchor library with build-faiss-anchor.sh when it is missing or older than its source.</summary>
    private static class AnchorBuild
    {
        public static string Library(string file, string source, string which)
        {
            string folder = Path.Combine(BenchPaths.Root(), ".build", "anchors");
            string so = Path.Combine(folder, file);
            string anchors = Path.Combine(BenchPaths.Root(), "bench", "Anchors");
            if (!File.Exists(so) || File.GetLastWriteTimeUtc(so) < File.GetLastWriteTimeUtc(Path.Combine(anchors, source)))
            {
                var build = Process.Start("bash", [Path.Combine(anchors, "build-faiss-anchor.sh"), folder, which])!;
                build.WaitForExit();
                if (build.ExitCode != 0)
                    throw new InvalidOperationException($"the FAISS anchor {which} did not build (apt-get install -y libfaiss-dev g++)");
            }
            return so;
        }
    }
}
