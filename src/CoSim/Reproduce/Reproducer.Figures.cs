using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.Circuit.MonteCarlo;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Characterisation;
using Mbi.CoSim.Energy;
using Mbi.CoSim.Reports.Charts;
using Mbi.CoSim.Studies;
using Mbi.Core.IO;
using Mbi.Core.Statistics;
using Mbi.Core.Units;
using Mbi.CoSim.Reports;

namespace Mbi.CoSim.Reproduce;

internal sealed partial class Reproducer
{
    private MixedPoint _mixedAtPaperThreshold;
    private double _pureMbiAccuracy;

    private void Fig3(RamConfig baseConfig, MnistImages train, MnistImages validation, MnistImages testAll)
    {
        var points = RamSweep.Fig3(baseConfig, _settings.Fig3Panels)
            .Where(p => !_settings.Fig3GlimpsesOnly || (p.Parameter == "glimpses" && p.Value is 1 or 3 or 5)).ToList();
        var options = new TrainingOptions { Epochs = _settings.Fig3Epochs, Seed = _seed };
        var trainSubset = train.Take(Math.Min(_settings.Fig3TrainImages, train.Count));
        var validationSubset = validation.Take(Math.Min(1000, validation.Count));
        var test = testAll.Take(Math.Min(_settings.Fig3TestImages, testAll.Count));
        var results = points.Select(p => RamSweep.Run(p, trainSubset, validationSubset, test, options, _progress)).ToList();
        foreach (string png in MbiFigures.Fig3(results, _out, _settings.Fig3Epochs, trainSubset.Count, _seed).Skip(1).Select(f => Path.GetFileName(f)))
            _figures.Add(new FigureFile($"Fig. 3({png[4..^4]})", png, "fig3.csv",
                $"RAM accuracy as one setting changes around the shipped model's configuration; {points.Count} points, each trained {_settings.Fig3Epochs} epochs on {trainSubset.Count:N0} images from seed {_seed}.")
            {
                Cut = _settings.Fig3Cut,
                Regenerate = $"./mbi sweep-ram --panels {png[4..^4]} --epochs {ReproduceSettings.Full.Fig3Epochs} --train-limit 0 --out runs/sweep-ram",
            });
        double shipped = new QuantizedRamStepModel(RamModel.Load(_modelPath)).Model.Evaluate(testAll);
        Numbers = Numbers with { ShippedRamAccuracy = shipped };
        // The paper's text states no accuracy for its RAM alone (an earlier table said 98.88%; that figure is not in the text).
        _rows.Add(new PaperRow("quantized MBI-configuration RAM, test accuracy", "(issue target >= 96%; not stated in the paper's text)",
            F(100 * shipped, "F2") + "%", $"shipped {Path.GetFileName(_modelPath)}, all {testAll.Count} test images")
        {
            Headline = true, Source = $"measured in this run: shipped {Path.GetFileName(_modelPath)} on all {testAll.Count:N0} test images",
        });
        if (results.FirstOrDefault(r => r.Point.Parameter == "glimpses" && r.Point.Value == 5) is { } five)
            _rows.Add(new PaperRow("Fig. 3(a) 5-glimpse point (short training)", "see paper Fig. 3(a)", F(100 * five.TestAccuracy, "F2") + "%",
                $"{_settings.Fig3Epochs} epochs on {trainSubset.Count} images") { Cut = _settings.Fig3Cut });
    }

    private void Fig4(LookupSetup setup, MnistImages validation, MnistImages test)
    {
        var sensor = new QuantizedGlimpseSensor(setup.Table.Spec);
        var lut = setup.Table.With(DistanceWeights.Unweighted, KeyMetric.Manhattan);
        var sizes = _settings.Fig4Sizes.Where(n => n <= lut.Rows).DefaultIfEmpty(lut.Rows).ToArray();
        var points = sizes.Select(n => DistanceTuning.Tune(lut.Take(n), sensor, validation, test, _settings.TuneBudget, _seed, _progress)).ToList();
        MbiFigures.Fig4a(points, Path.Combine(_out, "fig4a.csv"), Path.Combine(_out, "fig4a.png"));
        _figures.Add(new FigureFile("Fig. 4(a)", "fig4a.png", "fig4a.csv",
            $"Accuracy vs LUT size on {test.Count} test images; weights tuned on {validation.Count} validation images with a budget of {_settings.TuneBudget} evaluations.")
        {
            Cut = _settings.Fig4Cut,
            Regenerate = $"./mbi distill --out runs/full.lut && ./mbi tune-distance --lut runs/full.lut --sizes {string.Join(",", ReproduceSettings.Full.Fig4Sizes)} --budget {ReproduceSettings.Full.TuneBudget} --tune-images {ReproduceSettings.Full.ValidationImages}",
        });
        double gain = points.Average(p => p.BayesianTest - p.UnweightedTest);
        Numbers = Numbers with { WeightedDistanceGain = gain };
        _rows.Add(new PaperRow("accuracy gain of weighted distance (Fig. 4a)", PaperFigures.WeightedDistanceGain, F(100 * gain, "+0.00;-0.00") + " points (mean)",
            $"budget {_settings.TuneBudget}; sizes {string.Join(", ", sizes)}") { Cut = _settings.Fig4Cut });

        // Fig. 4(b,c): the tree against brute force on the lookups real inference makes.
        var best = points[^1].BayesianWeights;
        var weighted = lut.With(best, KeyMetric.Manhattan);
        var kernel = new DistanceKernel(weighted.Layout, weighted.Weights);
        var tree = KMeansTree.Build(kernel, weighted.KeyElements, weighted.Rows, new KMeansTreeOptions { Seed = _seed }, _progress);
        var brute = new BruteForceSearch(weighted.PackKeys(), kernel);
        var cmp = SearchComparison.Run(weighted, sensor, tree, brute, test, _progress);
        MbiFigures.Fig4c(cmp.TreeDistances, cmp.BruteDistances, $"Fig. 4(c): best-match distance, tree (nodes of at most 32 keys) vs brute force; recall@1 {F(100 * cmp.RecallAt1, "F1")}%",
            Path.Combine(_out, "fig4c.csv"), Path.Combine(_out, "fig4c.png"));
        _figures.Add(new FigureFile("Fig. 4(b,c)", "fig4c.png", "fig4c.csv",
            $"Tree (nodes of at most 32 keys) vs brute force on {cmp.Lookups} lookups: {F(cmp.AverageLevels, "F2")} levels per lookup, recall@1 {F(100 * cmp.RecallAt1, "F1")}%, mean distance ratio {F(cmp.MeanDistanceRatio, "F3")}; accuracy tree {F(100 * cmp.TreeAccuracy, "F2")}% vs brute {F(100 * cmp.BruteAccuracy, "F2")}% (weights of Fig. 4(a)'s largest size).")
        {
            Cut = _settings.Fig4Cut is null ? null : $"cut: {test.Count:N0} test images' lookups, the weights of the cut Fig. 4(a) (full size: {ReproduceSettings.Full.Fig4TestImages:N0} images)",
            Regenerate = "./mbi distill --out runs/full.lut && ./mbi search-quality --lut runs/full.lut --query-images 10000",
        });
        Numbers = Numbers with { TreeLevels = cmp.AverageLevels, TreeDistanceRatio = cmp.MeanDistanceRatio, TreeRecallAt1 = cmp.RecallAt1 };
        _rows.Add(new PaperRow("tree levels per lookup (Fig. 4b)", F(PaperFigures.TreeLevels, "0.0"), F(cmp.AverageLevels, "F2"), $"{weighted.Rows}-row LUT, 32-way nodes") { Cut = _settings.Fig4Cut });
        _rows.Add(new PaperRow("tree vs brute-force match distance (Fig. 4c)", $"within {F(100 * PaperFigures.TreeDistanceExcess, "0")}%", F(100 * (cmp.MeanDistanceRatio - 1), "+0.0;-0.0") + "% (mean ratio)",
            $"recall@1 {F(100 * cmp.RecallAt1, "F1")}%") { Cut = _settings.Fig4Cut });
        _bestWeights = best;
    }

    private DistanceWeights _bestWeights = DistanceWeights.Unweighted;
    private string? _engineVersion;

    /// <summary>"measured ..." / "read ..." of a source sentence, for a headline's short "from" cell.</summary>
    private static string FirstWord(string source) => source.StartsWith("measured", StringComparison.Ordinal)
        ? "measured with ngspice in this run" : source.StartsWith("read from the shipped", StringComparison.Ordinal) ? $"read from the shipped data ({ShippedCharacterisation.DefaultRoot})" : "read from the cache";

    /// <summary>
    /// Fig. 5 as the shipped set-up runs it (what `mbi infer --lut FULL --threshold 5` measures): the table's own
    /// distance weights, Manhattan distance (Eq. 1), the 32-way k-means tree searched by single descent.
    /// </summary>
    private void Fig5(LookupSetup setup, QuantizedRamStepModel model, MnistImages test)
    {
        var sensor = new QuantizedGlimpseSensor(setup.Table.Spec);
        var lut = setup.Table.With(setup.Table.Weights, KeyMetric.Manhattan);
        var tree = KMeansTree.Build(new DistanceKernel(lut.Layout, lut.Weights), lut.KeyElements, lut.Rows, new KMeansTreeOptions { Seed = _seed }, _progress);
        var run = MbiEvaluation.Run(new MbiClassifier(lut, sensor, tree), test, _progress);
        int[] ram = MbiEvaluation.RunModel(model, test, _progress);
        _pureMbiAccuracy = run.Accuracy(test.Labels);
        double top = run.MaxDistance.Max();
        var thresholds = Enumerable.Range(0, 41).Select(i => top * i / 40).Append(PaperFigures.MixedThreshold).Order().Distinct().ToArray();
        var curve = thresholds.Select(t => MbiEvaluation.Mixed(run, ram, test.Labels, t)).ToList();
        _mixedAtPaperThreshold = MbiEvaluation.Mixed(run, ram, test.Labels, PaperFigures.MixedThreshold);
        double ramAccuracy = ram.Select((c, i) => c == test.Labels[i] ? 1.0 : 0).Average();
        bool unweighted = lut.Weights.Patch == lut.Weights.Hidden && lut.Weights.Hidden == lut.Weights.Location;
        MbiFigures.Fig5(curve, ramAccuracy, unweighted, $"Fig. 5: mixed MBI vs threshold T ({lut.Rows} rows, {lut.Weights})",
            Path.Combine(_out, "fig5.csv"), Path.Combine(_out, "fig5.png"));
        Numbers = Numbers with
        {
            PureMbiAccuracy = _pureMbiAccuracy, RamAccuracy = ramAccuracy,
            MixedAccuracyAtPaperThreshold = _mixedAtPaperThreshold.Accuracy, MixedMbiFractionAtPaperThreshold = _mixedAtPaperThreshold.MbiFraction,
        };
        string size = $"{lut.Rows:N0}-row table ({F(lut.StorageBytes / 1e6, "F2")} MB), tree (32-way, single descent, {F(run.AverageLevels, "F2")} levels per lookup), weights {lut.Weights}, {test.Count:N0} test images";
        var bestMixed = curve.Where(p => p.MbiFraction >= 0.7).DefaultIfEmpty(curve[^1]).MaxBy(p => p.Accuracy);
        _figures.Add(new FigureFile("Fig. 5", "fig5.png", "fig5.csv",
            $"Mixed MBI vs threshold T: {size}: pure MBI {F(100 * _pureMbiAccuracy, "F2")}%; the RAM alone {F(100 * ramAccuracy, "F2")}%.")
        {
            Cut = _settings.MbiCut,
            Regenerate = "./mbi distill --out runs/full.lut && ./mbi sweep-threshold --lut runs/full.lut",
        });
        string source = $"measured in this run: {size}";
        _rows.Add(new PaperRow("pure (lookup-only) MBI accuracy", "(not stated; lower than mixed)", F(100 * _pureMbiAccuracy, "F2") + "%",
            $"{lut.Rows} rows, {F(lut.StorageBytes / 1e6, "F2")} MB (paper {F(PaperFigures.StorageMegabytes, "F2")} MB); tree search, weights {lut.Weights}")
        { Cut = _settings.MbiCut, Headline = true, Source = source });
        _rows.Add(new PaperRow($"mixed MBI at T = {F(PaperFigures.MixedThreshold, "0.##")}", PaperFigures.Mixed,
            $"{F(100 * _mixedAtPaperThreshold.Accuracy, "F2")}%, {F(100 * _mixedAtPaperThreshold.MbiFraction, "F2")}% by MBI", "same T on Mbi's distance scale (Eq. 1 normalised by a+b+c)")
        { Cut = _settings.MbiCut, Headline = true, Source = source });
        _rows.Add(new PaperRow("mixed MBI, best T with >= 70% by MBI", "(issue target >= 95% at >= 70%)",
            $"{F(100 * bestMixed.Accuracy, "F2")}% at T = {F(bestMixed.Threshold, "F2")} ({F(100 * bestMixed.MbiFraction, "F1")}% by MBI)", "T chosen on the test images (an upper bound; `mbi tune-mixed` chooses on validation)")
        { Cut = _settings.MbiCut });
    }

    private EnergyReport Fig6(LookupSetup setup, CompactCalibration calibration, EnergyConfig config)
    {
        // (b) SPICE Monte Carlo of the distance staircase.
        // Its dies are journalled in the output folder: a stopped reproduction resumes this stage where it stopped.
        // The shipped dies (same design, deck, ngspice and seed) start that journal: they are read back, not simulated.
        string journal = Path.Combine(_out, "fig6b-dies.journal");
        bool shippedDies = false;
        if (!Fresh && !File.Exists(journal) && _shipped?.JournalFor(_seed) is string shippedJournal)
        {
            File.Copy(shippedJournal, journal);
            shippedDies = true;
        }
        var mc = Stage("Fig. 6(b) SPICE Monte Carlo", () => MonteCarloRunner.Run(Design.ApplyTo(new MonteCarloSettings
        {
            Technology = Design.Technology, Samples = _settings.McSamples, Seed = _seed, Workers = _workers,
            JournalPath = journal, FreshJournal = Fresh,
        }), _progress));
        _engineVersion = mc.EngineVersion;
        int simulated = _settings.McSamples - mc.ResumedDies;
        _sources.Add(("Fig. 6(b) SPICE dies", shippedDies
            ? $"{mc.ResumedDies} of {_settings.McSamples} dies{(mc.NominalResumed ? " and the nominal die" : "")} read from the {_shipped!.Describe()}{(simulated > 0 ? $"; {simulated} simulated with ngspice in this run" : "")}"
            : mc.ResumedDies > 0 ? $"{mc.ResumedDies} of {_settings.McSamples} dies read back from fig6b-dies.journal (an earlier run into this folder); {simulated} simulated in this run"
            : $"{_settings.McSamples} dies simulated with ngspice in this run; {_shipped?.Describe() ?? "no shipped data looked up"}"));
        if (mc.ResumedDies > 0 && !shippedDies)
            _notes.Add($"Fig. 6(b): {mc.ResumedDies} of {_settings.McSamples} SPICE dies were read back from fig6b-dies.journal (an earlier, interrupted run of the same seed); the results are identical to simulating them again.");
        var csv = new CsvWriter("mode", "level", "die", "sum_volts");
        foreach (int mode in new[] { 1, 2 })
        {
            var data = StaircaseData.From(mc, mode);
            for (int l = 0; l < data.Levels; l++)
                for (int i = 0; i < data.Dies; i++) csv.Row(mode, l, data.DieIndices[i], data.Sum(i, l));
            StaircaseFigure.Write(data, _out, $"fig6b-levels-bits{mode}", $"fig6b-steps-bits{mode}");
        }
        csv.Save(Path.Combine(_out, "fig6b.csv"));
        var stats = mc.Statistics(1);
        var stats2 = mc.Statistics(2);
        _figures.Add(new FigureFile("Fig. 6(b), 1-bit columns", "fig6b-levels-bits1.png", "fig6b.csv",
            $"ngspice row transients ({mc.EngineVersion}), {Design.Technology.Name}, {_settings.McSamples} dies ({mc.FailedSamples} failed): 1-bit step nominal {Engineering.Format(stats.NominalStepMeanVolts, "V")}, under variation min {Engineering.Format(stats.StepMinVolts, "V")}, sigma {Engineering.Format(stats.StepSigmaVolts, "V")}, ADC code error rate {F(100 * stats.AdcCodeErrorRate, "F2")}%. Each die against the ADC's decision thresholds; the steps' histogram is fig6b-steps-bits1.png.")
        { Cut = _settings.McCut, Regenerate = $"./mbi mc --samples {ReproduceSettings.Full.McSamples} --out runs/mc" });
        _figures.Add(new FigureFile("Fig. 6(b), 2-bit elements", "fig6b-levels-bits2.png", "fig6b.csv",
            $"The same dies' 2-bit staircase: step nominal {Engineering.Format(stats2.NominalStepMeanVolts, "V")}, under variation min {Engineering.Format(stats2.StepMinVolts, "V")}, ADC code error rate {F(100 * stats2.AdcCodeErrorRate, "F2")}%; steps' histogram fig6b-steps-bits2.png.")
        { Cut = _settings.McCut, Regenerate = $"./mbi mc --samples {ReproduceSettings.Full.McSamples} --out runs/mc" });
        Numbers = Numbers with { NominalStepVolts = stats.NominalStepMeanVolts, MinStepVolts = stats.StepMinVolts };
        _rows.Add(new PaperRow($"minimum sum-line step, sigma(Vth) = {Engineering.Format(PaperFigures.SigmaVthVolts, "V", 2)}", ">= " + Engineering.Format(PaperFigures.MinSumLineStepVolts, "V", 2), Engineering.Format(stats.StepMinVolts, "V") + $" (nominal {Engineering.Format(stats.NominalStepMeanVolts, "V")})",
            $"{_settings.McSamples} SPICE dies, 3 ns window; docs/circuit.md explains the difference") { Cut = _settings.McCut });

        // (c) energy per comparison and per inference, latency.
        var before = ShippedCharacterisation.Snapshot(_cache);
        var report = Stage("Fig. 6(c) energy (ngspice rows + lookups, bands)", () => EnergyReport.Measure(setup, config, Design, DesignStamp, _seed, cacheDirectory: _cache));
        string energySource = CacheSource(before, "energy-bands-", "row, decoder and SAR transients");
        _sources.Add(("Fig. 6(c) energy bands (ngspice points)", energySource));
        var bands = report.Bands.PerComparison;
        var e = new CsvWriter("component", "group", "joules_min", "joules_typical", "joules_max", "min_set_by", "typical_set_by", "max_set_by", "floor_cv2_joules", "fraction_typical");
        foreach (var b in bands) e.Row(b.Name, b.Group, b.MinJoules, b.TypicalJoules, b.MaxJoules, b.MinSetBy, b.TypicalSetBy, b.MaxSetBy, b.FloorJoules, b.TypicalJoules / report.EnergyPerComparisonJoules);
        e.Save(Path.Combine(_out, "fig6c.csv"));
        var total = report.Bands.PerComparisonTotal;
        Chart.Save(EnergyFigure.PerComparison(bands, total, report.AdcModel), _out, "fig6c");
        _figures.Add(new FigureFile("Fig. 6(c)", "fig6c.png", "fig6c.csv",
            $"Per comparison {Engineering.Format(total.TypicalJoules, "J")} ({Engineering.Format(total.MinJoules, "J")} - {Engineering.Format(total.MaxJoules, "J")}): "
            + string.Join(", ", bands.Select(b => $"{b.Name} {Engineering.Format(b.TypicalJoules, "J")} ({Engineering.Format(b.MinJoules, "J")} - {Engineering.Format(b.MaxJoules, "J")})"))
            + $". Array and row decoder from ngspice supply V x I integrals (positive only, through each rail's generator); ADC {report.AdcModel} (band: NeuroSim / SPICE SAR / survey); logic per-operation model (config/energy.json); bands per src/CoSim/Energy/EnergyBands.cs.")
        { Regenerate = $"./mbi energy --rows {ReproduceSettings.Full.LutRows} --test-images {ReproduceSettings.Full.TestImages}" });
        Numbers = Numbers with
        {
            EnergyPerComparisonJoules = report.EnergyPerComparisonJoules, EnergyPerInferenceJoules = report.EnergyPerInferenceJoules,
            EnergyPerComparisonMinJoules = total.MinJoules, EnergyPerComparisonMaxJoules = total.MaxJoules,
        };
        _rows.Add(new PaperRow("energy per 32x32 comparison", Engineering.Format(PaperFigures.EnergyPerComparisonJoules, "J", 2), Engineering.Format(report.EnergyPerComparisonJoules, "J"),
            $"band {Engineering.Format(report.Bands.PerComparisonTotal.MinJoules, "J")} - {Engineering.Format(report.Bands.PerComparisonTotal.MaxJoules, "J")}, ADC {report.AdcModel}; see docs/cosim.md")
        {
            Headline = true,
            Source = $"band {Engineering.Format(report.Bands.PerComparisonTotal.MinJoules, "J")} - {Engineering.Format(report.Bands.PerComparisonTotal.MaxJoules, "J")}; ngspice points {FirstWord(energySource)}",
        });
        _rows.Add(new PaperRow("energy per inference", $"{Engineering.Format(PaperFigures.EnergyPerInferenceJoules, "J", 4)} ({PaperFigures.EnergyPerInferenceFormula})", Engineering.Format(report.EnergyPerInferenceJoules, "J"),
            $"{F(report.LookupsPerInference, "F1")} lookups x {F(report.LevelsPerLookup, "F2")} levels, {F(report.RowsScannedPerInference, "F0")} rows x {report.Splits} splits counted, leakage {Engineering.Format(report.LeakagePerInferenceJoules, "J")} included; band {Engineering.Format(report.Bands.PerInferenceTotal.MinJoules, "J")} - {Engineering.Format(report.Bands.PerInferenceTotal.MaxJoules, "J")}")
        {
            Cut = _settings.MbiCut, Headline = true,
            Source = $"this run's lookups ({report.Images:N0} test images, {report.LutRows:N0}-row table; leakage {Engineering.Format(report.LeakagePerInferenceJoules, "J")} of it) priced with the ngspice points {FirstWord(energySource)}",
        });
        _rows.Add(new PaperRow("latency per inference", "(not stated)", Engineering.Format(report.LatencyPerInferenceSeconds, "s"),
            $"{Engineering.Format(report.SecondsPerRow, "s")} per row, rows scanned serially, splits in parallel") { Cut = _settings.MbiCut });

        // accuracy under variation (compact model).
        var dieSetup = setup with { Test = setup.Test.Take(Math.Min(_settings.DieImages, setup.Test.Count)) };
        var summary = Stage("accuracy under variation (compact dies)", () => VariationStudy.Run(dieSetup, calibration, _settings.Dies, PaperFigures.SigmaVthVolts, _seed, PaperFigures.MixedThreshold, Design.Adc.Bits, _workers, _progress));
        var d = new CsvWriter("die", "mbi_accuracy", "mixed_accuracy", "winner_changed_fraction");
        foreach (var o in summary.Dies) d.Row(o.Die, o.MbiAccuracy, o.MixedAccuracy, o.WinnerChangedFraction);
        d.Save(Path.Combine(_out, "fig6-variation.csv"));
        Chart.Save(AlgorithmFigures.AccuracyOverDies($"Lookup-only MBI accuracy over {_settings.Dies} dies (sigma(Vth) 60 mV, compact model)",
            [("binary coding", [.. summary.Dies.Select(o => o.MbiAccuracy)], summary.Ideal.MbiAccuracy)], bins: 12), _out, "fig6-variation");
        _figures.Add(new FigureFile("Accuracy under variation", "fig6-variation.png", "fig6-variation.csv",
            $"{_settings.Dies} dies x {dieSetup.Test.Count} test images, binary coding ({setup.Mapping.SplitCount} splits), 5-bit ADC: ideal arrays {F(100 * summary.Ideal.MbiAccuracy, "F2")}%, dies mean {F(100 * summary.MeanMbiAccuracy, "F2")}%, worst {F(100 * summary.WorstMbiAccuracy, "F2")}%, 5th percentile {F(100 * summary.P5MbiAccuracy, "F2")}%; winner changed in {F(100 * summary.WinnerChangedFraction, "F2")}% of lookups.")
        {
            Cut = _settings.DiesCut,
            Regenerate = $"./mbi cosim --dies {ReproduceSettings.Full.Dies} --test-images {ReproduceSettings.Full.DieImages} --rows {ReproduceSettings.Full.LutRows} --codings binary --out runs/cosim",
        });
        Numbers = Numbers with { IdealArrayAccuracy = summary.Ideal.MbiAccuracy, MeanDieAccuracy = summary.MeanMbiAccuracy };
        _rows.Add(new PaperRow($"lookup-only accuracy under sigma(Vth) = {Engineering.Format(PaperFigures.SigmaVthVolts, "V", 2)}",
            $"(robust per the paper's {Engineering.Format(PaperFigures.MinSumLineStepVolts, "V", 2)} margin)",
            $"mean {F(100 * summary.MeanMbiAccuracy, "F2")}%, worst {F(100 * summary.WorstMbiAccuracy, "F2")}% (ideal {F(100 * summary.Ideal.MbiAccuracy, "F2")}%)",
            $"binary-coded arrays ({setup.Mapping.SplitCount} splits: bit-weighted Hamming on the patch, the array's own metric, so not the Manhattan headline's accuracy), {dieSetup.Test.Count} test images; winner changed in {F(100 * summary.WinnerChangedFraction, "F2")}% of lookups") { Cut = _settings.DiesCut });
        return report;
    }
}
