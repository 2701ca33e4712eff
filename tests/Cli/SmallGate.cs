using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.CoSim.Mapping;
using Mbi.CoSim.Studies;
using Mbi.Tests;

namespace Mbi.Cli.Tests;

/// <summary>
/// A learned gate for `cosim --gate` tests: <see cref="SmallLut"/>'s table as binary-coded arrays search it (bit-weighted
/// Hamming, written as its own file so its identity is the one cosim checks) and a gate fitted on it as the headline gate
/// is (vote 5, the 8-way tree under 224 distances, an image check and the 8-bit fixed-point regression), on 300 training
/// images the table was not distilled from.
/// </summary>
internal static class SmallGate
{
    public const int Vote = 5;

    /// <summary>The cosim flags of the tree the gate was fitted with.</summary>
    public static readonly string[] TreeFlags = ["--branching", "8", "--distance-budget", "224"];

    /// <summary>Writes the table and the gate into <paramref name="dir"/>; the MNIST folder (the test is skipped without it) and both paths.</summary>
    public static (string Mnist, string Lut, string Gate) Write(string dir)
    {
        var (mnist, small) = SmallLut.Get();
        var table = LookupSetup.Rekeyed(LutFile.Read(small), ColumnCoding.Binary);
        string lut = Path.Combine(dir, "binary.lut"), gate = Path.Combine(dir, "gate.json");
        LutFile.Write(lut, table);
        var data = TestAssets.RealMnist();
        var tree = SearchFactory.Build(table, SearchKind.Tree, new KMeansTreeOptions { Branching = 8, Budget = 224, Seed = 1 });
        var fit = data.Train.Subset(Enumerable.Range(1500, 300).ToArray());
        var run = MbiEvaluation.Run(new MbiClassifier(table, new QuantizedGlimpseSensor(table.Spec), tree, Vote), fit, trace: true);
        var check = ImageCheck.Train(data.Train.Take(1500), 1);
        LearnedGateFile.Write(gate, LearnedGate.Fit(run, fit.Labels, Vote, 10, 1, TableIdentity.Sha256(table), "small gate", check: check, images: fit, regressionBits: 8));
        return (mnist, lut, gate);
    }
}
