using Mbi.Algorithm.Mnist;
using Mbi.CoSim.Reproduce;
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
        SpiceRequirement.OrIgnore();
        string mnist = MnistFolder();
        string model = FindUp("models/ram-mbi.ram");
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
            foreach (string file in new[] { "fig3a.svg", "fig4a.svg", "fig4c.svg", "fig5.svg", "fig6b.svg", "fig6c.svg", "fig6-variation.svg",
                         "fig3.csv", "fig4a.csv", "fig5.csv", "fig6b.csv", "fig6c.csv", "table1.csv" })
            {
                Assert.That(File.Exists(Path.Combine(dir, file)), Is.True, file);
                Assert.That(text, Does.Contain(file), $"README links {file}");
            }
            Assert.That(text, Does.Contain("Paper vs Mbi").And.Contain("4.7 pJ").And.Contain("13.16 nJ").And.Contain("Table I"));
            // The SPICE dies are journalled beside the figures, so a stopped reproduction resumes that stage.
            Assert.That(File.ReadAllLines(Path.Combine(dir, "fig6b-dies.journal")), Has.Length.EqualTo(1 + tiny.McSamples));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>$MBI_MNIST, else data/mnist, else ../shared/mnist beside the clone (as the Algorithm tests look).</summary>
    private static string MnistFolder()
    {
        try { return MnistDataset.Locate(null); }
        catch (Core.Errors.MbiException) { }
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (Directory.Exists(Path.Combine(d.FullName, "shared", "mnist"))) return Path.Combine(d.FullName, "shared", "mnist");
        Assert.Ignore("MNIST not found: set MBI_MNIST or place it at ../shared/mnist.");
        return "";
    }

    private static string FindUp(string relative)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, relative))) return Path.Combine(d.FullName, relative);
        Assert.Ignore($"{relative} not found above {AppContext.BaseDirectory}");
        return "";
    }
}
