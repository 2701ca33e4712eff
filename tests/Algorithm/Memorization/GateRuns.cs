using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using System.Text;
using Mbi.Core.Randomness;

namespace Mbi.Algorithm.Tests.Memorization;

/// <summary>A traced tree run of 200 synthetic 28 x 28 images over a random table, with labels that are the lookups' class on a seeded share of them.</summary>
internal static class GateRuns
{
    public static (MbiRun Run, MnistImages Images, LookupTable Lut) Synthetic(double rightShare)
    {
        var lut = RandomTables.Table(RandomTables.SmallSpec(), 600, seed: 31);
        var raw = Mbi.Algorithm.Tests.Ram.RamGradientTests.Synthetic(200, 28, 9);
        var tree = SearchFactory.Build(lut, SearchKind.Tree, new KMeansTreeOptions { Branching = 8, LeafSize = 16, Seed = 2 });
        var run = MbiEvaluation.Run(new MbiClassifier(lut, new QuantizedGlimpseSensor(lut.Spec), tree, 5), raw, trace: true);
        var rng = new SeededRandom(5);
        byte[] labels = [.. run.Predicted.Select(c => (byte)(rng.NextDouble() < rightShare ? c : (c + 1 + rng.NextInt(9)) % 10))];
        return (run, new MnistImages(raw.Pixels.ToArray(), labels, 28), lut);
    }

    /// <summary>The text with its sha256 recomputed as the writer does (the file's checksum is over the file with "sha256" empty).</summary>
    public static string Resigned(string text)
    {
        var options = new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var doc = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();
        doc["sha256"] = "";
        string unsigned = doc.ToJsonString(options);
        doc["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(unsigned)));
        return doc.ToJsonString(options);
    }
}
