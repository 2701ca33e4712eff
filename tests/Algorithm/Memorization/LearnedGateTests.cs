using System.Text;
using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.Core.Errors;
using Mbi.Core.Randomness;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Memorization;

[TestFixture]
public sealed class LearnedGateTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("mbi-gate-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    // ---------- the regression ----------

    [Test]
    public void When_TwoGroupsWithoutRidge_Expect_TheGroupsLogOdds()
    {
        // x = -1 (1 of 4 right) and x = +1 (3 of 4 right): mean 0, sd 1, so z = x, and the unpenalised fit reproduces each
        // group's share exactly: intercept 0, slope logit(3/4) = ln 3. Newton stops at steps < 1e-9, so the coefficients are
        // within ~1e-9 of the optimum (quadratic convergence leaves far less): tolerance 1e-8.
        double[] x = [-1, -1, -1, -1, 1, 1, 1, 1];
        bool[] y = [true, false, false, false, true, true, true, false];
        var fit = RidgeLogisticRegression.Fit(x, y, lambda: 0);
        Assert.That(fit.Means[0], Is.EqualTo(0.0));
        Assert.That(fit.Deviations[0], Is.EqualTo(1.0));
        Assert.That(fit.Beta[0], Is.EqualTo(0.0).Within(1e-8));
        Assert.That(fit.Beta[1], Is.EqualTo(Math.Log(3)).Within(1e-8));
        Assert.That(fit.LogOdds([1.0]), Is.EqualTo(Math.Log(3)).Within(1e-8));
    }

    [TestCase(0.01)]
    [TestCase(1.0)]
    [TestCase(100.0)]
    public void When_Fitted_Expect_ThePenalisedLogLikelihoodsGradientZero(double lambda)
    {
        // Three features (one constant), 400 noisy rows. At the optimum: sum_i (y_i - p_i) z_ij - lambda beta_j = 0 for the
        // coefficients and sum_i (y_i - p_i) = 0 for the intercept. Gradient entries are sums of 400 terms of size <= ~3;
        // 1e-7 is far above the rounding of those sums (~1e-13) and far below any unconverged step.
        var rng = new SeededRandom(11);
        int n = 400, p = 3;
        var x = new double[n * p];
        var y = new bool[n];
        for (int i = 0; i < n; i++)
        {
            x[i * p] = 10 + 3 * rng.NextGaussian();
            x[i * p + 1] = rng.NextDouble() < 0.3 ? 1 : 0;
            x[i * p + 2] = 4; // constant: sd 0, no effect
            double eta = 0.8 * (x[i * p] - 10) / 3 - 1.5 * x[i * p + 1] + 0.2;
            y[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-eta));
        }
        var fit = RidgeLogisticRegression.Fit(x, y, lambda);
        Assert.That(fit.Deviations[2], Is.EqualTo(0.0));
        Assert.That(fit.Beta[3], Is.EqualTo(0.0), "a constant feature gets no weight");
        var gradient = new double[p + 1];
        for (int i = 0; i < n; i++)
        {
            double pr = 1 / (1 + Math.Exp(-fit.LogOdds(x.AsSpan(i * p, p))));
            double residual = (y[i] ? 1 : 0) - pr;
            gradient[0] += residual;
            for (int j = 0; j < p; j++) gradient[j + 1] += residual * (fit.Deviations[j] > 0 ? (x[i * p + j] - fit.Means[j]) / fit.Deviations[j] : 0);
        }
        for (int j = 1; j <= p; j++) gradient[j] -= lambda * fit.Beta[j];
        Assert.That(gradient, Has.All.InRange(-1e-7, 1e-7));
        Assert.That(fit.Iterations, Is.LessThan(RidgeLogisticRegression.MaxIterations), "converged");
    }

    [Test]
    public void When_Standardised_Expect_PopulationMeanAndSdOfTheFitSet()
    {
        // Feature values 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population sd 2 (exact in binary).
        double[] x = [2, 4, 4, 4, 5, 5, 7, 9];
        bool[] y = [false, false, true, false, true, true, true, true];
        var fit = RidgeLogisticRegression.Fit(x, y, lambda: 1);
        Assert.That(fit.Means[0], Is.EqualTo(5.0));
        Assert.That(fit.Deviations[0], Is.EqualTo(2.0));
        Assert.That(fit.LogOdds([9.0]), Is.EqualTo(fit.Beta[0] + fit.Beta[1] * 2));
    }

    // ---------- features recorded by the lookups ----------

    [Test]
    public void When_ImagesClassifiedByVote_Expect_TheTraceHoldsWhatCombineReturns()
    {
        // Every key is the same (all at distance 0 from every query), so each glimpse votes over rows 0, 1, 2: classes 7, 3, 7.
        var spec = new GlimpseKeySpec(patchSize: 1, scales: 1, scaleFactor: 1, patchBits: 1, hiddenBits: 3, locationLevels: 5, glimpses: 3);
        byte[] hidden = [1, 0, 0, /**/ 0, 1, 0, /**/ 1, 0, 0];
        var lut = new LookupTable(spec, 3, new byte[3 * (1 + 3 + 2)], hidden, [1, 1, 2, 2, 3, 3], [7, 3, 7], new byte[3], 2, 2,
            DistanceWeights.Unweighted, KeyMetric.Manhattan, "trace test");
        var classifier = new MbiClassifier(lut, new QuantizedGlimpseSensor(spec), new BruteForceSearch(lut.PackKeys(), new DistanceKernel(lut.Layout, lut.Weights)), 3);
        var trace = new GlimpseTrace[3];
        var outcome = classifier.Classify(Mbi.Algorithm.Tests.Ram.RamGradientTests.Synthetic(1, 28, 4).Image(0), Span<double>.Empty, trace);
        int cls = MbiClassifier.Combine(lut, [0, 1, 2], [0.0, 0.0, 0.0], new byte[3], out _, out _, out double hag, out double cag, new double[3]);
        foreach (var step in trace)
            Assert.That(step, Is.EqualTo(new GlimpseTrace(step.Distance, step.Distance, hag, cag, cls, 7, 2)),
                "every voter at one distance; nearest row 0 (class 7); 2 of the 3 voters carry class 7");
        Assert.That(outcome.Class, Is.EqualTo(trace[^1].Class));
        Assert.That(outcome.Agreement, Is.EqualTo(trace[^1].ClassAgreement + Math.Min(trace[0].HiddenAgreement, trace[1].HiddenAgreement)));
    }

    [TestCase(1)]
    [TestCase(5)]
    public void When_RunWithTrace_Expect_ClassesDistancesAndAgreementBitIdentical(int vote)
    {
        var lut = RandomTables.Table(RandomTables.SmallSpec(), 600, seed: 31);
        var images = Mbi.Algorithm.Tests.Ram.RamGradientTests.Synthetic(60, 28, 9);
        var sensor = new QuantizedGlimpseSensor(lut.Spec);
        var tree = SearchFactory.Build(lut, SearchKind.Tree, new KMeansTreeOptions { Branching = 8, LeafSize = 16, Seed = 2 });
        var plain = MbiEvaluation.Run(new MbiClassifier(lut, sensor, tree, vote), images);
        var traced = MbiEvaluation.Run(new MbiClassifier(lut, sensor, tree, vote), images, trace: true);
        Assert.That(plain.Trace, Is.Null);
        Assert.That(traced.Predicted, Is.EqualTo(plain.Predicted));
        Assert.That(traced.MaxDistance, Is.EqualTo(plain.MaxDistance));
        Assert.That(traced.Agreement, Is.EqualTo(plain.Agreement));
        Assert.That(traced.MatchDistances, Is.EqualTo(plain.MatchDistances));
        Assert.That(traced.DistanceComputations, Is.EqualTo(plain.DistanceComputations));
        int g = lut.Spec.Glimpses;
        for (int i = 0; i < images.Count; i++)
        {
            var t = traced.Trace!.AsSpan(i * g, g);
            Assert.That(t[g - 1].Class, Is.EqualTo(traced.Predicted[i]));
            double max = 0;
            foreach (var step in t)
            {
                max = Math.Max(max, step.Distance);
                Assert.That(step.KthDistance, Is.GreaterThanOrEqualTo(step.Distance));
                Assert.That(step.Winners, Is.InRange(1, vote));
                if (vote == 1)
                    Assert.That(step, Is.EqualTo(new GlimpseTrace(step.Distance, step.Distance, 1, 1, step.Class, step.Class, 1)),
                        "one voter: dk = d, agreements 1, the nearest row's class, one winner");
            }
            Assert.That(max, Is.EqualTo(traced.MaxDistance[i]));
        }
    }

    [Test]
    public void When_FeaturesOfAHandMadeTrace_Expect_TheHarnessOrder()
    {
        GlimpseTrace[] trace =
        [
            new(1, 2, 0.5, 0.6, 3, 3, 4), new(2, 5, 0.7, 0.8, 4, 3, 3), new(4, 6, 0.9, 1.0, 3, 4, 5),
        ];
        var f = new double[LearnedGate.FeatureCount(3, 4)];
        LearnedGate.Features(trace, 4, 1.5, 3, 5, 4, f);
        Assert.That(f, Is.EqualTo(new double[]
        {
            1, 2, 4, /* d */ 2, 5, 6, /* dk */ 0.5, 0.7, 0.9, /* hag */ 0.6, 0.8, 1.0, /* cag */
            1, 0, /* [cls_t = cls3] */ 1, 1, 0, /* [ncls_t = cls3] */ 0.8, 0.6, 1.0, /* nwin / 5 */
            4, 7, 1.5, /* maxd, sum d, agreement */ 0, 0, 0, 1, /* class one-hot */
        }));
        Assert.That(LearnedGate.Names(3, 4), Has.Count.EqualTo(f.Length));
        Assert.That(LearnedGate.FeatureCount(5, 10), Is.EqualTo(47), "the harness's 37 'all' features + 10 classes");
    }

    // ---------- the gate, its file ----------

    [Test]
    public void When_VoteIsOne_Expect_TheGateRefusedNamingTheFix()
    {
        var (run, images, _) = Fitted(vote: 1, trace: true);
        var e = Assert.Throws<BadInputException>(() => LearnedGate.Fit(run, images.Labels, 1, 10, 1, "x", "tree"));
        Assert.That(e!.Message, Does.StartWith("vote was 1").And.Contain("> 1 for the learned gate").And.Contain("e.g. 5"));
    }

    [Test]
    public void When_SavedAndRead_Expect_TheSameBytesAndBitIdenticalScores()
    {
        var (run, _, gate) = Fitted(vote: 5, trace: true);
        string path = Path.Combine(_dir, "gate.json");
        LearnedGateFile.Write(path, gate);
        byte[] first = File.ReadAllBytes(path);
        var read = LearnedGateFile.Read(path);
        Assert.That(LearnedGateFile.ToBytes(read), Is.EqualTo(first), "read then written again: byte for byte");
        Assert.That(read.Scores(run), Is.EqualTo(gate.Scores(run)), "exact: the JSON numbers round-trip");
        Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { path }), "no temporary file left");
        Assert.That((read.Vote, read.FitImages, read.SplitSeed, read.Ridge, read.TableSha256), Is.EqualTo((gate.Vote, gate.FitImages, gate.SplitSeed, gate.Ridge, gate.TableSha256)));
    }

    [TestCase("\"ridge\": 1,", "\"ridge\": 2,", "sha256 does not match")]
    [TestCase("\"format\": \"mbi-learned-gate\"", "\"format\": \"mbi-other\"", "format is \"mbi-other\"")]
    [TestCase("{", "{ this is not json", "not a learned-gate JSON file")]
    public void When_FileIsCorrupt_Expect_FileFormatErrorNamingTheFileAndTheFix(string find, string replace, string problem)
    {
        var (_, _, gate) = Fitted(vote: 5, trace: true);
        string path = Path.Combine(_dir, "gate.json");
        string text = Encoding.UTF8.GetString(LearnedGateFile.ToBytes(gate));
        int at = text.IndexOf(find, StringComparison.Ordinal);
        File.WriteAllText(path, text[..at] + replace + text[(at + find.Length)..]);
        var e = Assert.Throws<FileFormatException>(() => LearnedGateFile.Read(path));
        Assert.That(e!.Message, Does.StartWith(path).And.Contain(problem).And.Contain("mbi tune-mixed --gate learned"));
    }

    [Test]
    public void When_TableOrVoteDiffer_Expect_TheGateRefused()
    {
        var (_, _, gate) = Fitted(vote: 5, trace: true);
        var lut = Table();
        Assert.DoesNotThrow(() => LearnedGateFile.CheckFits("g.json", gate, lut, 5));
        var e = Assert.Throws<FileFormatException>(() => LearnedGateFile.CheckFits("g.json", gate, lut.With(new DistanceWeights(1, 1, 1), lut.Metric), 5));
        Assert.That(e!.Message, Does.StartWith("g.json").And.Contain("fitted on table"));
        var v = Assert.Throws<BadInputException>(() => LearnedGateFile.CheckFits("g.json", gate, lut, 3));
        Assert.That(v!.Message, Does.StartWith("vote was 3").And.Contain("5, the vote"));
    }

    [Test]
    public void When_FittedOnAHammingTableUnderTheOldLayout_Expect_TheGateRefusedNamingTheCause()
    {
        // A gate fitted on a Hamming table before its location became a thermometer code holds the table's identity without
        // the layout's revision word: the same keys now rank differently, so the gate is refused, saying why.
        var (run, images, _) = Fitted(vote: 5, trace: true);
        var hamming = Table().With(DistanceWeights.Unweighted, KeyMetric.BitWeightedHamming);
        string legacy = TableIdentity.LegacyHammingSha256(hamming)!;
        Assert.That(legacy, Is.Not.EqualTo(TableIdentity.Sha256(hamming)));
        Assert.That(TableIdentity.LegacyHammingSha256(Table()), Is.Null, "a Manhattan table's identity never changed");
        var old = LearnedGate.Fit(run, images.Labels, 5, hamming.Spec.Classes, 1, legacy, "tree");
        var e = Assert.Throws<FileFormatException>(() => LearnedGateFile.CheckFits("g.json", old, hamming, 5));
        Assert.That(e!.Message, Does.StartWith("g.json").And.Contain("old Hamming distance").And.Contain("mbi tune-mixed --gate learned"));
        var current = LearnedGate.Fit(run, images.Labels, 5, hamming.Spec.Classes, 1, TableIdentity.Sha256(hamming), "tree");
        Assert.DoesNotThrow(() => LearnedGateFile.CheckFits("g.json", current, hamming, 5));
    }

    [Test]
    public void When_ScoresAreTheAgreementGates_Expect_BestThresholdAndMixedAsTheAgreementRule()
    {
        var (run, images, gate) = Fitted(vote: 5, trace: true);
        int[] model = [.. Enumerable.Range(0, images.Count).Select(i => i % 3 == 0 ? (images.Labels[i] + 1) % 10 : images.Labels[i])];
        var scores = Enumerable.Range(0, images.Count).Select(i => run.GateScore(i, 20)).ToArray();
        foreach (double target in new[] { 0.5, 0.6 })
        {
            var byScores = MbiEvaluation.BestThreshold(run, scores, model, images.Labels, target);
            var byRule = MbiEvaluation.BestThreshold(run, model, images.Labels, target, 20);
            Assert.That((byScores.Threshold, byScores.Accuracy, byScores.MbiFraction), Is.EqualTo((byRule.Threshold, byRule.Accuracy, byRule.MbiFraction)));
        }
        // The learned scores' best threshold: its served set is exactly the images scored <= T.
        var learned = gate.Scores(run);
        var best = MbiEvaluation.BestThreshold(run, learned, model, images.Labels, 0.5);
        Assert.That(best.MbiFraction, Is.EqualTo(learned.Count(s => s <= best.Threshold) / (double)images.Count));
        Assert.That(best, Is.EqualTo(MbiEvaluation.Mixed(run, learned, model, images.Labels, best.Threshold)));
    }

    [Test]
    public void When_TargetIsNoLoss_Expect_TheFitOfLookupRightOrFallbackWrong()
    {
        var (run, images, _) = Fitted(vote: 5, trace: true);
        // A fallback wrong on every third image: the no-loss target is "lookups right" or'd with that.
        int[] fallback = [.. Enumerable.Range(0, images.Count).Select(i => i % 3 == 0 ? (images.Labels[i] + 1) % 10 : images.Labels[i])];
        var lut = Table();
        var noLoss = LearnedGate.Fit(run, images.Labels, 5, 10, 1, TableIdentity.Sha256(lut), "tree", target: LearnedGateTarget.NoLoss, fallback: fallback);
        // The same fit as the default target on labels rewritten so that "right" is the no-loss event.
        byte[] rewritten = [.. Enumerable.Range(0, images.Count).Select(i => fallback[i] != images.Labels[i] ? (byte)run.Predicted[i] : images.Labels[i])];
        var byHand = LearnedGate.Fit(run, rewritten, 5, 10, 1, TableIdentity.Sha256(lut), "tree");
        Assert.That(noLoss.Scores(run), Is.EqualTo(byHand.Scores(run)));
        Assert.That((noLoss.Target, byHand.Target), Is.EqualTo((LearnedGateTarget.NoLoss, LearnedGateTarget.LookupRight)));
        Assert.That(noLoss.Scores(run), Is.Not.EqualTo(Fitted(5, true).Gate.Scores(run)), "not the lookup-right fit on the true labels");
        Assert.Throws<ArgumentException>(() => LearnedGate.Fit(run, images.Labels, 5, 10, 1, "x", "tree", target: LearnedGateTarget.NoLoss));
    }

    [Test]
    public void When_NoLossGateSavedAndRead_Expect_ItsTargetKeptAndAnUnknownTargetRefused()
    {
        var (run, images, gate) = Fitted(vote: 5, trace: true);
        int[] fallback = [.. Enumerable.Range(0, images.Count).Select(i => (images.Labels[i] + i % 2) % 10)];
        var noLoss = LearnedGate.Fit(run, images.Labels, 5, 10, 1, gate.TableSha256, "tree", target: LearnedGateTarget.NoLoss, fallback: fallback);
        string path = Path.Combine(_dir, "gate.json");
        LearnedGateFile.Write(path, noLoss);
        Assert.That(File.ReadAllText(path), Does.Contain($"\"target\": \"{LearnedGate.NoLossText}\""));
        var read = LearnedGateFile.Read(path);
        Assert.That((read.Target, read.Scores(run)), Is.EqualTo((LearnedGateTarget.NoLoss, noLoss.Scores(run))));
        // The default target writes the text every earlier gate file carries, so those files read as before.
        Assert.That(Encoding.UTF8.GetString(LearnedGateFile.ToBytes(gate)), Does.Contain("\"target\": \"the lookups' class is right\""));
        // A target this Mbi does not fit is refused even with a matching checksum.
        File.WriteAllText(path, GateRuns.Resigned(Encoding.UTF8.GetString(LearnedGateFile.ToBytes(gate)).Replace("the lookups' class is right", "something else")));
        var e = Assert.Throws<FileFormatException>(() => LearnedGateFile.Read(path));
        Assert.That(e!.Message, Does.StartWith(path).And.Contain("target \"something else\""));
    }

    private static LookupTable Table() => RandomTables.Table(RandomTables.SmallSpec(), 600, seed: 31);

    /// <summary>A tree run of 200 synthetic images over a random table, and a gate fitted on it (labels from the table's classes, mostly).</summary>
    private static (MbiRun Run, MnistImages Images, LearnedGate Gate) Fitted(int vote, bool trace)
    {
        var lut = Table();
        var raw = Mbi.Algorithm.Tests.Ram.RamGradientTests.Synthetic(200, 28, 9);
        var tree = SearchFactory.Build(lut, SearchKind.Tree, new KMeansTreeOptions { Branching = 8, LeafSize = 16, Seed = 2 });
        var run = MbiEvaluation.Run(new MbiClassifier(lut, new QuantizedGlimpseSensor(lut.Spec), tree, vote), raw, trace: trace);
        // Labels: the lookups' class for 60 % of images (seeded), another class otherwise, so "right" is neither rare nor certain.
        var rng = new SeededRandom(5);
        byte[] labels = [.. run.Predicted.Select(c => (byte)(rng.NextDouble() < 0.6 ? c : (c + 1 + rng.NextInt(9)) % 10))];
        var images = new MnistImages(raw.Pixels.ToArray(), labels, 28);
        if (vote < 2) return (run, images, null!);
        return (run, images, LearnedGate.Fit(run, images.Labels, vote, lut.Spec.Classes, 1, TableIdentity.Sha256(lut), "tree"));
    }
}
