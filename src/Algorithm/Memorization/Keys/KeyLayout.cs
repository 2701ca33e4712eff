using System.Diagnostics;

namespace Mbi.Algorithm.Memorization.Keys;

/// <summary>
/// How one glimpse key is laid out, both as elements and as packed bits.
/// Elements (one byte each, flat with stride <see cref="ElementsPerKey"/>): PatchElements patch levels,
/// HiddenBits hidden bits (0/1), then the location's x and y grid indices.
/// Packed words: segments of whole 64-bit words (see <see cref="KeySegment"/>), chosen by the metric:
/// Manhattan stores thermometer codes (level v of L as v ones among L-1 bits, so |a-b| = popcount of the
/// XOR); bit-weighted Hamming stores bit j of the binary code 2^j times, so the popcount weighs it 2^j as
/// the array's column weighting does. Either way each component is one segment of weight 1. (The packed
/// words are the CPU's search form; the binary code an array stores is <see cref="StoredKeyBits"/> wide.)
/// The patch, hidden and location words never share a word, so the weights a, b, c apply per segment
/// and a co-simulation can map one component kind per array.
/// </summary>
public sealed class KeyLayout
{
    private readonly KeySegment[] _segments;

    /// <summary>The packed layout of keys of <paramref name="spec"/> coded for <paramref name="metric"/>.</summary>
    public KeyLayout(GlimpseKeySpec spec, KeyMetric metric)
    {
        Spec = spec;
        Metric = metric;
        LocationBits = BitsFor(spec.LocationLevels);
        var segments = new List<KeySegment>();
        int word = 0;
        void Add(KeyComponent component, int bitWeight, int bits)
        {
            int words = (bits + 63) / 64;
            segments.Add(new KeySegment(component, bitWeight, word, words, bits));
            word += words;
        }
        if (metric == KeyMetric.Manhattan)
        {
            Add(KeyComponent.Patch, 1, spec.PatchElements * (spec.PatchLevels - 1));
            Add(KeyComponent.Hidden, 1, spec.HiddenBits);
            Add(KeyComponent.Location, 1, 2 * (spec.LocationLevels - 1));
        }
        else
        {
            // Bit j of each binary-coded element is stored 2^j times, so a plain popcount of the XOR
            // weighs it 2^j: one weight-1 segment per component, as cheap to scan as the thermometer codes.
            Add(KeyComponent.Patch, 1, spec.PatchElements * (spec.PatchLevels - 1));
            Add(KeyComponent.Hidden, 1, spec.HiddenBits);
            Add(KeyComponent.Location, 1, 2 * ((1 << LocationBits) - 1));
        }
        _segments = [.. segments];
        WordsPerKey = word;
    }

    /// <summary>The key spec.</summary>
    public GlimpseKeySpec Spec { get; }
    /// <summary>The distance the packed codes make a popcount of.</summary>
    public KeyMetric Metric { get; }
    internal ReadOnlySpan<KeySegment> Segments => _segments;
    /// <summary>64-bit words per packed key.</summary>
    public int WordsPerKey { get; }
    /// <summary>Bits of one binary-coded location coordinate.</summary>
    public int LocationBits { get; }

    /// <summary>Patch elements per key (they come first).</summary>
    public int PatchElements => Spec.PatchElements;
    /// <summary>Index of the first hidden-state element in a key's elements.</summary>
    public int HiddenOffset => Spec.PatchElements;
    /// <summary>Index of the location's x element (y follows) in a key's elements.</summary>
    public int LocationOffset => Spec.PatchElements + Spec.HiddenBits;
    /// <summary>Elements per key: patch, hidden bits, x, y.</summary>
    public int ElementsPerKey => Spec.PatchElements + Spec.HiddenBits + 2;

    /// <summary>Bits of one key as the array stores it (binary-coded elements), the storage figure.</summary>
    public int StoredKeyBits => Spec.PatchElements * Spec.PatchBits + Spec.HiddenBits + 2 * LocationBits;

    /// <summary>Number of levels element <paramref name="element"/> can take.</summary>
    public int LevelsOf(int element) =>
        element < HiddenOffset ? Spec.PatchLevels : element < LocationOffset ? 2 : Spec.LocationLevels;

    /// <summary>Bits needed to binary-code <paramref name="levels"/> levels (at least 1).</summary>
    public static int BitsFor(int levels) => levels <= 1 ? 1 : 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)(levels - 1));

    /// <summary>Writes the packed words of one key from its elements.</summary>
    public void Encode(ReadOnlySpan<byte> elements, Span<ulong> words)
    {
        Debug.Assert(elements.Length >= ElementsPerKey && words.Length >= WordsPerKey);
        words[..WordsPerKey].Clear();
        var spec = Spec;
        int p = spec.PatchElements;
        ReadOnlySpan<byte> patch = elements[..p];
        ReadOnlySpan<byte> hidden = elements.Slice(p, spec.HiddenBits);
        int x = elements[LocationOffset], y = elements[LocationOffset + 1];
        int s = 0;
        if (Metric == KeyMetric.Manhattan)
        {
            int levels = spec.PatchLevels;
            Span<ulong> w = words.Slice(_segments[s++].WordOffset);
            for (int t = 0; t < levels - 1; t++)
                for (int i = 0; i < p; i++)
                    if (patch[i] > t) SetBit(w, t * p + i);
            WriteHidden(hidden, words.Slice(_segments[s++].WordOffset));
            w = words.Slice(_segments[s].WordOffset);
            int l = spec.LocationLevels - 1;
            for (int t = 0; t < l; t++)
            {
                if (x > t) SetBit(w, t);
                if (y > t) SetBit(w, l + t);
            }
        }
        else
        {
            // Plane j (bit j of every element) is repeated 2^j times: copies start at (2^j - 1 + copy) * P.
            Span<ulong> w = words.Slice(_segments[s++].WordOffset);
            for (int j = 0; j < spec.PatchBits; j++)
                for (int copy = 0; copy < 1 << j; copy++)
                    for (int i = 0; i < p; i++)
                        if (((patch[i] >> j) & 1) != 0) SetBit(w, ((1 << j) - 1 + copy) * p + i);
            WriteHidden(hidden, words.Slice(_segments[s++].WordOffset));
            w = words.Slice(_segments[s].WordOffset);
            int perAxis = (1 << LocationBits) - 1;
            for (int j = 0; j < LocationBits; j++)
                for (int copy = 0; copy < 1 << j; copy++)
                {
                    int bit = (1 << j) - 1 + copy;
                    if (((x >> j) & 1) != 0) SetBit(w, bit);
                    if (((y >> j) & 1) != 0) SetBit(w, perAxis + bit);
                }
        }
    }

    /// <summary>
    /// The distance computed directly from elements, without packing: the reference the popcount kernels
    /// are tested against, and a readable statement of Eq. 1 and of the array's bit-weighted Hamming distance.
    /// </summary>
    public double ReferenceDistance(ReadOnlySpan<byte> q, ReadOnlySpan<byte> k, DistanceWeights weights)
    {
        double mp = 0, mh = 0, ml = 0;
        for (int i = 0; i < PatchElements; i++) mp += ElementDistance(q[i], k[i]);
        for (int i = HiddenOffset; i < LocationOffset; i++) mh += q[i] != k[i] ? 1 : 0;
        for (int i = LocationOffset; i < LocationOffset + 2; i++) ml += ElementDistance(q[i], k[i]);
        return (weights.Patch * mp + weights.Hidden * mh + weights.Location * ml) / weights.Sum;
    }

    private int ElementDistance(int a, int b)
    {
        // Sum over bits j of 2^j [a_j != b_j] is the number a XOR b.
        return Metric == KeyMetric.Manhattan ? Math.Abs(a - b) : a ^ b;
    }

    private static void WriteHidden(ReadOnlySpan<byte> hidden, Span<ulong> w)
    {
        for (int i = 0; i < hidden.Length; i++)
            if (hidden[i] != 0) SetBit(w, i);
    }

    private static void SetBit(Span<ulong> words, int bit) => words[bit >> 6] |= 1UL << (bit & 63);
}
