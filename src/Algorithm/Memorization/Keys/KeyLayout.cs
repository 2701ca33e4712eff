using System.Diagnostics;

namespace Mbi.Algorithm.Memorization.Keys;

/// <summary>
/// How one glimpse key is laid out, both as elements and as packed bits.
/// Elements (one byte each, flat with stride <see cref="ElementsPerKey"/>): PatchElements patch levels,
/// HiddenBits hidden bits (0/1), then the location's x and y grid indices.
/// Packed words: segments of whole 64-bit words (see <see cref="KeySegment"/>), chosen by the metric for the patch:
/// Manhattan stores thermometer codes (level v of L as v ones among L-1 bits, so |a-b| = popcount of the
/// XOR); bit-weighted Hamming stores bit j of the binary code 2^j times, so the popcount weighs it 2^j as
/// the array's column weighting does. The location is thermometer coded (2 x (LocationLevels - 1) bits, Manhattan on
/// the grid indices) in both metrics, because the arrays always store it so: binary location indices would need
/// p = 4 precharge levels the circuit does not settle (docs/cosim.md), so the binary-coded arrays compute bit-weighted
/// Hamming on the patch, Hamming on the hidden bits and |dx| + |dy| on the location, and BitWeightedHamming is exactly
/// that. Either way each component is one segment of weight 1. (The packed words are the CPU's search form; the
/// binary code a .lut file stores, the storage figure, is <see cref="StoredKeyBits"/> wide.)
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
        // Both patch codes take L-1 bits per element: L-1 thermometer bits, or binary bit j repeated 2^j times
        // (1 + 2 + ... + 2^(PatchBits-1) = L-1 copies), so a plain popcount of the XOR weighs bit j 2^j: one weight-1
        // segment per component, as cheap to scan as the thermometer codes. The location is thermometer coded in both
        // metrics, as the arrays store it.
        Add(KeyComponent.Patch, 1, spec.PatchElements * (spec.PatchLevels - 1));
        Add(KeyComponent.Hidden, 1, spec.HiddenBits);
        Add(KeyComponent.Location, 1, 2 * (spec.LocationLevels - 1));
        _segments = [.. segments];
        WordsPerKey = word;
    }

    /// <summary>
    /// Revision of the bit-weighted Hamming layout, hashed into every identity that depends on how a Hamming table ranks
    /// keys (<see cref="TableIdentity"/>, the fit queries' fingerprint): revision 2 codes the location as thermometer
    /// codes, as the arrays store it; revision 1 (never hashed, so Manhattan identities are unchanged) coded it as binary
    /// indices with bit j repeated 2^j times, which ranked keys differently from the arrays. A gate or fit queries recorded
    /// on a Hamming table under revision 1 are refused.
    /// </summary>
    public const int HammingLayoutRevision = 2;

    /// <summary>The key spec.</summary>
    public GlimpseKeySpec Spec { get; }
    /// <summary>The distance the packed codes make a popcount of.</summary>
    public KeyMetric Metric { get; }
    internal ReadOnlySpan<KeySegment> Segments => _segments;
    /// <summary>64-bit words per packed key.</summary>
    public int WordsPerKey { get; }
    /// <summary>
    /// Bits of one binary-coded location coordinate: the width a .lut file stores it in and part of
    /// <see cref="StoredKeyBits"/>; the packed words and the arrays code the location as a thermometer code instead.
    /// </summary>
    public int LocationBits { get; }

    /// <summary>Patch elements per key (they come first).</summary>
    public int PatchElements => Spec.PatchElements;
    /// <summary>Index of the first hidden-state element in a key's elements.</summary>
    public int HiddenOffset => Spec.PatchElements;
    /// <summary>Index of the location's x element (y follows) in a key's elements.</summary>
    public int LocationOffset => Spec.PatchElements + Spec.HiddenBits;
    /// <summary>Elements per key: patch, hidden bits, x, y.</summary>
    public int ElementsPerKey => Spec.PatchElements + Spec.HiddenBits + 2;

    /// <summary>
    /// Bits of one key binary coded (patch levels at PatchBits each, hidden bits, x and y at <see cref="LocationBits"/> each):
    /// the storage figure compared with the paper's, and the key's width in a .lut file. Not what the arrays hold: they
    /// store the location in 2 x (LocationLevels - 1) thermometer columns (and, with thermometer coding, every patch level too).
    /// </summary>
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
        Span<ulong> w = words.Slice(_segments[0].WordOffset);
        if (Metric == KeyMetric.Manhattan)
        {
            int levels = spec.PatchLevels;
            for (int t = 0; t < levels - 1; t++)
                for (int i = 0; i < p; i++)
                    if (patch[i] > t) SetBit(w, t * p + i);
        }
        else
        {
            // Plane j (bit j of every element) is repeated 2^j times: copies start at (2^j - 1 + copy) * P.
            for (int j = 0; j < spec.PatchBits; j++)
                for (int copy = 0; copy < 1 << j; copy++)
                    for (int i = 0; i < p; i++)
                        if (((patch[i] >> j) & 1) != 0) SetBit(w, ((1 << j) - 1 + copy) * p + i);
        }
        w = words.Slice(_segments[1].WordOffset);
        for (int i = 0; i < hidden.Length; i++)
            if (hidden[i] != 0) SetBit(w, i);
        // The location: thermometer codes in both metrics, as the arrays store it (x's level v as v ones among L-1 bits, then y's).
        w = words.Slice(_segments[2].WordOffset);
        int l = spec.LocationLevels - 1;
        for (int t = 0; t < l; t++)
        {
            if (x > t) SetBit(w, t);
            if (y > t) SetBit(w, l + t);
        }
    }

    /// <summary>
    /// The distance computed directly from elements, without packing: the reference the popcount kernels
    /// are tested against, and a readable statement of Eq. 1 and of the binary-coded array's distance
    /// (bit-weighted Hamming on the patch, Hamming on the hidden bits, Manhattan on the location).
    /// </summary>
    public double ReferenceDistance(ReadOnlySpan<byte> q, ReadOnlySpan<byte> k, DistanceWeights weights)
    {
        double mp = 0, mh = 0, ml = 0;
        for (int i = 0; i < PatchElements; i++) mp += PatchElementDistance(q[i], k[i]);
        for (int i = HiddenOffset; i < LocationOffset; i++) mh += q[i] != k[i] ? 1 : 0;
        // The location is thermometer coded in both metrics (the arrays store it so): |dx| + |dy|.
        for (int i = LocationOffset; i < LocationOffset + 2; i++) ml += Math.Abs(q[i] - k[i]);
        return (weights.Patch * mp + weights.Hidden * mh + weights.Location * ml) / weights.Sum;
    }

    private int PatchElementDistance(int a, int b)
    {
        // Sum over bits j of 2^j [a_j != b_j] is the number a XOR b.
        return Metric == KeyMetric.Manhattan ? Math.Abs(a - b) : a ^ b;
    }

    private static void SetBit(Span<ulong> words, int bit) => words[bit >> 6] |= 1UL << (bit & 63);
}
