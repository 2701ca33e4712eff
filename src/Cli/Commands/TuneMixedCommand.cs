using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.CoSim.Reports;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi tune-mixed --lut FILE --model FILE`: Bayesian optimisation of the distance weights for mixed MBI:
/// the most validation images served by lookups at >= the target accuracy. Weights, then the gate's agreement
/// weight with the threshold (from <see cref="DistanceTuning.AgreementWeightGrid"/>, or --agreement-weight alone),
/// are chosen on the validation split, then reported unchanged on the test set. The images not served go to the --model, or
/// to --fallback-model (any trained RAM) in every choice and every accuracy.
/// </summary>
internal static class TuneMixedCommand
{
    public static Command Create()
    {
        var outDir = CommonOptions.OutFolder("the convergence CSV and SVG", "out/mbi");
        var target = CommonOptions.Real("--target", "Mixed accuracy to keep on the validation split, in (0, 1]", 0.95, 0, 1);
        var budget = CommonOptions.Count("--budget", "BO objective evaluations", 25, 2, 500);
        var validation = CommonOptions.Validation();
        var splitSeed = CommonOptions.SplitSeed();
        var testImages = CommonOptions.Count("--test-images", "Test images for the reported result", 10000, 1, 10000);
        var outLut = new Option<string?>("--out-lut") { Description = "Write the table with the tuned weights, for `mbi infer --threshold`." };
        var gate = new Option<string>("--gate")
        {
            Description = "Mixed MBI's gate: agreement (today's: worst match distance + L x (2 - agreement), L chosen on validation) or learned " +
                "(also fit a logistic regression on the lookup chain's distances, votes and classes on every validation image of the tuned table, " +
                "choose its T on validation, score it once on test, write it to --out-gate; needs --vote > 1) (default agreement).",
            DefaultValueFactory = _ => "agreement",
        };
        var gateTarget = new Option<string?>("--gate-target")
        {
            Description = "With --gate learned: what the gate learns to predict: lookup-right (the lookups' class is right) or no-loss (the lookups' class is right " +
                "or the fallback's is wrong: an image both get wrong costs nothing to serve by lookups) (default lookup-right).",
        };
        var gateCheck = new Option<string?>("--gate-check")
        {
            Description = "With --gate learned: none, or linear (also train a linear classifier on the raw pixels, 7,840 multiply-adds per image, on the " +
                "training split, and give the gate three numbers from its logits: how far the lookups' class is below its best, whether they agree, " +
                "and its top-two margin; stored in the gate file) (default none).",
        };
        var checkWeightBits = new Option<string?>("--check-weight-bits")
        {
            Description = "With --gate-check linear: 32 (the check's float32 weights, logits summed in double) or 8 (fixed point, as the hardware computes " +
                "it: the trained weights quantized to int8 with one scale per class, the pixels as bytes, exact int32 sums, the bias on the accumulator's " +
                "scale, the scale applied once per logit; the gate file becomes version 3) (default 32).",
        };
        var gateBits = new Option<string?>("--gate-bits")
        {
            Description = "With --gate learned: 64 (the regression's weights and features in double) or 8 (fixed point, as the energy model prices it: each " +
                "feature an 8-bit code on its own scale from the validation images it was fitted on, int8 weights on one shared scale, the bias corrected " +
                "for the weights' rounding at the mean features, an exact integer sum; every cross-fitted half quantized the same way, so T is chosen on " +
                "fixed-point scores; the gate file becomes version 4) (default 64).",
        };
        var gateThreshold = new Option<string?>("--gate-threshold")
        {
            Description = "With --gate learned: how T is chosen on validation: in-sample (on the images the gate was fitted on: optimistic) or cross-fitted " +
                "(gates fitted on each half of the validation images score the other half; T serves the share at which their mean accuracy reaches --target) (default in-sample).",
        };
        var fallbackCheck = new Option<bool>("--fallback-check")
        {
            Description = "With --gate learned --gate-check linear: mixed MBI with no network. The images not served take the image check's class instead of a RAM's, " +
                "in BO's objective, every T chosen and every accuracy reported; --model is then not read (infer with --fallback-check).",
        };
        var outGate = new Option<string?>("--out-gate") { Description = "With --gate learned: where to write the learned gate, for `mbi infer --gate FILE --threshold T` (default OUT/learned-gate.json)." };
        var options = new LookupOptions();
        var json = CommonOptions.Json();
        var command = new Command("tune-mixed", "Tune distance weights and threshold T for mixed MBI on the validation split; report them on the test set.")
        {
            outDir, target, budget, validation, splitSeed, testImages, outLut, gate, gateTarget, gateCheck, checkWeightBits, gateBits, gateThreshold, fallbackCheck, outGate, json,
        };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            ulong s = options.Seed(parse);
            if (!(parse.GetValue(target) is > 0 and <= 1)) throw BadInputException.For("--target", parse.GetValue(target), "in (0, 1]", "0.95");
            string dir = OutputPaths.Folder("--out", parse.GetValue(outDir), "out/mbi");
            options.RefuseQueryFill(parse, "tune-mixed");
            options.Check(parse);
            bool learned = LearnedGateChoice(parse.GetValue(gate)!);
            if (learned && options.AgreementWeight(parse) is double weight)
                throw BadInputException.For("--agreement-weight", weight, "left out with --gate learned (the learned gate has no agreement weight; today's gate is still tuned over its grid beside it)", "--gate learned alone");
            if (learned) LearnedGate.CheckVote(options.Vote(parse));
            // The learned gate's own options mean nothing without it: refused, naming the flag that makes them count.
            string LearnedOnly(Option<string?> option, string why, string example, string fallbackValue) =>
                parse.GetValue(option) is not string given ? fallbackValue
                : learned ? given : throw BadInputException.For(option.Name, given, $"given with --gate learned ({why})", $"--gate learned {option.Name} {example}");
            var learnedTarget = GateTargetChoice(LearnedOnly(gateTarget, "only the learned gate has a target", "no-loss", "lookup-right"));
            bool withCheck = GateCheckChoice(LearnedOnly(gateCheck, "only the learned gate reads an image check", "linear", "none"));
            int checkBits = CheckWeightBits(parse.GetValue(checkWeightBits), withCheck);
            int regressionBits = GateBits(LearnedOnly(gateBits, "only the learned gate has a regression to put in fixed point", "8", "64"));
            bool crossFitted = GateThresholdChoice(LearnedOnly(gateThreshold, "only the learned gate's T can be cross-fitted", "cross-fitted", "in-sample"));
            bool toCheck = parse.GetValue(fallbackCheck);
            if (toCheck && !withCheck)
                throw BadInputException.For("--fallback-check", "given without --gate-check linear", "used with --gate learned --gate-check linear (the check is what the images not served fall back to)",
                    "--gate learned --gate-check linear --fallback-check");
            FallbackModel.RefuseBesideCheck(options.FallbackPath(parse), toCheck);
            if (!learned && parse.GetValue(outGate) is string stray)
                throw BadInputException.For("--out-gate", stray, "given with --gate learned (only a learned gate is written)", "--gate learned --out-gate gate.json");
            options.NoteInertAgreementWeight(parse);
            IReadOnlyList<double>? agreementWeights = options.AgreementWeight(parse) is double given ? [given] : null;
            string? lutOut = parse.GetValue(outLut) is string l ? OutputPaths.File("--out-lut", l, "out/tuned.lut") : null;
            string? gateOut = learned ? OutputPaths.File("--out-gate", parse.GetValue(outGate) ?? Path.Combine(dir, "learned-gate.json"), "out/learned-gate.json") : null;
            ulong splitSeedUsed = parse.GetValue(splitSeed) ?? s;
            // --fallback-model (any trained RAM) is read before the table, so a bad file fails at once; --model stays the table's MBI model.
            var fallback = options.Fallback(parse);
            var table = options.Table(parse);
            fallback?.CheckFits(table);
            var ram = toCheck ? null : options.Model(parse);
            var (trainSet, validationSet) = ValidationSplit.Load(options.Mnist(parse), parse.GetValue(validation), splitSeedUsed);
            var test = options.Test(parse, parse.GetValue(testImages));
            var sensor = new QuantizedGlimpseSensor(table.Spec);
            // The image check learns from the training split only (never the validation images the gate and T are chosen on).
            ImageCheck? check = withCheck ? Terminal.WithProgress("tune-mixed", p => ImageCheck.Train(trainSet, s, p)) : null;
            // Fixed point: post-training quantization of that float check (per-class scales: measured on validation, docs/mbi/learned-gate/image-check).
            ImageCheck? floatCheck = null;
            if (check is not null && checkBits == 8) (floatCheck, check) = (check, check.Quantize(CheckScale));
            // The fallback's classes stand for the images not served: in BO's objective, every T chosen, and the accuracies reported.
            // With --fallback-check they are the image check's (no network).
            int[]? checkValidation = check?.Classify(validationSet);
            int[] ramValidation = toCheck ? checkValidation! : FallbackModel.ClassesOf(fallback, ram!, table, validationSet, "tune-mixed");
            int[] ramTest = toCheck ? check!.Classify(test) : FallbackModel.ClassesOf(fallback, ram!, table, test, "tune-mixed");
            var tuning = Terminal.WithProgress("tune-mixed", p => DistanceTuning.TuneMixed(table, options.Tree(parse), sensor, validationSet, ramValidation,
                test, ramTest, parse.GetValue(target), parse.GetValue(budget), s, p, options.Vote(parse), agreementWeights,
                learned ? new LearnedGateRequest(splitSeedUsed, Target: learnedTarget) { Check = check, CrossFitted = crossFitted, RegressionBits = regressionBits } : null, mostAccurate: toCheck));
            if (tuning.Learned is { } learnedTuning && double.IsNaN(learnedTuning.Validation.Threshold))
                throw new MbiException($"the learned gate reaches {parse.GetValue(target):P1} mixed accuracy on no share of the " +
                    (crossFitted ? "held-out validation halves" : "validation split") + "; lower --target.");
            double? checkAccuracy = checkValidation is null ? null : FallbackModel.Accuracy(checkValidation, validationSet);
            double? floatCheckAccuracy = floatCheck is null ? null : FallbackModel.Accuracy(floatCheck.Classify(validationSet), validationSet);
            if (double.IsNaN(tuning.Validation.Threshold))
                throw new MbiException($"no weights tried reach {parse.GetValue(target):P1} mixed accuracy on the validation split; lower --target.");

            MbiFigures.MixedTuning(tuning, parse.GetValue(target), Path.Combine(dir, "mixed_tuning.csv"), Path.Combine(dir, "mixed_tuning.png"));
            if (lutOut is not null) LutFile.Write(lutOut, table.With(tuning.Weights, table.Metric));
            var fitted = tuning.Learned;
            if (fitted is not null && gateOut is not null) LearnedGateFile.Write(gateOut, fitted.Gate);

            var report = new
            {
                threshold = tuning.Validation.Threshold,
                agreement_weight = tuning.AgreementWeight,
                weights = new { a = tuning.Weights.Patch, b = tuning.Weights.Hidden, c = tuning.Weights.Location },
                validation = new { accuracy = tuning.Validation.Accuracy, mbi_fraction = tuning.Validation.MbiFraction },
                test = new { accuracy = tuning.Test.Accuracy, mbi_fraction = tuning.Test.MbiFraction, mbi_accuracy_on_served = tuning.Test.MbiAccuracyOnServed },
                agreement_weights_tried = tuning.AgreementCandidates.Select(c => new
                {
                    agreement_weight = c.AgreementWeight,
                    threshold = c.Threshold,
                    validation = new { accuracy = c.Accuracy, mbi_fraction = c.MbiFraction },
                }).ToList(),
                lut_weights = new
                {
                    threshold = tuning.StartValidation.Threshold,
                    agreement_weight = tuning.StartValidation.AgreementWeight,
                    validation = new { accuracy = tuning.StartValidation.Accuracy, mbi_fraction = tuning.StartValidation.MbiFraction },
                    test = new { accuracy = tuning.StartTest.Accuracy, mbi_fraction = tuning.StartTest.MbiFraction },
                },
                paper = PaperFigures.MixedJson,
                lut_rows = table.Rows,
                storage_bytes = table.StorageBytes,
                beam = options.Tree(parse).Beam,
                budget = parse.GetValue(budget),
                out_lut = lutOut,
                gate = learned ? "learned" : "agreement",
                learned_gate = fitted is null ? null : new
                {
                    file = gateOut,
                    threshold = fitted.Validation.Threshold,
                    threshold_rule = crossFitted ? "cross-fitted" : "in-sample",
                    held_out = fitted.HeldOut is not { } h ? null : new { served = h.HeldOutServed, accuracy = h.HeldOutAccuracy },
                    validation = new { accuracy = fitted.Validation.Accuracy, mbi_fraction = fitted.Validation.MbiFraction },
                    test = new { accuracy = fitted.Test.Accuracy, mbi_fraction = fitted.Test.MbiFraction, mbi_accuracy_on_served = fitted.Test.MbiAccuracyOnServed },
                    features = fitted.Gate.FeatureNames.Count,
                    ridge = fitted.Gate.Ridge,
                    target = fitted.Gate.TargetText,
                    // a float32 check reports what it always has (documented JSON keeps its bytes); a fixed-point one adds its bits, bytes and the float check's accuracy
                    image_check = check is null ? null : check.WeightBits == 32 ? (object)new
                    {
                        kind = ImageCheck.Kind,
                        multiply_adds = check.MultiplyAdds,
                        train_images = trainSet.Count,
                        validation_accuracy = checkAccuracy,
                    }
                    : new
                    {
                        kind = ImageCheck.Kind,
                        multiply_adds = check.MultiplyAdds,
                        train_images = trainSet.Count,
                        validation_accuracy = checkAccuracy,
                        weight_bits = check.WeightBits,
                        scale = "per class",
                        storage_bytes = check.StorageBytes,
                        float32_validation_accuracy = floatCheckAccuracy,
                        float32_storage_bytes = floatCheck!.StorageBytes,
                    },
                    fit_images = fitted.Gate.FitImages,
                    newton_steps = fitted.Gate.Iterations,
                    table_sha256 = fitted.Gate.TableSha256,
                },
                vote = options.Vote(parse),
                seed = s,
                split_seed = splitSeedUsed,
            };
            if (parse.GetValue(json))
            {
                object printed = FallbackModel.Json(report, fallback, f => new
                {
                    file = f.Path,
                    config = f.Description,
                    validation_accuracy = FallbackModel.Accuracy(ramValidation, validationSet),
                    test_accuracy = FallbackModel.Accuracy(ramTest, test),
                });
                // Appended only with the flag, so every other tune-mixed's JSON is what it was.
                printed = FallbackModel.WithField(printed, "fallback_check", !toCheck ? null : new
                {
                    kind = ImageCheck.Kind,
                    multiply_adds = check!.MultiplyAdds,
                    validation_accuracy = checkAccuracy,
                    test_accuracy = FallbackModel.Accuracy(ramTest, test),
                });
                Terminal.PrintJson(FallbackModel.WithField(printed, "gate_fixed_point", fitted?.Gate.FixedPoint is not { } fixedPoint ? null : GateFixedPointJson(fixedPoint)));
            }
            else
            {
                var inv = CultureInfo.InvariantCulture;
                if (toCheck)
                    Console.WriteLine(string.Format(inv, "no network: images not served take the image check's class ({0}, {1:N0} multiply-adds), alone {2:P2} on validation, {3:P2} on test",
                        ImageCheck.Kind, check!.MultiplyAdds, checkAccuracy, FallbackModel.Accuracy(ramTest, test)));
                if (fallback is not null)
                {
                    Console.WriteLine(fallback.Line(FallbackModel.Accuracy(ramValidation, validationSet), validationSet.Count, "validation"));
                    Console.WriteLine(string.Format(inv, "  and alone {0:P2} on the {1} test images", FallbackModel.Accuracy(ramTest, test), test.Count));
                }
                Console.WriteLine(string.Format(inv, "tuned on {0} validation images: {1}, T = {2:G4}, agreement weight {5:G4}: accuracy {3:P2}, {4:P2} by MBI",
                    validationSet.Count, tuning.Weights, tuning.Validation.Threshold, tuning.Validation.Accuracy, tuning.Validation.MbiFraction, tuning.AgreementWeight));
                foreach (var c in tuning.AgreementCandidates)
                    Console.WriteLine(string.Format(inv, "  agreement weight {0,4:G4}: T = {1:G6}, validation accuracy {2:P2}, {3:P2} by MBI{4}",
                        c.AgreementWeight, c.Threshold, c.Accuracy, c.MbiFraction, c == tuning.Validation ? " (chosen)" : ""));
                Console.WriteLine(string.Format(inv, "test ({0} images): accuracy {1:P2}, {2:P2} by MBI (MBI alone {3:P2} on those) (paper, {4})",
                    test.Count, tuning.Test.Accuracy, tuning.Test.MbiFraction, tuning.Test.MbiAccuracyOnServed, PaperFigures.Mixed));
                Console.WriteLine(string.Format(inv, "the LUT's own weights ({0}), T = {1:G4} from validation at the same agreement weight: test accuracy {2:P2}, {3:P2} by MBI",
                    table.Weights, tuning.StartValidation.Threshold, tuning.StartTest.Accuracy, tuning.StartTest.MbiFraction));
                if (tuning.AgreementWeight > 0)
                    Console.WriteLine(string.Format(inv, "infer with --threshold {0:R} --agreement-weight {1:R} (and the tuned weights)", tuning.Validation.Threshold, tuning.AgreementWeight));
                if (fitted is not null)
                {
                    Console.WriteLine(string.Format(inv, "learned gate ({0} features, ridge {1:G4}, target {7}, fitted on the {2} validation images in {3} Newton steps): T = {4:R} (negated log-odds), validation accuracy {5:P2}, {6:P2} by MBI",
                        fitted.Gate.FeatureNames.Count, fitted.Gate.Ridge, fitted.Gate.FitImages, fitted.Gate.Iterations, fitted.Validation.Threshold, fitted.Validation.Accuracy, fitted.Validation.MbiFraction, fitted.Gate.TargetText));
                    if (fitted.HeldOut is { } held)
                        Console.WriteLine(string.Format(inv, "  T cross-fitted: gates fitted on each half of the validation images serve {0:P2} of the other half at {1:P2} mean accuracy",
                            held.HeldOutServed, held.HeldOutAccuracy));
                    if (check is not null)
                        Console.WriteLine(string.Format(inv, "  with an image check ({0}, {1:N0} multiply-adds per image, trained on {2} training images): alone {3:P2} on validation",
                            ImageCheck.Kind, check.MultiplyAdds, trainSet.Count, checkAccuracy));
                    if (fitted.Gate.FixedPoint is { } fixedPoint)
                        Console.WriteLine(string.Format(inv, "  the regression in fixed point: {0} features as {1}-bit codes, int8 weights, an exact integer sum that needs a {2}-bit accumulator",
                            fixedPoint.Count, GateFixedPoint.Bits, fixedPoint.AccumulatorBits));
                    if (floatCheck is not null)
                        Console.WriteLine(string.Format(inv, "  the check in fixed point (int8 weights, per-class scales, byte pixels, int32 sums): {0:N0} bytes (float32: {1:N0} bytes, alone {2:P2} on validation)",
                            check!.StorageBytes, floatCheck.StorageBytes, floatCheckAccuracy));
                    Console.WriteLine(string.Format(inv, "  test ({0} images, scored once): accuracy {1:P2}, {2:P2} by MBI (MBI alone {3:P2} on those)",
                        test.Count, fitted.Test.Accuracy, fitted.Test.MbiFraction, fitted.Test.MbiAccuracyOnServed));
                    Console.WriteLine(string.Format(inv, "  wrote {0}; infer with --gate {0} --threshold {1:R}{2} (and the tuned weights)", gateOut, fitted.Validation.Threshold,
                        toCheck ? " --fallback-check" : ""));
                }
                Terminal.Note($"seed {s}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>--gate-threshold: whether the learned gate's T is chosen cross-fitted.</summary>
    internal static bool GateThresholdChoice(string text) => text switch
    {
        "in-sample" => false,
        "cross-fitted" => true,
        _ => throw BadInputException.For("--gate-threshold", text, "in-sample or cross-fitted", "cross-fitted"),
    };

    /// <summary>--gate-check: whether the learned gate also reads a linear image check.</summary>
    internal static bool GateCheckChoice(string text) => text switch
    {
        "none" => false,
        "linear" => true,
        _ => throw BadInputException.For("--gate-check", text, "none or linear", "linear"),
    };

    /// <summary>The fixed-point check's scale: per class (its gate features nearer the float check's than per tensor on validation, seeds 1-3).</summary>
    internal const ImageCheckScale CheckScale = ImageCheckScale.PerClass;

    /// <summary>--check-weight-bits: 32 (float32, the default) or 8 (fixed point); given only with --gate-check linear.</summary>
    internal static int CheckWeightBits(string? text, bool withCheck) => text switch
    {
        null => 32,
        _ when !withCheck => throw BadInputException.For("--check-weight-bits", text, "given with --gate-check linear (only the image check has weights to quantize)",
            "--gate learned --gate-check linear --check-weight-bits 8"),
        "32" => 32,
        "8" => 8,
        _ => throw BadInputException.For("--check-weight-bits", text, "8 (int8 fixed point) or 32 (float32)", "8"),
    };

    /// <summary>--gate-bits: 64 (double, the default) or 8 (fixed point); given only with --gate learned.</summary>
    internal static int GateBits(string text) => text switch
    {
        "64" => 64,
        "8" => GateFixedPoint.Bits,
        _ => throw BadInputException.For("--gate-bits", text, "8 (fixed point) or 64 (double)", "8"),
    };

    /// <summary>The fixed-point regression's JSON (tune-mixed, infer): its format and the accumulator it needs.</summary>
    internal static object GateFixedPointJson(GateFixedPoint fixedPoint) => new
    {
        bits = GateFixedPoint.Bits,
        features = fixedPoint.Count,
        accumulator_bound = fixedPoint.AccumulatorBound,
        accumulator_bits = fixedPoint.AccumulatorBits,
        product_scale = fixedPoint.ProductScale,
    };

    /// <summary>--gate-target: what the learned gate predicts.</summary>
    internal static LearnedGateTarget GateTargetChoice(string text) => text switch
    {
        "lookup-right" => LearnedGateTarget.LookupRight,
        "no-loss" => LearnedGateTarget.NoLoss,
        _ => throw BadInputException.For("--gate-target", text, "lookup-right or no-loss", "no-loss"),
    };

    /// <summary>--gate: false for today's agreement gate, true for the learned gate.</summary>
    internal static bool LearnedGateChoice(string text) => text switch
    {
        "agreement" => false,
        "learned" => true,
        _ => throw BadInputException.For("--gate", text, "agreement or learned", "learned"),
    };
}
