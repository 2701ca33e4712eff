using System.Security.Cryptography;
using System.Text.Json;
using Mbi.Circuit.Engine;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Cli.Tests;

/// <summary>
/// `mbi mc` with and without the per-die ADC mismatch, on the cheapest bench (2 columns, 6 dies at sigma(Vth) 250 mV, so
/// that the array alone makes code errors). With the ADC sigmas set to zero samples.csv must be the bytes Mbi wrote before
/// the mismatch existed (its SHA-256 recorded from commit aec6591, `mbi mc --columns 2 --samples 6 --seed 5 --sigma-vth
/// 250mV`; re-recorded when the deck itself changed in session 5's merges: converged solver options, held storage and the
/// sum-line reset, with the mismatch branch's zero-sigma path unchanged), and summary.json must carry no new field.
/// </summary>
[TestFixture]
[NonParallelizable] // redirects the process-wide Console
public sealed class AdcMismatchMcTests
{
    private const string SamplesSha256BeforeAdcMismatch = "7552f8dc85a144f9e886167367d09e6edf81bc8ac166fedf09830654d634179a";
    private string _root = "";

    [SetUp]
    public void RequireNgspice()
    {
        try { NgSpiceNative.LocateLibrary(); }
        catch (EngineMissingException e) { Assert.Ignore($"ngspice shared library not available: {e.Message}"); }
        Directory.CreateDirectory(_root = Path.Combine(Path.GetTempPath(), $"mbi-adc-mismatch-{Guid.NewGuid():N}"));
    }

    [TearDown]
    public void DeleteRoot()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    // --drivers simulated: the recorded bytes are of dies that simulate their driver chains (session 6 made replaying them the default).
    private static readonly string[] Mc = ["mc", "--columns", "2", "--samples", "6", "--seed", "5", "--sigma-vth", "250mV", "--workers", "1", "--drivers", "simulated"];

    [Test]
    public void When_AdcSigmasAreZero_Expect_TodaysBytes_AndWithTheDefaultsMoreCodeErrorsReportedBesideTheArraysOwn()
    {
        string zero = Path.Combine(_root, "zero"), mismatch = Path.Combine(_root, "default");
        var (exit, _, err) = InProcessCli.Run([.. Mc, "--adc-comparator-offset-sigma", "0", "--adc-cap-mismatch", "0", "--out", zero]);
        Assert.That(exit, Is.Zero, err);
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(zero, "samples.csv")))), Is.EqualTo(SamplesSha256BeforeAdcMismatch));
        using var zeroSummary = JsonDocument.Parse(File.ReadAllText(Path.Combine(zero, "summary.json")));
        Assert.That(zeroSummary.RootElement.TryGetProperty("adc_mismatch", out _), Is.False);
        Assert.That(zeroSummary.RootElement.GetProperty("bits1").TryGetProperty("adc_code_error_rate_without_adc_mismatch", out _), Is.False);

        (exit, _, err) = InProcessCli.Run([.. Mc, "--adc-comparator-offset-sigma", "11.1", "--out", mismatch]); // the uncalibrated comparator
        Assert.That(exit, Is.Zero, err);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(mismatch, "summary.json")));
        Assert.That(summary.RootElement.GetProperty("adc_mismatch").GetProperty("comparator_offset_sigma_lsb").GetDouble(), Is.EqualTo(11.1));
        foreach (string mode in new[] { "bits1", "bits2" })
        {
            var with = summary.RootElement.GetProperty(mode);
            var without = zeroSummary.RootElement.GetProperty(mode);
            // The same dies through the nominal ADC are the zero-sigma run's readouts: the same error count exactly.
            Assert.That(with.GetProperty("code_errors_without_adc_mismatch").GetInt64(), Is.EqualTo(without.GetProperty("code_errors").GetInt64()), mode);
            // An offset of sigma 11.1 LSB leaves a readout's code unchanged with probability P(|N(0, 11.1)| < 1/2) = 3.6 %;
            // over 18-24 readouts of 6 dies, more than half wrong is certain to any practical odds (and the array adds its own).
            Assert.That(with.GetProperty("adc_code_error_rate").GetDouble(), Is.GreaterThan(0.5), mode);
            Assert.That(with.GetProperty("code_errors").GetInt64(), Is.GreaterThan(without.GetProperty("code_errors").GetInt64()), mode);
        }
        // The voltages are the dies' own, whatever the ADC: the samples differ only in the adc_code column.
        var a = File.ReadAllLines(Path.Combine(zero, "samples.csv"));
        var b = File.ReadAllLines(Path.Combine(mismatch, "samples.csv"));
        Assert.That(b, Has.Length.EqualTo(a.Length));
        int code = Array.IndexOf(a[0].Split(','), "adc_code");
        for (int i = 0; i < a.Length; i++)
        {
            var x = a[i].Split(',').ToList(); var y = b[i].Split(',').ToList();
            x.RemoveAt(code); y.RemoveAt(code);
            Assert.That(y, Is.EqualTo(x), $"line {i + 1}");
        }
    }
}
