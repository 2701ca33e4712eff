using System.Text.Json.Nodes;
using Mbi.Circuit.Adc;
using Mbi.Circuit.Design;
using Mbi.Core.Errors;
using Mbi.Tests;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.Design;

/// <summary>
/// The adc section's optional sar_clock_period_seconds: absent (or at the default 2 ns) the design's text and hash are those
/// of before the field existed, so every shipped design file, result and characterisation folder still matches; set, it is
/// written, read back and changes the hash.
/// </summary>
[TestFixture]
public sealed class SarClockFieldTests
{
    private const string Field = "sar_clock_period_seconds";

    /// <summary>
    /// Hashes recorded before the field existed (hard-coded on purpose: a compatibility guarantee): the default design's
    /// (models/characterisation/ecba55916bb5aefd/manifest.json) and samples/designs/ss-value-read.json's (the design.sha256
    /// of docs/energy/ss-corner/energy-SS.json, session 14).
    /// </summary>
    [TestCase("samples/designs/default.json", "c6ce9bf5c71e323d50ef84459fced87fd33dfa3f138e97ffd4d05c05ce18507f")]
    [TestCase("samples/designs/ss-value-read.json", "678abe049f90b92cfe4ba366e9cbd29f01ace5813318681fcb744b2cb5d98506")]
    public void When_ShippedDesignHasNoSarClock_Expect_TheDefaultClockAndTheTextAndHashOfBefore(string file, string hashBefore)
    {
        string text = File.ReadAllText(TestAssets.RepositoryFile(file));
        Assert.That(text, Does.Not.Contain(Field));
        var design = DesignFile.Parse(text, file);
        Assert.That(design.Adc.SarClockPeriodSeconds, Is.EqualTo(2e-9));
        Assert.That(DesignFile.Hash(design), Is.EqualTo(hashBefore));
        Assert.That(DesignFile.Text(design), Is.EqualTo(text), "written again, byte for byte the shipped file");
    }

    [Test]
    public void When_AnyShippedSampleIsWrittenAgain_Expect_NoSarClockField()
    {
        foreach (string path in Directory.GetFiles(Path.Combine(TestAssets.RepositoryRoot(), "samples", "designs"), "*.json"))
        {
            var design = DesignFile.Read(path);
            if (design.Adc.SarClockPeriodSeconds == AdcDesign.DefaultSarClockPeriodSeconds)
                Assert.That(DesignFile.Text(design), Does.Not.Contain(Field), path);
            else
                Assert.That(File.ReadAllText(path), Does.Contain(Field), path);
        }
    }

    [Test]
    public void When_SarClockWrittenAtItsDefault_Expect_TheDesignAndHashOfAFileWithoutIt()
    {
        var root = JsonNode.Parse(DesignFile.Text(new CircuitDesign()))!.AsObject();
        root[AdcDesign.Section]![Field] = 2e-9;
        var design = DesignFile.Parse(root.ToJsonString(), "explicit.json");
        Assert.That(design, Is.EqualTo(new CircuitDesign()));
        Assert.That(DesignFile.Hash(design), Is.EqualTo(DesignFile.Hash(new CircuitDesign())));
        Assert.That(DesignFile.Text(design), Does.Not.Contain(Field), "at the default the field is left out");
    }

    [Test]
    public void When_SarClockSet_Expect_WrittenReadBackOnTheSarAndANewHash()
    {
        var design = new CircuitDesign { Adc = new() { SarClockPeriodSeconds = 3e-9 } };
        string text = DesignFile.Text(design);
        Assert.That(text, Does.Contain($"\"{Field}\": 3E-09"));
        var read = DesignFile.Parse(text, "slow-sar.json");
        Assert.That(read.Adc, Is.EqualTo(design.Adc));
        Assert.That(read.Adc.SarAdc.ClockPeriodSeconds, Is.EqualTo(3e-9));
        Assert.That(read.Adc.SarAdc.ConversionSeconds, Is.EqualTo(27e-9).Within(1e-21), "9 periods of 3 ns (clear, 3 sampling, 5 bits); 1e-21 s is rounding");
        Assert.That(DesignFile.Hash(read), Is.EqualTo(DesignFile.Hash(design)));
        Assert.That(DesignFile.Hash(design), Is.Not.EqualTo(DesignFile.Hash(new CircuitDesign())));
        Assert.That(DesignFile.Hash(design with { Adc = design.Adc with { SarClockPeriodSeconds = 2.5e-9 } }), Is.Not.EqualTo(DesignFile.Hash(design)));
    }

    /// <summary>
    /// samples/designs/ss-signoff.json is ss-value-read.json (SS, the value read that reads at SS 85 C) with the evaluation
    /// window and SAR clock measured to read at SS 27 and 85 C (docs/energy/ss-corner/signoff/), and nothing else changed.
    /// </summary>
    [Test]
    public void When_SsSignoffSampleRead_Expect_SsValueReadWithTheLongerWindowAndTheSlowerSar()
    {
        var signoff = DesignFile.Read(TestAssets.RepositoryFile("samples/designs/ss-signoff.json"));
        var valueRead = DesignFile.Read(TestAssets.RepositoryFile("samples/designs/ss-value-read.json"));
        var expected = valueRead with
        {
            Array = valueRead.Array with { EvalWindowSeconds = 8e-9 },
            Adc = valueRead.Adc with { SarClockPeriodSeconds = 3e-9 },
        };
        Assert.That(DesignFile.Hash(signoff), Is.EqualTo(DesignFile.Hash(expected)), "every field (the hash covers them all) but the two");
        Assert.That(signoff.Array.CycleSeconds, Is.EqualTo(10.27e-9).Within(1e-21), "1 + 8 + 1 ns phases, 6 edges and 3 gaps (0.27 ns); 1e-21 s is rounding");
        Assert.That(DesignFile.Text(signoff), Is.EqualTo(File.ReadAllText(TestAssets.RepositoryFile("samples/designs/ss-signoff.json"))), "the sample is as `mbi design init` writes it");
    }

    [Test]
    public void When_MonteCarloSettingsCarryTheDesign_Expect_TheSarClockKept()
    {
        var design = new CircuitDesign { Adc = new() { SarClockPeriodSeconds = 3e-9 } };
        var settings = design.ApplyTo(new Mbi.Circuit.MonteCarlo.MonteCarloSettings { Technology = design.Technology });
        Assert.That(CircuitDesign.From(settings, design.Card, design.CornerTable), Is.EqualTo(design), "mc and sweep record the design they were given");
    }

    [TestCase("0", "adc.sar_clock_period_seconds was 0 s; it must be between 200 ps and 100 ns")]
    [TestCase("1e-10", "adc.sar_clock_period_seconds was 100 ps; it must be between 200 ps and 100 ns")]
    [TestCase("2e-7", "adc.sar_clock_period_seconds was 200 ns; it must be between 200 ps and 100 ns")]
    [TestCase("-3e-9", "adc.sar_clock_period_seconds was -3.00 ns; it must be between 200 ps and 100 ns")]
    public void When_SarClockOutOfRange_Expect_OneLineNamingFileFieldValueRangeAndExample(string json, string words)
    {
        var root = JsonNode.Parse(DesignFile.Text(new CircuitDesign()))!.AsObject();
        root[AdcDesign.Section]![Field] = JsonNode.Parse(json);
        var e = Assert.Throws<BadInputException>(() => DesignFile.Parse(root.ToJsonString(), "sar.json"));
        Assert.That(e!.Message, Does.StartWith("sar.json: " + words).And.Contain("(e.g. 3ns)"));
        Assert.That(e.Message, Does.Not.Contain("\n"), "one line");
    }

    [Test]
    public void When_SarClockNotANumber_Expect_FileFormatErrorNamingTheField()
    {
        var root = JsonNode.Parse(DesignFile.Text(new CircuitDesign()))!.AsObject();
        root[AdcDesign.Section]![Field] = "3ns";
        var e = Assert.Throws<FileFormatException>(() => DesignFile.Parse(root.ToJsonString(), "sar.json"));
        Assert.That(e!.Message, Does.Contain($"adc.{Field} was \"3ns\"; it must be a number"));
    }
}
