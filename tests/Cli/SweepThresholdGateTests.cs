using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Cli.Commands;
using Mbi.Core.Randomness;
using NUnit.Framework;

namespace Mbi.Cli.Tests;

/// <summary>
/// `mbi sweep-threshold --gate FILE`: the sweep over a learned gate's scores is mixed MBI at each T exactly as
/// <see cref="MbiEvaluation.Mixed(MbiRun, ReadOnlySpan{double}, ReadOnlySpan{int}, ReadOnlySpan{byte}, double)"/> gives it
/// (infer's rule), today's sweep is unchanged, and a gate fitted on another table or vote is refused as infer refuses it.
/// </summary>
[TestFixture]
[NonParallelizable] // the CLI cases redirect the process-wide Console
public sealed class SweepThresholdGateTests
{
    private const int Glimpses = 3, Vote = 5;
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("mbi-sweep-gate-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void When_SweptOverALearnedGatesScores_Expect_EveryPointMixedMbiAtThatT()
    {
        var (run, labels, ram) = SyntheticRun(400, seed: 3);
        var gate = LearnedGate.Fit(run, labels, Vote, 10, 1, new string('0', 64), "tree");
        double[] scores = gate.Scores(run);
        Assert.That(scores.Min(), Is.LessThan(-1), "the synthetic gate scores confident images negative, as real gates do");
        var points = SweepThresholdCommand.Points(run, scores, ram, labels, -6, 2, 0.25, 0);
        Assert.That(points, Has.Count.EqualTo(33));
        for (int k = 0; k < points.Count; k++)
        {
            double t = -6 + 0.25 * k; // quarter steps: exact in binary, so the sweep's T is this T bit for bit
            Assert.That(points[k], Is.EqualTo(MbiEvaluation.Mixed(run, scores, ram, labels, t)), $"T = {t}");
            Assert.That(points[k].MbiFraction, Is.EqualTo(scores.Count(s => s <= t) / (double)scores.Length), $"T = {t}: served = scored <= T");
        }
    }

    [TestCase(0.0)]
    [TestCase(20.0)]
    public void When_SweptWithoutAGate_Expect_TodaysGateAtEveryT(double agreementWeight)
    {
        var (run, labels, ram) = SyntheticRun(200, seed: 4);
        var points = SweepThresholdCommand.Points(run, null, ram, labels, 0, 30, 0.5, agreementWeight);
        Assert.That(points, Has.Count.EqualTo(61));
        for (int k = 0; k < points.Count; k++)
            Assert.That(points[k], Is.EqualTo(MbiEvaluation.Mixed(run, ram, labels, 0.5 * k, agreementWeight)));
    }

    [TestCase(null, 0.0, "distance")]
    [TestCase(null, 20.0, "agreement L=20")]
    [TestCase(null, 0.5, "agreement L=0.5")]
    [TestCase("runs/g.json", 0.0, "learned runs/g.json")]
    public void When_GateNamed_Expect_WhatTheCsvJsonAndFigureSay(string? path, double agreementWeight, string name) =>
        Assert.That(SweepThresholdCommand.GateName(path, agreementWeight), Is.EqualTo(name));

    [Test]
    public void When_GateWasFittedOnAnotherTable_Expect_RefusedNamingTheFileBeforeAnyImageIsRead()
    {
        string lut = WriteTable();
        string gate = WriteGate("other.json", new string('0', 64));
        var (exit, stdout, stderr) = Sweep(lut, gate, Vote);
        Assert.That(exit, Is.EqualTo(ExitCodes.BadInputFile), stderr);
        Assert.That(stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.StartWith("mbi: error: ").And.Contain("other.json").And.Contain("fitted on table 000000000000").And.Contain("--out-lut"));
        Assert.That(stdout, Is.Empty);
        Assert.That(Path.Combine(_dir, "out", "fig5_threshold.csv"), Does.Not.Exist);
    }

    [Test]
    public void When_VoteDiffersFromTheGates_Expect_RefusedNamingTheVoteItWasFittedWith()
    {
        string lut = WriteTable();
        string gate = WriteGate("this.json", TableIdentity.Sha256(LutFile.Read(lut)));
        var (exit, _, stderr) = Sweep(lut, gate, 3);
        Assert.That(exit, Is.EqualTo(ExitCodes.Usage), stderr);
        Assert.That(stderr, Does.StartWith("mbi: error: --vote was 3").And.Contain("5, the vote the learned gate").And.Contain("this.json"));
    }

    private (int Exit, string Out, string Err) Sweep(string lut, string gate, int vote) =>
        InProcessCli.Run("sweep-threshold", "--lut", lut, "--gate", gate, "--vote", vote.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--from", "-6", "--to", "2", "--out", Path.Combine(_dir, "out"), "--mnist", Path.Combine(_dir, "no-mnist"));

    /// <summary>A 3-row table of <see cref="Glimpses"/> glimpses (as LearnedGateTests' trace test builds).</summary>
    private string WriteTable()
    {
        var spec = new GlimpseKeySpec(patchSize: 1, scales: 1, scaleFactor: 1, patchBits: 1, hiddenBits: 3, locationLevels: 5, glimpses: Glimpses);
        var table = new LookupTable(spec, 3, new byte[3 * (1 + 3 + 2)], [1, 0, 0, 0, 1, 0, 1, 0, 0], [1, 1, 2, 2, 3, 3], [7, 3, 7], new byte[3], 2, 2,
            DistanceWeights.Unweighted, KeyMetric.Manhattan, "sweep gate test");
        string path = Path.Combine(_dir, "t.lut");
        LutFile.Write(path, table);
        return path;
    }

    /// <summary>A gate for <see cref="Glimpses"/> glimpses, 10 classes and vote 5, fitted on a synthetic run, labelled as table <paramref name="tableSha256"/>'s.</summary>
    private string WriteGate(string name, string tableSha256)
    {
        var (run, labels, _) = SyntheticRun(300, seed: 5);
        string path = Path.Combine(_dir, name);
        LearnedGateFile.Write(path, LearnedGate.Fit(run, labels, Vote, 10, 1, tableSha256, "tree"));
        return path;
    }

    /// <summary>
    /// A run of <paramref name="n"/> images with a glimpse trace: each image has a hidden quality q in [0, 1]; its lookups
    /// are right with probability q, its distances shrink and its vote agrees more as q grows, so a gate can learn it.
    /// The RAM is right on 90 % of images.
    /// </summary>
    private static (MbiRun Run, byte[] Labels, int[] Ram) SyntheticRun(int n, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var predicted = new int[n];
        var worst = new double[n];
        var agreement = new double[n];
        var trace = new GlimpseTrace[n * Glimpses];
        var labels = new byte[n];
        var ram = new int[n];
        for (int i = 0; i < n; i++)
        {
            double q = rng.NextDouble();
            predicted[i] = rng.NextInt(10);
            labels[i] = (byte)(rng.NextDouble() < q ? predicted[i] : (predicted[i] + 1 + rng.NextInt(9)) % 10);
            ram[i] = rng.NextDouble() < 0.9 ? labels[i] : (labels[i] + 1) % 10;
            for (int t = 0; t < Glimpses; t++)
            {
                double d = 20 * (1 - q) + 3 * rng.NextDouble();
                double share = Math.Clamp(q + 0.2 * (rng.NextDouble() - 0.5), 0.2, 1);
                int cls = rng.NextDouble() < q ? predicted[i] : rng.NextInt(10);
                trace[i * Glimpses + t] = new GlimpseTrace(d, d + 5 * rng.NextDouble(), share, share, t == Glimpses - 1 ? predicted[i] : cls, cls,
                    1 + (int)(share * (Vote - 1)));
                worst[i] = Math.Max(worst[i], d);
            }
            agreement[i] = trace[i * Glimpses + Glimpses - 1].ClassAgreement + trace[i * Glimpses].HiddenAgreement;
        }
        return (new MbiRun(predicted, worst, agreement, new double[n * Glimpses], n * Glimpses, n, n) { Trace = trace }, labels, ram);
    }
}
