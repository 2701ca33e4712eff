using System.Globalization;
using System.Text.RegularExpressions;
using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.Circuit.Tests.MonteCarlo;

[TestFixture]
public sealed class SavedDecksTests
{
    // Saving a deck and replaying it are per device (a die's delvto written into the deck instead of altered), so the
    // smallest row, 2 columns with every device kind of the row and its periphery, checks them as a wider one would.
    private static MonteCarloSettings Small(string decks) => new()
    {
        Technology = Technology.Ptm16Lp(),
        Design = new ArrayDesign { Columns = 2 },
        Samples = 2,
        Seed = 7,
        SigmaVthVolts = 0.06,
        Workers = 1,
        SaveDecksDirectory = decks,
    };

    [Test]
    public void When_RunSavesDecks_Expect_NominalAndOneDeckPerDieWithTheDiesShifts()
    {
        using (TestAssets.StartNgspice()) { }
        WithFolder("names", dir =>
        {
            var r = MonteCarloRunner.Run(Small(dir));
            Assert.That(Directory.GetFiles(dir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "nominal.cir", "die-000000.cir", "die-000001.cir" }));
            var shifts = new double[r.Bench.Devices.Count];
            VthDraws.Fill(7, 1, 0.06, shifts);
            Assert.That(File.ReadAllText(Path.Combine(dir, "die-000001.cir")), Is.EqualTo(r.DieBench.Write(shifts)));
            Assert.That(r.DieBench.Replay, Is.Not.Null, "the dies replay the nominal die's driver outputs by default");
            Assert.That(File.ReadAllText(Path.Combine(dir, "die-000001.cir")), Does.Contain("brp_dq0 ql0 0 V=pwl(time").And.Not.Contain("mdq0_n0 "));
            Assert.That(File.ReadAllText(Path.Combine(dir, "nominal.cir")), Is.EqualTo(r.Bench.Write()));
        });
    }

    // ngspice -b prints .meas results with 7 significant digits (about 1e-7 V at 0.9 V); parsing the same
    // model with delvto written in the deck, rather than set by alter, is the same arithmetic, so the
    // agreement is limited by that print precision: 1e-6 V leaves a 10x margin.
    [Test]
    public void When_SavedDieDeckRunsUnderNgspiceBatch_Expect_SameSumLineVoltagesAsTheEngine()
    {
        using (TestAssets.StartNgspice()) { }
        TestAssets.NgspiceCommand(); // ignored before any simulation where the command is missing
        WithFolder("rerun", dir =>
        {
            var r = MonteCarloRunner.Run(Small(dir) with { Samples = 1, Technology = Technology.Ptm16Lp().At("SS", 125) });
            var die = r.Samples[0];
            Assert.That(die.Failed, Is.False);
            var measured = RunBatch(Path.Combine(dir, DeckFolder.DieName(0)));
            Assert.That(measured, Has.Count.EqualTo(2 * die.SlpVolts.Count), "one slp and one sln .meas per cycle");
            double worst = 0;
            for (int i = 0; i < die.SlpVolts.Count; i++)
            {
                worst = Math.Max(worst, Math.Max(Math.Abs(measured[$"slp_{i}"] - die.SlpVolts[i]), Math.Abs(measured[$"sln_{i}"] - die.SlnVolts[i])));
                Assert.That(measured[$"slp_{i}"], Is.EqualTo(die.SlpVolts[i]).Within(1e-6), $"slp_{i}");
                Assert.That(measured[$"sln_{i}"], Is.EqualTo(die.SlnVolts[i]).Within(1e-6), $"sln_{i}");
            }
            TestContext.Out.WriteLine($"ngspice -b vs engine, {measured.Count} .meas values: largest difference {worst:E2} V");
        });
    }

    private static Dictionary<string, double> RunBatch(string deck)
    {
        var (exit, stdout, stderr) = TestAssets.RunNgspiceBatch(deck);
        Assert.That(exit, Is.Zero, $"ngspice -b {deck} failed: {stderr}");
        var values = new Dictionary<string, double>();
        foreach (Match m in Regex.Matches(stdout, @"^\s*(sl[pn]_\d+)\s*=\s*([-+0-9.eE]+)", RegexOptions.Multiline))
            values[m.Groups[1].Value] = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        return values;
    }

    private static void WithFolder(string name, Action<string> test)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"mbi-decks-{name}-{Environment.ProcessId}");
        try { test(dir); }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }
}
