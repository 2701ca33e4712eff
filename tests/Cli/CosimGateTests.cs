using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mbi.Algorithm.Memorization;
using Mbi.Circuit.Engine;
using Mbi.Cli.Commands;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Mapping;
using Mbi.CoSim.Studies;
using Mbi.Core.Errors;
using Mbi.Tests;
using NUnit.Framework;

namespace Mbi.Cli.Tests;

/// <summary>
/// `mbi cosim --gate FILE --threshold T`: the learned gate's mixed MBI on the ideal arrays and on every die, in the JSON,
/// summary.json and dies.csv. The ideal arrays' figures must be the gated chain `infer --gate` runs, on the arrays cosim
/// builds from the same flags (that chain equals infer's digital search image by image: LearnedGateDieTests). The shipped
/// characterisation covers the binary-coded arrays only, so these runs are binary coded (thermometer would need ngspice's
/// characterisation, minutes per cold cache).
/// </summary>
[TestFixture]
[NonParallelizable] // redirects the process-wide Console
public sealed class CosimGateTests
{
    private const int Images = 60;
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        try { NgSpiceNative.LocateLibrary(); }
        catch (EngineMissingException e) { Assert.Ignore($"ngspice shared library not available: {e.Message}"); }
        _dir = Directory.CreateTempSubdirectory("mbi-cosim-gate-").FullName;
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [OneTimeTearDown]
    public void DeleteTable() => SmallLut.Delete();

    [Test]
    public void When_CosimRunsALearnedGate_Expect_TheIdealArraysGatedChainAndEveryDiesMixedFigures()
    {
        var (mnist, lut, gatePath) = SmallGate.Write(_dir);
        string model = TestAssets.ShippedModel();
        string[] setupFlags = ["--lut", lut, "--model", model, "--mnist", mnist, "--test-images", Images.ToString(CultureInfo.InvariantCulture), "--seed", "1", .. SmallGate.TreeFlags];

        // The chain on ideal arrays, built from the flags as cosim builds it: one traced pass, the gate's scores, mixed at T.
        var options = new CoSimOptions();
        var command = new Command("under-test");
        options.AddTo(command);
        var setup = LookupSetup.Build(options.Setup(command.Parse(setupFlags)) with { Coding = ColumnCoding.Binary });
        var gate = LearnedGateFile.Read(gatePath);
        var (run, scores) = VariationStudy.GatedLookups(setup, new CircuitTreeSearch(setup.Mapped, new IdealArrayModel()), SmallGate.Vote, gate);
        int[] ram = MbiEvaluation.RunModel(setup.Model, setup.Test);
        double t = scores.Order().ElementAt(Images * 3 / 4);
        var expected = MbiEvaluation.Mixed(run, scores, ram, setup.Test.Labels, t);
        Assert.That(expected.MbiFraction, Is.InRange(0.5, 0.95), "the threshold serves some images and falls back on others");

        string outDir = Path.Combine(_dir, "out");
        var (exit, stdout, stderr) = InProcessCli.Run(["cosim", .. setupFlags, "--cache", ShardMergeTests.SeededCosimCache(), "--codings", "binary",
            "--vote", "5", "--gate", gatePath, "--threshold", t.ToString("R", CultureInfo.InvariantCulture), "--dies", "2", "--workers", "1", "--out", outDir, "--json"]);
        Assert.That(exit, Is.Zero, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        var coding = root.GetProperty("codings")[0];
        Assert.That(coding.GetProperty("ideal_mixed_accuracy").GetDouble(), Is.EqualTo(expected.Accuracy));
        Assert.That(coding.GetProperty("ideal_mbi_fraction").GetDouble(), Is.EqualTo(expected.MbiFraction));
        Assert.That(coding.GetProperty("ideal_mbi_accuracy").GetDouble(), Is.EqualTo(run.Accuracy(setup.Test.Labels)));

        // Every die's mixed figures are its own gate's, and the served share is summarised over the dies.
        var dies = coding.GetProperty("per_die").EnumerateArray().ToList();
        Assert.That(dies, Has.Count.EqualTo(2));
        double[] served = [.. dies.Select(d => d.GetProperty("mbi_fraction").GetDouble())];
        var over = coding.GetProperty("served_over_dies");
        Assert.That((over.GetProperty("mean").GetDouble(), over.GetProperty("fewest").GetDouble(), over.GetProperty("most").GetDouble()),
            Is.EqualTo((served.Average(), served.Min(), served.Max())));
        Assert.That(coding.GetProperty("mean_mixed_accuracy").GetDouble(), Is.EqualTo(dies.Average(d => d.GetProperty("mixed_accuracy").GetDouble())));

        var mixed = root.GetProperty("mixed_gate");
        Assert.That(mixed.GetProperty("gate").GetString(), Is.EqualTo("learned"));
        Assert.That(mixed.GetProperty("gate_file").GetString(), Is.EqualTo(gatePath));
        Assert.That(mixed.GetProperty("threshold").GetDouble(), Is.EqualTo(t));
        Assert.That(mixed.GetProperty("fallback").GetString(), Is.EqualTo(model));
        Assert.That(mixed.GetProperty("fallback_accuracy").GetDouble(), Is.EqualTo(FallbackModel.Accuracy(ram, setup.Test)));
        Assert.That(mixed.GetProperty("regression_bits").GetInt32(), Is.EqualTo(8));

        // summary.json says which gate the mixed figures are; dies.csv carries each die's.
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.That(summary.RootElement.GetProperty("mixed_gate").GetProperty("gate").GetString(), Is.EqualTo("learned"));
        var rows = File.ReadAllLines(Path.Combine(outDir, "dies.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.That(rows.Select(r => double.Parse(r[4], CultureInfo.InvariantCulture)), Is.EqualTo(served));
    }

    [Test]
    public void When_TheGateWasFittedForTheOtherCoding_Expect_OneLineNamingTheCodingThatFitsBeforeAnyWork()
    {
        var (_, lut, gatePath) = SmallGate.Write(_dir);
        var (exit, stdout, stderr) = InProcessCli.Run("cosim", "--lut", lut, "--vote", "5", "--gate", gatePath, "--threshold", "-1",
            "--mnist", Path.Combine(_dir, "no-mnist"), "--out", Path.Combine(_dir, "out"));
        Assert.That(exit, Is.EqualTo(ExitCodes.Usage), stderr);
        Assert.That(stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.StartWith("mbi: error: --codings was binary,thermometer; it must be binary with --gate")
            .And.Contain("hamming distance").And.Contain("e.g. --codings binary"));
        Assert.That(stdout, Is.Empty);
        Assert.That(Path.Combine(_dir, "out"), Does.Not.Exist);
    }
}
