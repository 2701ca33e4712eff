using System.Buffers.Binary;
using System.Security.Cryptography;
using Mbi.Algorithm.Memorization.Keys;

namespace Mbi.Algorithm.Memorization;

/// <summary>
/// A lookup table's identity as a search sees it: the SHA-256 of its key spec, metric, distance weights, initial state and
/// every key and value (not its provenance text, nor the file it came from), and for a bit-weighted Hamming table the layout's
/// <see cref="KeyLayout.HammingLayoutRevision"/> (its distance changed with the layout; Manhattan tables keep their identity).
/// Two tables with the same identity give the same lookups under the same search, so a gate fitted on one is valid on the other.
/// </summary>
public static class TableIdentity
{
    /// <summary>Lower-case hex SHA-256 of <paramref name="lut"/>'s contents (about 0.1 s for a 188,000-row table).</summary>
    public static string Sha256(LookupTable lut) => Hash(lut, legacyHammingLayout: false);

    /// <summary>
    /// The identity <paramref name="lut"/> had before the Hamming layout's location became a thermometer code (revision 1:
    /// no revision word), or null for a Manhattan table (its identity never changed); only to name that cause when refusing.
    /// </summary>
    internal static string? LegacyHammingSha256(LookupTable lut) =>
        lut.Metric == KeyMetric.BitWeightedHamming ? Hash(lut, legacyHammingLayout: true) : null;

    private static string Hash(LookupTable lut, bool legacyHammingLayout)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var spec = lut.Spec;
        Span<byte> word = stackalloc byte[8];
        foreach (int v in (int[])[spec.PatchSize, spec.Scales, spec.ScaleFactor, spec.PatchBits, spec.HiddenBits, spec.LocationLevels,
                     spec.Glimpses, spec.ImageSize, spec.Classes, (int)lut.Metric, lut.Rows, lut.InitialX, lut.InitialY])
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
        if (lut.Metric == KeyMetric.BitWeightedHamming && !legacyHammingLayout)
        {
            BinaryPrimitives.WriteInt32LittleEndian(word, KeyLayout.HammingLayoutRevision);
            hash.AppendData(word[..4]);
        }
        foreach (double w in (double[])[lut.Weights.Patch, lut.Weights.Hidden, lut.Weights.Location])
        {
            BinaryPrimitives.WriteDoubleLittleEndian(word, w);
            hash.AppendData(word);
        }
        hash.AppendData(lut.InitialHidden);
        hash.AppendData(lut.KeyElements);
        hash.AppendData(lut.NextHidden);
        hash.AppendData(lut.NextLocations);
        hash.AppendData(lut.Classes);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
