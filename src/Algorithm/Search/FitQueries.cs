using System.Buffers.Binary;
using System.Security.Cryptography;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Core.Errors;
using Mbi.Core.IO;

namespace Mbi.Algorithm.Search;

/// <summary>
/// Realistic lookups recorded for building a tree (issue #13 item 2, the query fill): packed query keys, each with every
/// table row at its exact minimum distance. They come from training images only (shifted, so they are novel queries: the
/// training images' own keys are in the table), never validation or test. Tied to one set of keys under one metric and
/// weights by <see cref="KeyFingerprint"/>, since the nearest rows mean nothing for another table.
/// </summary>
public sealed class FitQueries
{
    /// <summary>File magic (8 ASCII bytes) and format version.</summary>
    public const string Magic = "MBIFITQ1";
    /// <summary>Format version.</summary>
    public const uint Version = 1;
    private const string What = "fit queries";
    private const string HowToMake = "Record them with `./mbi fit-queries --lut LUT --out FILE` for the table you search.";

    private readonly ulong[] _queries;
    private readonly int[] _nearestStart;
    private readonly int[] _nearestRows;

    /// <summary>Queries (<paramref name="wordsPerKey"/> words each) and their exact nearest rows (CSR: row lists start at <paramref name="nearestStart"/>).</summary>
    public FitQueries(string keyFingerprint, int wordsPerKey, ulong[] queries, int[] nearestStart, int[] nearestRows, string provenance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(wordsPerKey, 1);
        if (queries.Length % wordsPerKey != 0) throw new ArgumentException("queries are not whole keys", nameof(queries));
        int count = queries.Length / wordsPerKey;
        if (nearestStart.Length != count + 1 || nearestStart[0] != 0 || nearestStart[count] != nearestRows.Length)
            throw new ArgumentException("nearest-row offsets do not match the queries", nameof(nearestStart));
        for (int i = 0; i < count; i++)
            if (nearestStart[i + 1] <= nearestStart[i]) throw new ArgumentException($"query {i} has no nearest row", nameof(nearestStart));
        KeyFingerprint = keyFingerprint;
        WordsPerKey = wordsPerKey;
        _queries = queries;
        _nearestStart = nearestStart;
        _nearestRows = nearestRows;
        Provenance = provenance;
    }

    /// <summary>SHA-256 of the keys, metric and weights the queries were measured against (see <see cref="Fingerprint"/>).</summary>
    public string KeyFingerprint { get; }
    /// <summary>Packed words per query key.</summary>
    public int WordsPerKey { get; }
    /// <summary>Number of queries.</summary>
    public int Count => _nearestStart.Length - 1;
    /// <summary>How they were made (the command line's settings), for the reader.</summary>
    public string Provenance { get; }
    /// <summary>The packed key of query <paramref name="i"/>.</summary>
    public ReadOnlySpan<ulong> Query(int i) => _queries.AsSpan(i * WordsPerKey, WordsPerKey);
    /// <summary>Every table row at query <paramref name="i"/>'s exact minimum distance.</summary>
    public ReadOnlySpan<int> Nearest(int i) => _nearestRows.AsSpan(_nearestStart[i], _nearestStart[i + 1] - _nearestStart[i]);

    /// <summary>
    /// SHA-256 of what the nearest rows and the packed queries depend on: the key layout (spec, metric and, for bit-weighted
    /// Hamming, <see cref="KeyLayout.HammingLayoutRevision"/>), the distance weights, the row count and every key's elements.
    /// A tree checks it before filling leaves from these queries.
    /// </summary>
    public static string Fingerprint(KeyLayout layout, DistanceWeights weights, ReadOnlySpan<byte> elements, int rows) =>
        Hash(layout, weights, elements, rows, legacyHammingLayout: false);

    /// <summary>
    /// The fingerprint fit queries of these keys carried before the Hamming layout's location became a thermometer code (no
    /// revision word; a Manhattan layout's fingerprint is the same either way): only to name that cause when refusing.
    /// </summary>
    internal static string LegacyHammingFingerprint(KeyLayout layout, DistanceWeights weights, ReadOnlySpan<byte> elements, int rows) =>
        Hash(layout, weights, elements, rows, legacyHammingLayout: true);

    private static string Hash(KeyLayout layout, DistanceWeights weights, ReadOnlySpan<byte> elements, int rows, bool legacyHammingLayout)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> word = stackalloc byte[8];
        var spec = layout.Spec;
        foreach (int v in (int[])[spec.PatchSize, spec.Scales, spec.ScaleFactor, spec.PatchBits, spec.HiddenBits, spec.LocationLevels, (int)layout.Metric, rows])
        {
            BinaryPrimitives.WriteInt32LittleEndian(word, v);
            hash.AppendData(word[..4]);
        }
        foreach (int v in spec.SensorIdentityWords())
        {
            // Only a pooled first patch or a coarse gain adds words, so every earlier table keeps its identity.
            BinaryPrimitives.WriteInt32LittleEndian(word, v);
            hash.AppendData(word[..4]);
        }
        if (layout.Metric == KeyMetric.BitWeightedHamming && !legacyHammingLayout)
        {
            // Since the Hamming layout's location became a thermometer code, its queries' words and nearest rows differ from
            // those recorded before (no revision word, the fingerprint a file of then holds); Manhattan fingerprints are unchanged.
            BinaryPrimitives.WriteInt32LittleEndian(word, KeyLayout.HammingLayoutRevision);
            hash.AppendData(word[..4]);
        }
        foreach (double w in (double[])[weights.Patch, weights.Hidden, weights.Location])
        {
            BinaryPrimitives.WriteDoubleLittleEndian(word, w);
            hash.AppendData(word);
        }
        hash.AppendData(elements[..(rows * layout.ElementsPerKey)]);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Refuses queries recorded for other keys, metric or weights than <paramref name="fingerprint"/>'s.</summary>
    public void CheckFor(string fingerprint, int wordsPerKey)
    {
        if (fingerprint != KeyFingerprint || wordsPerKey != WordsPerKey)
            throw new BadInputException($"the fit queries were recorded for another table, metric or distance weights (fingerprint {KeyFingerprint[..12]}..., " +
                $"this search {fingerprint[..12]}...). Record them for this table (with the same --metric and --weights) with `./mbi fit-queries`.");
    }

    /// <summary>Refuses queries recorded for another table than <paramref name="table"/> as searched (its keys, metric and weights).</summary>
    public void CheckFor(Mbi.Algorithm.Memorization.LookupTable table) => CheckFor(table.Layout, table.Weights, table.KeyElements, table.Rows);

    /// <summary>
    /// Refuses queries recorded for other keys, metric or weights than these; queries recorded for these very keys under the old
    /// Hamming layout (binary-coded location) are refused with that cause named.
    /// </summary>
    public void CheckFor(KeyLayout layout, DistanceWeights weights, ReadOnlySpan<byte> elements, int rows)
    {
        string fingerprint = Fingerprint(layout, weights, elements, rows);
        if (fingerprint != KeyFingerprint && layout.Metric == KeyMetric.BitWeightedHamming
            && LegacyHammingFingerprint(layout, weights, elements, rows) == KeyFingerprint)
            throw new BadInputException("the fit queries were recorded for this table under the old Hamming distance, whose binary-coded location " +
                "ranked keys unlike the arrays; the location is now thermometer coded, as the arrays store it, so their packed queries and nearest rows " +
                "are stale. Record them again for this table (with the same --metric and --weights) with `./mbi fit-queries`.");
        CheckFor(fingerprint, layout.WordsPerKey);
    }

    /// <summary>
    /// <paramref name="parts"/> one after another, as if recorded in one run (fit queries are votes in query order): every part
    /// must be for the same keys, metric and weights. One part is returned as it is.
    /// </summary>
    public static FitQueries Concat(IReadOnlyList<FitQueries> parts) => Concat(parts, null);

    /// <summary><see cref="Concat(IReadOnlyList{FitQueries})"/> with the whole's <paramref name="provenance"/> (null: the parts' joined).</summary>
    internal static FitQueries Concat(IReadOnlyList<FitQueries> parts, string? provenance)
    {
        ArgumentOutOfRangeException.ThrowIfZero(parts.Count);
        if (parts.Count == 1 && provenance is null) return parts[0];
        var head = parts[0];
        foreach (var p in parts.Skip(1))
            if (p.KeyFingerprint != head.KeyFingerprint || p.WordsPerKey != head.WordsPerKey)
                throw new BadInputException($"the fit queries to combine were recorded for different tables, metrics or distance weights (fingerprints {head.KeyFingerprint[..12]}... and {p.KeyFingerprint[..12]}...): " +
                    "record every part for the table you search with `./mbi fit-queries`.");
        long count = parts.Sum(p => (long)p.Count), nearest = parts.Sum(p => (long)p._nearestRows.Length);
        if (count * head.WordsPerKey > Array.MaxLength || nearest > Array.MaxLength)
            throw new BadInputException($"the fit queries to combine hold {count:N0} queries, more than one array can: combine fewer files.");
        var queries = new ulong[count * head.WordsPerKey];
        var start = new int[count + 1];
        var rows = new int[nearest];
        int q = 0, at = 0;
        foreach (var p in parts)
        {
            p._queries.CopyTo(queries, (long)q * head.WordsPerKey);
            for (int i = 0; i < p.Count; i++) start[q + i] = at + p._nearestStart[i];
            p._nearestRows.CopyTo(rows, at);
            q += p.Count;
            at += p._nearestRows.Length;
        }
        start[count] = at;
        return new FitQueries(head.KeyFingerprint, head.WordsPerKey, queries, start, rows, provenance ?? string.Join(" + ", parts.Select(p => p.Provenance)));
    }

    /// <summary>Writes the file atomically (a checksummed container).</summary>
    public void Write(string path)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(KeyFingerprint);
            w.Write(Provenance);
            w.Write(WordsPerKey);
            w.Write(Count);
            w.Write(_nearestRows.Length);
            foreach (ulong q in _queries) w.Write(q);
            foreach (int s in _nearestStart) w.Write(s);
            foreach (int r in _nearestRows) w.Write(r);
        }
        ChecksummedFile.Write(path, Magic, Version, stream.ToArray());
    }

    /// <summary>Reads a file written by <see cref="Write"/> (a damaged or foreign file is refused, naming the fix).</summary>
    public static FitQueries Read(string path)
    {
        byte[] payload = ChecksummedFile.Read(path, Magic, Version, What, HowToMake);
        try
        {
            using var r = new BinaryReader(new MemoryStream(payload));
            string fingerprint = r.ReadString();
            string provenance = r.ReadString();
            int words = r.ReadInt32(), count = r.ReadInt32(), nearest = r.ReadInt32();
            if (words < 1 || count < 0 || nearest < count || (long)count * words * 8 + (count + 1L) * 4 + nearest * 4L != payload.Length - r.BaseStream.Position)
                throw new FileFormatException(path, "the sizes in the fit-queries payload do not add up", HowToMake);
            var queries = new ulong[count * words];
            for (int i = 0; i < queries.Length; i++) queries[i] = r.ReadUInt64();
            var start = new int[count + 1];
            for (int i = 0; i <= count; i++) start[i] = r.ReadInt32();
            var rows = new int[nearest];
            for (int i = 0; i < nearest; i++) rows[i] = r.ReadInt32();
            return new FitQueries(fingerprint, words, queries, start, rows, provenance);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException)
        {
            throw new FileFormatException(path, "the fit-queries payload is malformed", HowToMake);
        }
    }
}
