using System.Diagnostics;
using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.CoSim.Reports;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi infer --lut FILE.lut [--threshold T [--agreement-weight L | --gate GATE.json] --model FILE] [--json]`: lookup-only
/// MBI on the MNIST test set (the network is not loaded unless mixed MBI needs its fallback), or mixed MBI with threshold T
/// (and the vote's disagreement weighted L in the gate, or a learned gate written by `mbi tune-mixed --gate learned`). The
/// images not served go to the --model, or to --fallback-model (any trained RAM, full precision included).
/// </summary>
internal static class InferCommand
{
    public static Command Create()
    {
        string paperT = PaperFigures.MixedThreshold.ToString(CultureInfo.InvariantCulture);
        var threshold = new Option<double?>("--threshold")
        {
            Description = "Mixed MBI: serve an image by lookups only if every glimpse matched within this distance (paper: " + paperT + "), >= 0; " +
                "with --gate FILE, if the learned gate's score (negated log-odds, may be negative) is within it.",
            CustomParser = r => ParseThreshold(r, paperT),
        };
        var gate = new Option<string?>("--gate")
        {
            Description = "Mixed MBI with a learned gate written by `mbi tune-mixed --gate learned` (a JSON file) instead of the distance and agreement: " +
                "needs --threshold (the T tune-mixed printed), the --vote it was fitted with and the table it was fitted on (its --out-lut).",
        };
        var fallbackCheck = new Option<bool>("--fallback-check")
        {
            Description = "Mixed MBI with no network: the images the learned gate does not serve take the class of the gate's own image check " +
                "(the linear classifier on the raw pixels a --gate file from `tune-mixed --gate-check linear` carries) instead of a RAM's; needs --gate and --threshold " +
                "(the T `tune-mixed --fallback-check` printed); --model is then not read.",
        };
        var passes = new PassesOptions("Lookup-only inference in this many passes, each voting for its class with weight 1 / (1 + its worst match distance); mixed MBI takes one pass");
        var options = new LookupOptions();
        var images = CommonOptions.Images();
        var imageSet = new ImageSetOptions(
            "Images to classify: test (the MNIST test images) or validation (the held-out training images of --split-seed, never distilled: " +
                "to choose a threshold, pass count or stop rule without the test set) (default test)",
            "With --on validation: the seed that drew the table's validation split (distil's --split-seed, else its --seed) (default 1)");
        var json = CommonOptions.Json();
        var command = new Command("infer", "Classify MNIST test images by nearest-key lookups in a distilled LUT (MBI), optionally mixed with the RAM.")
        {
            threshold, gate, fallbackCheck, images,
        };
        imageSet.AddTo(command);
        command.Options.Add(json);
        passes.AddTo(command);
        options.AddTo(command);
        command.SetAction(parse =>
        {
            bool asJson = parse.GetValue(json);
            double? t = parse.GetValue(threshold);
            double? agreementWeight = options.AgreementWeight(parse);
            if (agreementWeight is double l && t is null)
                throw BadInputException.For("--agreement-weight", l, "given with --threshold (it weighs the vote in mixed MBI's gate; lookup-only inference has no gate)",
                    "--threshold 5 --agreement-weight 20");
            string? gatePath = parse.GetValue(gate);
            if (gatePath is not null && t is null)
                throw BadInputException.For("--gate", gatePath, "given with --threshold (the learned gate decides mixed MBI; lookup-only inference has no gate)",
                    $"--gate {gatePath} --threshold -2.6");
            if (gatePath is not null) LookupOptions.RefuseAgreementWeightWithGate(gatePath, agreementWeight);
            if (gatePath is null && t < 0)
                throw BadInputException.For("--threshold", t, ">= 0 (a match distance; negative thresholds are for a learned gate's score, with --gate FILE)", paperT);
            if (options.FallbackPath(parse) is string fallbackPath && t is null)
                throw BadInputException.For("--fallback-model", fallbackPath, "given with --threshold (it classifies the images mixed MBI's gate does not serve; lookup-only inference has no fallback)",
                    $"--threshold 5 --fallback-model {fallbackPath}");
            bool onValidation = imageSet.OnValidation(parse);
            var plan = passes.Read(parse);
            int passCount = plan.Passes;
            if (passCount > 1 && t is not null)
                throw BadInputException.For("--passes", passCount, "1 with --threshold (mixed MBI runs one pass; several passes are built for lookup-only inference)",
                    $"--passes {passCount} without --threshold, or --threshold {t} alone");
            bool toCheck = parse.GetValue(fallbackCheck);
            if (toCheck && gatePath is null)
                throw BadInputException.For("--fallback-check", "given without --gate", "used with --gate FILE and --threshold (the check it falls back to is the gate file's)",
                    "--gate gate.json --threshold -2.6 --fallback-check");
            FallbackModel.RefuseBesideCheck(options.FallbackPath(parse), toCheck);
            options.Check(parse);
            if (gatePath is not null) LearnedGate.CheckVote(options.Vote(parse));
            options.NoteInertAgreementWeight(parse);
            var learned = gatePath is null ? null : LearnedGateFile.Read(gatePath);
            if (toCheck && learned!.Check is null)
                throw BadInputException.For("--fallback-check", $"given with {gatePath}, a gate without an image check", "used with a gate file that carries one",
                    "a gate written by `mbi tune-mixed --gate learned --gate-check linear`");
            // Mixed MBI's fallback network is read before the lookups run, so a bad model file fails at once; with --fallback-model
            // that RAM classifies the images not served, and --model stays the table's MBI model.
            var fallback = t is null ? null : options.Fallback(parse);
            var ram = t is null || toCheck ? null : options.Model(parse);
            var table = options.Table(parse);
            fallback?.CheckFits(table);
            if (learned is not null) LearnedGateFile.CheckFits(gatePath!, learned, table, options.Vote(parse));
            var test = onValidation
                ? imageSet.ValidationImages(parse, options.Mnist(parse), images, refuseAbovePool: parse.GetResult(images) is { Implicit: false })
                : options.Test(parse, parse.GetValue(images));
            string set = imageSet.Set(parse);
            var sensor = new QuantizedGlimpseSensor(table.Spec);
            var clock = Stopwatch.StartNew();
            var search = Terminal.WithProgress("infer", p => SearchFactory.Build(table, options.Kind(parse), options.Tree(parse), p));
            double buildSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            // Several passes (lookup-only only): the same table and search, the sensor offset per pass; the classes voted.
            var passesRun = passCount == 1
                ? Terminal.WithProgress("infer", p =>
                {
                    var one = MbiEvaluation.Run(new MbiClassifier(table, sensor, search, options.Vote(parse)), test, p, trace: learned is not null);
                    return new PassesRun(one.Predicted, [one], []);
                })
                : Terminal.WithProgress("infer", p => MbiEvaluation.RunPasses(table, search, options.Vote(parse), test, plan, p));
            var allPasses = passesRun.Runs;
            var run = allPasses[0];
            double lookupSeconds = clock.Elapsed.TotalSeconds;
            double mbiAccuracy = passesRun.Accuracy(test.Labels);
            long lookups = passesRun.Lookups;
            double levelsPerLookup = passesRun.Levels / (double)lookups, distancesPerLookup = passesRun.DistanceComputations / (double)lookups;
            MixedPoint? mixed = null;
            int[] ramClasses = [];
            if (t is double thresholdC && toCheck)
            {
                ramClasses = learned!.Check!.Classify(test);
                mixed = MbiEvaluation.Mixed(run, learned.Scores(run, test), ramClasses, test.Labels, thresholdC);
            }
            else if (t is double threshold1 && ram is not null)
            {
                ramClasses = FallbackModel.ClassesOf(fallback, ram, table, test, "infer");
                mixed = learned is null ? MbiEvaluation.Mixed(run, ramClasses, test.Labels, threshold1, agreementWeight ?? 0)
                    : MbiEvaluation.Mixed(run, learned.Scores(run, test), ramClasses, test.Labels, threshold1);
            }
            var result = new
            {
                accuracy = mixed?.Accuracy ?? mbiAccuracy,
                mbi_fraction = mixed?.MbiFraction ?? 1.0,
                threshold = t,
                agreement_weight = t is null || learned is not null ? (double?)null : agreementWeight ?? 0,
                gate = t is null ? null : learned is null ? "agreement" : "learned",
                gate_file = gatePath,
                mbi_accuracy_on_served = mixed?.MbiAccuracyOnServed,
                lookup_only_accuracy = mbiAccuracy,
                passes = passCount,
                pass_offsets_pixels = EvaluationPasses.Offsets(passCount),
                pass_accuracies = passCount == 1 || plan.Stops ? null : allPasses.Select(r => r.Accuracy(test.Labels)).ToArray(),
                stop_distance = plan.StopDistance,
                stop_margin = plan.StopMargin,
                passes_per_image = passCount == 1 ? 1.0 : passesRun.MeanPasses,
                avg_tree_levels = levelsPerLookup,
                avg_distance_computations = distancesPerLookup,
                images = test.Count,
                images_scored = set,
                split_seed = imageSet.SplitSeedUsed(parse),
                lookups,
                lookups_per_image = lookups / (double)test.Count,
                lookups_per_second = lookups / lookupSeconds,
                distance_kernel = search.Kernel.Path.ToString(),
                cpu = Mbi.CoSim.Reproduce.RunEnvironment.CpuModel(),
                search_build_seconds = buildSeconds,
                lut_rows = table.Rows,
                storage_bytes = table.StorageBytes,
                search = options.Kind(parse).ToString().ToLowerInvariant(),
                metric = LookupOptions.MetricName(table.Metric),
                weights = new { a = table.Weights.Patch, b = table.Weights.Hidden, c = table.Weights.Location },
                tree = search is KMeansTree tree ? new { depth = tree.Depth, leaves = tree.LeafCount, nodes = tree.Nodes.Length, leaf_size = options.Tree(parse).LeafSize, branching = tree.Branching, beam = tree.Beam,
                    budget = tree.BestFirst?.Budget ?? 0, stored_keys = tree.StoredKeys, centroid_rows = tree.CentroidRowCount, query_fill = options.Tree(parse).QueryFill?.Count } : null,
                vote = options.Vote(parse),
                seed = options.Tree(parse).Seed,
            };
            if (asJson)
            {
                object report = FallbackModel.Json(result, fallback, f => new
                {
                    file = f.Path,
                    config = f.Description,
                    accuracy = FallbackModel.Accuracy(ramClasses, test),
                });
                // Appended only with the flag (or a fixed-point gate), so every other infer's JSON is what it was.
                report = FallbackModel.WithField(report, "fallback_check", !toCheck ? null : new
                {
                    kind = ImageCheck.Kind,
                    multiply_adds = learned!.Check!.MultiplyAdds,
                    accuracy = FallbackModel.Accuracy(ramClasses, test),
                });
                Terminal.PrintJson(FallbackModel.WithField(report, "gate_fixed_point",
                    learned?.FixedPoint is not { } fixedPoint ? null : TuneMixedCommand.GateFixedPointJson(fixedPoint)));
            }
            else
            {
                var inv = CultureInfo.InvariantCulture;
                Console.WriteLine(string.Format(inv, "MBI on {0} MNIST {6} images with a {1}-row LUT ({2:N0} bytes bit-packed), {3} search, {4}, {5}",
                    test.Count, table.Rows, table.StorageBytes, search is KMeansTree { BestFirst: { } bf } t2
                        ? $"tree best-first (gap priority, <= {bf.Budget} distances per lookup, {t2.Branching} children per node)" : result.search, result.metric, table.Weights, set));
                if (result.vote > 1) Console.WriteLine(string.Format(inv, "  each glimpse's value voted by its {0} nearest compared keys (weighted 1 / (1 + d - d_nearest))", result.vote));
                if (passCount > 1) Console.WriteLine(string.Format(inv, "  {0} passes (image offsets {1}), each voting with weight 1 / (1 + its worst match distance): {2:N2} lookups per image; {3}",
                    passCount, EvaluationPasses.Describe(passCount), result.lookups_per_image,
                    plan.Stops
                        ? string.Format(inv, "{0:P1} of images stopped after the first pass ({1}), {2:F2} passes per image", 1 - passesRun.Continued.Length / (double)test.Count,
                            string.Join(" or ", new[] { plan.StopDistance is double sd ? $"worst match <= {sd.ToString(inv)}" : null, plan.StopMargin is double sm ? $"vote margin >= {sm.ToString(inv)}" : null }.OfType<string>()),
                            passesRun.MeanPasses)
                        : "the passes alone " + string.Join(" / ", result.pass_accuracies!.Select(a => a.ToString("P2", inv)))));
                Console.WriteLine(string.Format(inv, "  lookup-only accuracy {0:P2}; {1:F2} tree levels and {2:F1} distance computations per lookup; {3:N0} lookups/s ({4} distance kernel, {5})",
                    mbiAccuracy, levelsPerLookup, distancesPerLookup, result.lookups_per_second, result.distance_kernel, result.cpu));
                if (mixed is MixedPoint m)
                    Console.WriteLine(string.Format(inv, "  mixed MBI at T = {0}{4}: accuracy {1:P2}, {2:P2} of images served by lookups (paper, {3})",
                        m.Threshold, m.Accuracy, m.MbiFraction, PaperFigures.Mixed,
                        learned is not null ? $", learned gate {gatePath}{(learned.FixedPoint is null ? "" : $" in {GateFixedPoint.Bits}-bit fixed point")} (served when its score <= T)"
                        : m.AgreementWeight == 0 ? "" : string.Format(inv, ", agreement weight {0} (gate: distance + {0} x (2 - agreement))", m.AgreementWeight)));
                if (fallback is not null) Console.WriteLine("  " + fallback.Line(FallbackModel.Accuracy(ramClasses, test), test.Count, set));
                if (toCheck) Console.WriteLine(string.Format(inv, "  no network: images not served take the gate's image check's class ({0}, {1:N0} multiply-adds), alone {2:P2} on the {3} {4} images",
                    ImageCheck.Kind, learned!.Check!.MultiplyAdds, FallbackModel.Accuracy(ramClasses, test), test.Count, set));
                Terminal.Note($"seed {result.seed}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>--threshold: any finite number (the action requires >= 0 unless --gate gives a learned gate, whose scores may be negative).</summary>
    private static double? ParseThreshold(System.CommandLine.Parsing.ArgumentResult result, string example)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)) return value;
        result.AddError($"--threshold was '{text}'; it must be a finite number >= 0 (any finite number with --gate) (e.g. {example}).");
        return null;
    }
}
