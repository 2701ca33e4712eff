using Mbi.Circuit.Engine;
using Mbi.Cli;
using Mbi.Core.Errors;
using Mbi.Tests;
using NUnit.Framework;

namespace Mbi.Cli.Tests;

/// <summary>
/// `mbi mc|sweep --shard K/N` then `mbi merge` against a single run of the same command, on the cheapest SPICE bench the
/// Monte Carlo tests use (2 columns, a few dies: about half a second of CPU per transient). The merged folder must hold
/// the single run's files byte for byte, except run.json (how each process ran: wall time, workers) and shards.json
/// (the merge's record of its shards, which a single run does not have).
/// </summary>
[TestFixture]
[NonParallelizable] // redirects the process-wide Console
public sealed class ShardMergeTests
{
    private string _root = "";

    [SetUp]
    public void RequireNgspice()
    {
        try { NgSpiceNative.LocateLibrary(); }
        catch (EngineMissingException e) { Assert.Ignore($"ngspice shared library not available: {e.Message}"); }
        Directory.CreateDirectory(_root = Path.Combine(Path.GetTempPath(), $"mbi-shard-merge-{Guid.NewGuid():N}"));
    }

    [TearDown]
    public void DeleteRoot()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static (int Exit, string Err) Run(params string[] args)
    {
        var (exit, _, err) = InProcessCli.Run(args);
        return (exit, err);
    }

    private string Dir(string name) => Path.Combine(_root, name);

    /// <summary>Runs <paramref name="command"/> once whole and in <paramref name="shards"/> shards, merges, compares every file.</summary>
    private void AssertMergeIsSingleRun(string[] command, int shards, int minimumFiles = 6, bool workers = true)
    {
        string[] Workers(string n) => workers ? ["--workers", n] : [];
        var single = Run([.. command, .. Workers("1"), "--out", Dir("single")]);
        Assert.That(single.Exit, Is.Zero, single.Err);
        var folders = new List<string>();
        for (int k = shards; k >= 1; k--) // any order, and each shard with its own worker count
        {
            folders.Add(Dir($"shard-{k}"));
            var (exit, err) = Run([.. command, .. Workers(k == 1 ? "2" : "1"), "--shard", $"{k}/{shards}", "--out", folders[^1]]);
            Assert.That(exit, Is.Zero, err);
            Assert.That(Directory.GetFiles(folders[^1], "*.csv", SearchOption.AllDirectories), Is.Empty, "a shard writes no reports");
        }
        var merged = Run(["merge", .. folders, "--out", Dir("merged")]);
        Assert.That(merged.Exit, Is.Zero, merged.Err);

        var files = Directory.GetFiles(Dir("single"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Dir("single"), f)).Where(f => f != "run.json").Order().ToList();
        Assert.That(files, Has.Count.GreaterThanOrEqualTo(minimumFiles));
        foreach (string file in files)
            Assert.That(File.ReadAllBytes(Path.Combine(Dir("merged"), file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(Dir("single"), file))), file);
    }

    [Test]
    public void When_McRunIn2ShardsIsMerged_Expect_TheSingleRunsBytesAndAnotherSeedsShardRefused()
    {
        string[] mc = ["mc", "--columns", "2", "--samples", "3", "--seed", "11"];
        AssertMergeIsSingleRun(mc, shards: 2);

        // Shard 2/2 of the same command with seed 12 (its manifest says so; the dies need not be simulated to be refused).
        Directory.CreateDirectory(Dir("other-2"));
        File.Copy(Path.Combine(Dir("shard-2"), "dies.journal"), Path.Combine(Dir("other-2"), "dies.journal"));
        File.WriteAllText(Path.Combine(Dir("other-2"), "shard.json"), File.ReadAllText(Path.Combine(Dir("shard-2"), "shard.json"))
            .Replace("\"11\"", "\"12\"").Replace("\"seed\": 11", "\"seed\": 12"));
        var (exit, err) = Run(["merge", Dir("shard-1"), Dir("other-2"), "--out", Dir("refused")]);
        Assert.That(exit, Is.EqualTo(MbiCli.UserErrorExitCode));
        Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(err, Does.StartWith("mbi: error: ").And.Contain("is a shard of a different run").And.Contain("seed 12, not 11"));
        Assert.That(Directory.Exists(Dir("refused")), Is.False, "nothing merged");
    }

    [Test]
    public void When_SweepRunIn3ShardsIsMerged_Expect_TheSingleRunsBytesEvenWithAShardOfNoDies() =>
        // Two points (adc-bits 4 and 5) read one set of 2 dies; shard 3/3 owns none of them.
        AssertMergeIsSingleRun(["sweep", "--columns", "2", "--samples", "2", "--seed", "3", "--vary", "adc-bits=4,5"], shards: 3);

    /// <summary>
    /// The cache folder the cosim tests share, seeded with the shipped compact-model and energy-band files: they hold these
    /// runs' characterisation under the same content-keyed names, but a --cache folder is not searched for the shipped
    /// ones, so on a machine whose cache is cold the run would measure them with ngspice on one worker (about 16 minutes,
    /// measured on this project's 2-core VM).
    /// </summary>
    internal static string SeededCosimCache()
    {
        string cache = Path.Combine(Path.GetTempPath(), "mbi-cosim-tests-cache");
        Directory.CreateDirectory(cache);
        foreach (string file in Directory.GetFiles(Path.Combine(TestAssets.RepositoryRoot(), "models", "characterisation"), "*", SearchOption.AllDirectories)
                     .Where(f => Path.GetFileName(f).StartsWith("compact-", StringComparison.Ordinal) || Path.GetFileName(f).StartsWith("energy-bands-", StringComparison.Ordinal)))
        {
            string target = Path.Combine(cache, Path.GetFileName(file));
            if (!File.Exists(target)) File.Copy(file, target);
        }
        return cache;
    }

    /// <summary>
    /// cosim at a toy size (a 64-row table distilled from 300 training images, 30 test images, 3 dies of the compact model with
    /// the default per-die ADC mismatch), the characterisation cached where the CoSim tests keep theirs.
    /// </summary>
    [Test]
    public void When_CosimRunIn2ShardsIsMerged_Expect_TheSingleRunsBytes()
    {
        string mnist = TestAssets.Mnist();
        string cache = SeededCosimCache();
        AssertMergeIsSingleRun(["cosim", "--dies", "3", "--rows", "64", "--train-images", "300", "--test-images", "30", "--codings", "binary",
            "--model", TestAssets.ShippedModel(), "--mnist", mnist, "--cache", cache, "--seed", "1"], shards: 2, minimumFiles: 4);
        // Without --gate or --fallback-model the report is what it was before those flags: no gate fields.
        string summary = File.ReadAllText(Path.Combine(Dir("single"), "summary.json"));
        Assert.That(summary, Does.Not.Contain("mixed_gate").And.Not.Contain("served_over_dies"));
    }

    /// <summary>
    /// cosim with a learned gate (`--gate FILE --threshold T`, a 4,000-row table and a gate fitted on it): every die's gated mixed
    /// figures travel through the shards' journals (they are the journal's mixed fields), so the merge writes a single run's bytes.
    /// </summary>
    [Test]
    public void When_CosimWithALearnedGateIsMerged_Expect_TheSingleRunsBytesAndTheGateReported()
    {
        var (mnist, lut, gate) = SmallGate.Write(_root);
        string cache = SeededCosimCache();
        AssertMergeIsSingleRun(["cosim", "--dies", "3", "--lut", lut, "--test-images", "30", "--codings", "binary", "--model", TestAssets.ShippedModel(),
            "--mnist", mnist, "--cache", cache, "--seed", "1", "--vote", "5", .. SmallGate.TreeFlags, "--gate", gate, "--threshold", "0"], shards: 2, minimumFiles: 4);
        var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir("single"), "summary.json"))).RootElement;
        Assert.That(summary.GetProperty("mixed_gate").GetProperty("gate").GetString(), Is.EqualTo("learned"));
        Assert.That(summary.GetProperty("codings")[0].TryGetProperty("served_over_dies", out _), Is.True);
    }

    /// <summary>The same toy cosim with voted, early-stopped passes: they travel through the shards and into the report.</summary>
    [Test]
    public void When_CosimWithVotedStoppedPassesIsMerged_Expect_TheSingleRunsBytesAndTheSettingsReported()
    {
        string mnist = TestAssets.Mnist();
        string cache = SeededCosimCache();
        AssertMergeIsSingleRun(["cosim", "--dies", "3", "--rows", "64", "--train-images", "300", "--test-images", "30", "--codings", "binary",
            "--model", TestAssets.ShippedModel(), "--mnist", mnist, "--cache", cache, "--seed", "1", "--passes", "3", "--vote", "3", "--stop-margin", "0.1"],
            shards: 2, minimumFiles: 4);
        var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir("single"), "summary.json"))).RootElement;
        Assert.That((summary.GetProperty("passes").GetInt32(), summary.GetProperty("vote").GetInt32(), summary.GetProperty("stop_margin").GetDouble()),
            Is.EqualTo((3, 3, 0.1)));
        // At margin 0.1 on this toy table some images stop after one or two passes and others run all three, on every die.
        var lookups = File.ReadAllLines(Path.Combine(Dir("single"), "dies.csv")).Skip(1).Select(l => long.Parse(l.Split(',')[5])).ToArray();
        Assert.That(lookups, Has.Length.EqualTo(3).And.All.InRange(30L * 5 + 1, 3L * 30 * 5 - 1), "each die stopped some images early and not all");
    }

    /// <summary>sweep-ram at a toy size: panel b's 10 points, one epoch on 40 training images each.</summary>
    [Test]
    public void When_SweepRamRunIn3ShardsIsMerged_Expect_TheSingleRunsBytes()
    {
        string mnist = TestAssets.Mnist();
        AssertMergeIsSingleRun(["sweep-ram", "--panels", "b", "--epochs", "1", "--train-limit", "40", "--validation", "20", "--mnist", mnist, "--seed", "2"],
            shards: 3, minimumFiles: 3, workers: false);
    }

    [Test]
    public void When_SweepRamIsRunAgain_Expect_EveryPointReadBackFromItsJournalAndTheSameBytes()
    {
        string mnist = TestAssets.Mnist();
        string[] Sweep(string seed) => ["sweep-ram", "--panels", "b", "--epochs", "1", "--train-limit", "40", "--validation", "20", "--mnist", mnist, "--seed", seed, "--out", Dir("sweep")];
        string[] sweep = Sweep("2");
        Assert.That(Run(sweep).Exit, Is.Zero);
        byte[] first = File.ReadAllBytes(Path.Combine(Dir("sweep"), "fig3.csv"));
        // Cut the journal back to its header and 4 points, as if the run had been killed after the fourth.
        string journal = Path.Combine(Dir("sweep"), "points.journal");
        File.WriteAllLines(journal, File.ReadAllLines(journal).Take(5));
        var (exit, err) = Run(sweep);
        Assert.That(exit, Is.Zero, err);
        Assert.That(err, Does.Contain("4 of 10 points read back"));
        Assert.That(File.ReadAllBytes(Path.Combine(Dir("sweep"), "fig3.csv")), Is.EqualTo(first));
        Assert.That(File.ReadAllLines(journal), Has.Length.EqualTo(11), "the 6 points trained again are journalled");

        var other = Run(Sweep("3"));
        Assert.That(other.Exit, Is.EqualTo(MbiCli.UserErrorExitCode));
        Assert.That(other.Err, Does.Contain("holds points of a different sweep").And.Contain("--fresh"));
    }

    [Test]
    public void When_AShardHasNotFinished_Expect_OneLineSayingSoAndNothingMerged()
    {
        Directory.CreateDirectory(Dir("shard-1"));
        var (exit, err) = Run(["merge", Dir("shard-1"), "--out", Dir("merged")]);
        Assert.That(exit, Is.EqualTo(MbiCli.UserErrorExitCode));
        Assert.That(err, Does.StartWith("mbi: error: ").And.Contain("has no shard.json").And.Contain("has not finished"));
    }
}
