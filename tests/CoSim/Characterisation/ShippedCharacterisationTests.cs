using Mbi.Circuit.Design;
using Mbi.CoSim.Characterisation;
using Mbi.Core.Errors;
using Mbi.Tests;
using NUnit.Framework;

namespace Mbi.CoSim.Tests.Characterisation;

/// <summary>
/// The shipped ngspice data (models/characterisation) against the default design: a deck or design change that forgets
/// to regenerate them fails here, naming the command, instead of silently making every quick run measure for 20 minutes.
/// </summary>
[TestFixture]
public sealed class ShippedCharacterisationTests
{
    private static string Root => Path.Combine(TestAssets.RepositoryRoot(), ShippedCharacterisation.DefaultRoot);

    [Test]
    public void When_DefaultDesign_Expect_ShippedDataForItsDeckAndNgspice()
    {
        TestAssets.RequireNgspice(); // the key holds the installed ngspice's version
        var design = new CircuitDesign();
        var lookup = ShippedCharacterisation.Find(design, Root);
        Assert.That(lookup.Found, Is.Not.Null,
            $"{ShippedCharacterisation.DefaultRoot} holds no data for the default design with this deck and ngspice (key {lookup.Key.Folder}: design " +
            $"{lookup.Key.DesignSha256[..12]}, deck {lookup.Key.DeckSha256[..12]}, {lookup.Key.NgspiceVersion}). Run `{ShippedCharacterisation.Command}` " +
            $"(about 20 min on 2 cores) and commit {ShippedCharacterisation.DefaultRoot}.");
        foreach (var (file, header) in ShippedCharacterisation.Expected(design, TestAssets.ShippedModel(), seed: 1))
        {
            string path = Path.Combine(lookup.Folder, file);
            Assert.That(File.Exists(path), Is.True, $"{path} is missing: run `{ShippedCharacterisation.Command}` again");
            if (header is not null)
                Assert.That(File.ReadLines(path).First(), Is.EqualTo(header), $"{path} holds dies of another deck or seed: run `{ShippedCharacterisation.Command}` again");
        }
        Assert.That(lookup.Found!.MonteCarloDies, Is.GreaterThanOrEqualTo(Reproduce.ReproduceSettings.Quick.McSamples), "the quick run's SPICE dies are shipped");
    }

    [Test]
    public void When_DesignOrNgspiceDiffers_Expect_AnotherKey()
    {
        var design = new CircuitDesign();
        var key = ShippedCharacterisation.KeyOf(design, "ngspice-39");
        var otherVdd = ShippedCharacterisation.KeyOf(design with { Technology = design.Technology with { VddVolts = design.Technology.VddVolts + 0.05 } }, "ngspice-39");
        var otherEngine = ShippedCharacterisation.KeyOf(design, "ngspice-42");
        Assert.That(ShippedCharacterisation.KeyOf(design, "ngspice-39"), Is.EqualTo(key), "the key is a pure function of design, deck and version");
        Assert.That(otherVdd.Folder, Is.Not.EqualTo(key.Folder));
        Assert.That(otherVdd.DeckSha256, Is.Not.EqualTo(key.DeckSha256), "VDD is in the deck");
        Assert.That(otherEngine.Folder, Is.Not.EqualTo(key.Folder));
        Assert.That(otherEngine.DeckSha256, Is.EqualTo(key.DeckSha256));
    }

    /// <summary>
    /// The optional value_read section: a design without it (the default) keeps the shipped folder's key and the shipped
    /// energy-bands file name (checked against the folder in models/characterisation, with ngspice-39 as it was written,
    /// so no ngspice is needed); a longer value read is another design, folder and energy-bands file, while the compact
    /// model and the Monte Carlo dies, which do not involve the value read, keep their names.
    /// </summary>
    [Test]
    public void When_ValueReadDefaultOrChanged_Expect_ShippedKeysKeptOrANewFolderAndBandsFile()
    {
        var design = new CircuitDesign();
        var key = ShippedCharacterisation.KeyOf(design, "ngspice-39");
        string folder = Path.Combine(Root, key.Folder);
        Assert.That(File.Exists(Path.Combine(folder, "manifest.json")), Is.True, $"no shipped folder {key.Folder} for the default design");
        var shipped = Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).ToList();
        var expected = ShippedCharacterisation.Expected(design, TestAssets.ShippedModel(), seed: 1);
        Assert.That(shipped, Is.SupersetOf(expected.Select(e => e.File)), "the default design still names the shipped files");

        var longer = design with { ValueRead = design.ValueRead with { WordLineSeconds = 0.4e-9, SenseSeconds = 1e-9 } };
        var longerKey = ShippedCharacterisation.KeyOf(longer, "ngspice-39");
        var longerFiles = ShippedCharacterisation.Expected(longer, TestAssets.ShippedModel(), seed: 1);
        Assert.That(longerKey.DesignSha256, Is.Not.EqualTo(key.DesignSha256));
        Assert.That(longerKey.Folder, Is.Not.EqualTo(key.Folder));
        Assert.That(longerKey.DeckSha256, Is.EqualTo(key.DeckSha256), "the Monte Carlo row deck has no value read");
        string bands = longerFiles.Single(f => f.File.StartsWith("energy-bands-", StringComparison.Ordinal)).File;
        Assert.That(shipped, Has.No.Member(bands), "the value read's deck is in the energy bands' cache key");
        Assert.That(longerFiles.Where(f => !f.File.StartsWith("energy-bands-", StringComparison.Ordinal)),
            Is.EqualTo(expected.Where(f => !f.File.StartsWith("energy-bands-", StringComparison.Ordinal))));
    }

    [Test]
    public void When_NoFolderMatches_Expect_NotFoundAndTheReportSaysItMeasured()
    {
        string root = Path.Combine(Path.GetTempPath(), "mbi-shipped-test-" + Environment.ProcessId);
        try
        {
            var lookup = ShippedCharacterisation.Find(ShippedCharacterisation.KeyOf(new CircuitDesign(), "ngspice-39"), root);
            Assert.That(lookup.Found, Is.Null);
            Assert.That(lookup.JournalFor(1), Is.Null);
            Assert.That(lookup.Describe(), Does.Contain("measured with ngspice in this run").And.Contain(ShippedCharacterisation.Command));
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void When_ShippedFileChanged_Expect_FileFormatErrorNamingTheCommand()
    {
        var key = ShippedCharacterisation.KeyOf(new CircuitDesign(), "ngspice-39");
        string root = Path.Combine(Path.GetTempPath(), "mbi-shipped-tamper-" + Environment.ProcessId);
        string folder = Path.Combine(root, key.Folder);
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "compact-0000.bin"), "changed after the manifest was written");
            File.WriteAllText(Path.Combine(folder, "manifest.json"), $$"""
                {"format": "mbi-characterisation", "version": 1, "design_sha256": "{{key.DesignSha256}}", "deck_sha256": "{{key.DeckSha256}}",
                 "ngspice_version": "ngspice-39", "seed": 1, "monte_carlo_dies": 2, "model": "ram-mbi.ram", "written_utc": "2026-01-01 00:00 UTC",
                 "compact_seconds": 1, "energy_band_seconds": 1, "monte_carlo_seconds": 1,
                 "files": [{"name": "compact-0000.bin", "sha256": "{{new string('0', 64)}}"}]}
                """);
            var e = Assert.Throws<FileFormatException>(() => ShippedCharacterisation.Find(key, root));
            Assert.That(e!.Message, Does.Contain("SHA-256").And.Contain(ShippedCharacterisation.Command));
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }
}
