using Mbi.Algorithm.Memorization.Keys;

namespace Mbi.CoSim.Mapping;

/// <summary>
/// Packed search words back to key elements: the tree's centroids exist only packed, but an array stores
/// elements as column bits. Inverse of <see cref="KeyLayout.Encode"/> for both metrics: thermometer codes (every
/// Manhattan element, and the location in both metrics, as the arrays store it) are counted; bit-weighted Hamming
/// patch words are read at the first copy of each bit plane.
/// </summary>
internal static class KeyDecoder
{
    public static void Decode(KeyLayout layout, ReadOnlySpan<ulong> words, Span<byte> elements)
    {
        var spec = layout.Spec;
        var segments = layout.Segments;
        int p = spec.PatchElements;
        ReadOnlySpan<ulong> patch = words[segments[0].WordOffset..];
        ReadOnlySpan<ulong> hidden = words[segments[1].WordOffset..];
        ReadOnlySpan<ulong> location = words[segments[2].WordOffset..];
        for (int i = 0; i < p; i++)
        {
            int level = 0;
            if (layout.Metric == KeyMetric.Manhattan)
                for (int t = 0; t < spec.PatchLevels - 1; t++) level += Bit(patch, t * p + i);
            else
                for (int j = 0; j < spec.PatchBits; j++) level |= Bit(patch, ((1 << j) - 1) * p + i) << j;
            elements[i] = (byte)level;
        }
        for (int i = 0; i < spec.HiddenBits; i++) elements[p + i] = (byte)Bit(hidden, i);
        int l = spec.LocationLevels - 1, x = 0, y = 0;
        for (int t = 0; t < l; t++) { x += Bit(location, t); y += Bit(location, l + t); }
        elements[layout.LocationOffset] = (byte)x;
        elements[layout.LocationOffset + 1] = (byte)y;
    }

    private static int Bit(ReadOnlySpan<ulong> words, int bit) => (int)((words[bit >> 6] >> (bit & 63)) & 1);
}
