using Mbi.Algorithm.Mnist;
using Mbi.CoSim.Reproduce;
using Mbi.Tests;
using NUnit.Framework;

namespace Mbi.CoSim.Tests;

/// <summary>
/// The longest chain of the suite (distillation, the compact-model characterisation, two SPICE Monte Carlo dies,
/// the energy bands): started first, so the other fixtures fill the second core around it.
/// </summary>
[TestFixture]
[Order(1)]
public sealed class ReproduceTests
{
    [Test]
    public void When_TinyReproduction_Expect_ReadmeWithEveryFigureAndTable()
    {
        // Needs ngspice. The characterisation is shared with the compact-model tests through TestCache.Directory:
        // read from there if they finished it, waited for if they are running it (CompactCalibration.LoadOrCharacterise
        // runs one characterisation per design at a time in a process), so the Fig. 3-5 stages overlap it.
        TestAssets.RequireNgspice();
        string mnist = TestAssets.Mnist();
        string model = TestAssets.ShippedModel();
        var tiny = ReproduceSettings.Quick with
        {
            Name = "tiny", Fig3TrainImages = 200, Fig3Epochs = 1, Fig3TestImages = 100, DistillImages = 300, LutRows = 1200,
            Fig4Sizes = [400, 1200], TuneBudget = 2, ValidationImages = 40, TestImages = 60, McSamples = 1, Dies = 2, DieImages = 20,
        };
        string dir = Path.Combine(Path.GetTempPath(), "mbi-reproduce-test-" + Environment.ProcessId);
        try
        {
            var reproducer = new Reproducer(dir, tiny, model, mnist, 1, TestCache.Directory, Environment.ProcessorCount, null);
            string readme = reproducer.Run();
            string text = File.ReadAllText(readme);
            // the README's time per stage, kept in the test log: where this test's minutes go
            TestContext.Out.WriteLine(text[Math.Max(0, text.IndexOf("## Time per stage", StringComparison.Ordinal))..]);
            foreach (string file in new[] { "fig3a.png", "fig4a.png", "fig4c.png", "fig5.png", "fig6b-levels-bits1.png", "fig6b-levels-bits2.png", "fig6c.png",
                         "fig6-variation.png", "fig3.csv", "fig4a.csv", "fig5.csv", "fig6b.csv", "fig6c.csv", "table1.csv" })
            {
                Assert.That(File.Exists(Path.Combine(dir, file)), Is.True, file);
                Assert.That(text, Does.Contain(file), $"README links {file}");
                if (file.EndsWith(".png", StringComparison.Ordinal))
                    Assert.That(File.Exists(Path.Combine(dir, Path.ChangeExtension(file, ".svg"))), Is.True, $"an SVG beside {file}");
            }
            Assert.That(text, Does.Contain("Paper vs Mbi").And.Contain("4.7 pJ").And.Contain("13.16 nJ").And.Contain("Table I"));
            // The SPICE dies are journalled beside the figures, so a stopped reproduction resumes that stage.
            // header, the nominal die (journalled so a resumed run does not simulate it again), one line per die
            Assert.That(File.ReadAllLines(Path.Combine(dir, "fig6b-dies.journal")), Has.Length.EqualTo(1 + 1 + tiny.McSamples));
            AssertWithinStatedBands(reproducer.Numbers, tiny, text);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// The reproduced numbers against bands stated elsewhere, each with its source. Seed 1 is the seed of the
    /// README's quick run, and SPICE die i depends only on (seed, i), so this run's die 0 is that run's die 0.
    /// </summary>
    private static void AssertWithinStatedBands(ReproducedNumbers n, ReproduceSettings tiny, string readme)
    {
        TestContext.Out.WriteLine($"reproduced: {n}");
        Assert.Multiple(() =>
        {
            // docs/algorithm.md (`mbi eval`, seed 1, 60 epochs): the shipped model classifies all 10,000 test images at 96.57%
            // (the 30-epoch model before it: 96.19%). It depends only on the model file; +-0.3 points (30 images) allows a
            // different SIMD path's rounding to flip borderline images.
            Assert.That(n.ShippedRamAccuracy, Is.EqualTo(0.9657).Within(0.003), "shipped RAM test accuracy");
            Assert.That(readme, Does.Contain((100 * n.ShippedRamAccuracy).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) + "%"),
                "the README prints the accuracy measured");

            // Brute force finds the exact nearest key, so the tree's match can only be as near or farther (ratio >= 1;
            // 1e-9 is rounding). Levels: a 32-way tree over <= LutRows keys with leaves of <= 32 keys; the quick run's
            // 30,000-row table searched 3.63 levels, 0.66 above log32(rows): allow log32(rows) + 2.
            Assert.That(n.TreeDistanceRatio, Is.GreaterThanOrEqualTo(1 - 1e-9), "tree / brute-force match distance");
            Assert.That(n.TreeRecallAt1, Is.InRange(0.0, 1.0), "recall@1");
            Assert.That(n.TreeLevels, Is.InRange(1.0, Math.Log(tiny.LutRows, 32) + 2), "tree levels per lookup");

            // Fractions are fractions.
            Assert.That(n.MixedMbiFractionAtPaperThreshold, Is.InRange(0.0, 1.0), "fraction served by lookups at T = 5");
            Assert.That(n.MixedAccuracyAtPaperThreshold, Is.InRange(0.0, 1.0), "mixed accuracy at T = 5");

            // README and docs/circuit.md (default 12T bench, drivers, CDAC, seed 1): nominal 1-bit step 25.4 mV; the quick
            // run's smallest step over dies 0 and 1 was 24.6 mV, so die 0 alone cannot be below it. ngspice is deterministic;
            // +-1 mV allows another libngspice build's step control.
            Assert.That(n.NominalStepVolts, Is.EqualTo(25.4e-3).Within(1e-3), "nominal 1-bit sum-line step");
            Assert.That(n.MinStepVolts, Is.InRange(24.6e-3 - 1e-3, n.NominalStepVolts + 1e-3), "smallest step of die 0");

            // README / docs/cosim.md (quick run, ADC spice): 1.02 pJ per 32x32 comparison, band 487 fJ - 1.82 pJ. The
            // comparison's energy depends on the design and the key layout, not on the table's size, so the tiny table
            // must land there too; +-10% on the typical value allows the accountant's cached points to be re-measured.
            Assert.That(n.EnergyPerComparisonJoules, Is.EqualTo(1.02e-12).Within(10).Percent, "energy per comparison");
            Assert.That(n.EnergyPerComparisonMinJoules, Is.InRange(0.0, n.EnergyPerComparisonJoules), "band min <= typical");
            Assert.That(n.EnergyPerComparisonMaxJoules, Is.GreaterThanOrEqualTo(n.EnergyPerComparisonJoules), "band max >= typical");
            Assert.That(n.EnergyPerComparisonMinJoules, Is.EqualTo(487e-15).Within(10).Percent, "band min");
            Assert.That(n.EnergyPerComparisonMaxJoules, Is.EqualTo(1.82e-12).Within(10).Percent, "band max");
            // An inference makes at least one comparison per glimpse: 5 glimpses of the shipped model.
            Assert.That(n.EnergyPerInferenceJoules, Is.GreaterThanOrEqualTo(5 * n.EnergyPerComparisonJoules), "energy per inference");

            Assert.That(n.IdealArrayAccuracy, Is.InRange(0.0, 1.0), "ideal-array accuracy");
            Assert.That(n.MeanDieAccuracy, Is.InRange(0.0, 1.0), "mean die accuracy");
        });
    }
}
