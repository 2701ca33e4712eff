using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Mbi.Algorithm.Memorization;

/// <summary>
/// A lookup table's identity as a search sees it: the SHA-256 of its key spec, metric, distance weights, initial state and
/// every key and value (not its provenance text, nor the file it came from). Two tables with the same identity give the same
/// lookups under the same search, so a gate fitted on one is valid on the other.
/// </summary>
public static class TableIdentity
{
    /// <summary>Lower-case hex SHA-256 of <paramref name="lut"/>'s contents (about 0.1 s for a 188,000-row table).</summary>
    public static string Sha256(LookupTable lut)
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
        if (spec.PatchPool != 1)
        {
            // Only a pooled first patch adds a word, so every earlier table keeps its identity.
            BinaryPrimitives.WriteInt32LittleEndian(word, spec.PatchPool);
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
