using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.CoSim.Reports;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi sweep-threshold --lut FILE --model FILE --out DIR`: mixed MBI (paper Fig. 5). Lookup-only inference and
/// the RAM each run once over the test images; each threshold T then serves by lookups the images whose every
/// glimpse matched within T and the rest by the RAM. Writes threshold, accuracy, mbi_fraction as CSV + SVG.
/// With <c>--split validation</c> it runs on the held-out training images instead, so the operating point
/// (the most images by lookups at accuracy >= <c>--target</c>) is chosen without the test set; then
/// <c>mbi infer --threshold T</c> scores that T on the test set once. With <c>--agreement-weight L</c> the gate
/// weighs the vote's disagreement too (distance + L x (2 - agreement) &lt;= T); pass the same L to <c>infer</c>. With
/// <c>--gate FILE</c> (a learned gate written by <c>mbi tune-mixed --gate learned</c>, checked as <c>infer --gate</c> checks it)
/// T bounds the gate's score instead (negated log-odds, usually negative, so --from and --to may be negative then). The CSV's
/// "gate" column, the JSON's "gate" and the figure say which gate was swept. With <c>--fallback-model FILE</c> (any trained
/// RAM) that network, not the --model, serves the rest and is the "RAM" of the text, JSON and figure.
/// </summary>
internal static class SweepThresholdCommand
{
    /// <summary>The most thresholds one sweep evaluates (each is one pass over the images' match distances).</summary>
    public const int MaxThresholds = 100_000;

    public static Command Create()
    {
        var outDir = CommonOptions.OutFolder("fig5_threshold.csv, .png and .svg", "out/mbi");
        var gate = new Option<string?>("--gate")
        {
            Description = "Sweep a learned gate written by `mbi tune-mixed --gate learned` (a JSON file) instead of the distance and agreement: T bounds its score " +
                "(negated log-odds, usually negative: e.g. --from -6 --to 2). Needs the --vote it was fitted with and the table it was fitted on (its --out-lut).",
        };
        var from = Bound("--from", "First threshold", 0, gate);
        var to = Bound("--to", "Last threshold", 10, gate);
        var step = CommonOptions.Real("--step", "Threshold step", 0.25);
        var images = CommonOptions.Images();
        var split = new Option<string>("--split")
        {
            Description = "Images to sweep on: test (the MNIST test set, for the figure) or validation (the held-out training images, to choose T without the test set) (default test)",
            DefaultValueFactory = _ => "test",
        };
        var validation = CommonOptions.Validation();
        var splitSeed = CommonOptions.SplitSeed();
        var target = CommonOptions.Real("--target", "Operating point: the threshold serving the most images by lookups at this accuracy or more, in (0, 1]", 0.95, 0, 1);
        var options = new LookupOptions();
        var json = CommonOptions.Json();
        var command = new Command("sweep-threshold", "Mixed MBI: accuracy and fraction of images served by lookups vs the match-distance threshold T (Fig. 5).")
        {
            outDir, from, to, step, images, split, validation, splitSeed, target, json, gate,
        };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            double t0 = parse.GetValue(from), t1 = parse.GetValue(to), dt = parse.GetValue(step);
            if (!(dt > 0)) throw BadInputException.For("--step", dt, "> 0", "0.25");
            if (t1 < t0) throw BadInputException.For("--to", t1, $">= --from ({t0})", "10");
            double goal = parse.GetValue(target);
            if (!(goal is > 0 and <= 1)) throw BadInputException.For("--target", goal, "in (0, 1]", "0.975");
            string on = parse.GetValue(split)!;
            if (on is not ("test" or "validation")) throw BadInputException.For("--split", on, "test or validation", "validation");
            double count = Math.Floor((t1 - t0) / dt + 1e-9) + 1;
            if (count > MaxThresholds)
                throw BadInputException.For("--step", dt, $"large enough for at most {MaxThresholds} thresholds from --from {t0} to --to {t1} (it gives {count:G6})", "0.25");
            // The learned gate's checks, in infer's order and with its messages.
            string? gatePath = parse.GetValue(gate);
            if (gatePath is not null)
            {
                LookupOptions.RefuseAgreementWeightWithGate(gatePath, options.AgreementWeight(parse));
                options.Check(parse);
                LearnedGate.CheckVote(options.Vote(parse));
            }
            string dir = OutputPaths.Folder("--out", parse.GetValue(outDir), "out/mbi");
            double agreementWeight = options.AgreementWeight(parse) ?? 0;
            options.NoteInertAgreementWeight(parse);
            var learned = gatePath is null ? null : LearnedGateFile.Read(gatePath);
            // --fallback-model (any trained RAM) is read before the table, so a bad file fails at once; --model stays the table's MBI model.
            var fallback = options.Fallback(parse);
            var table = options.Table(parse);
            if (learned is not null) LearnedGateFile.CheckFits(gatePath!, learned, table, options.Vote(parse));
            fallback?.CheckFits(table);
            var ram = options.Model(parse);
            var test = on == "test" ? options.Test(parse, parse.GetValue(images))
                : ValidationSplit.Load(options.Mnist(parse), parse.GetValue(validation), parse.GetValue(splitSeed) ?? options.Seed(parse)).Validation;
            var search = Terminal.WithProgress("sweep", p => SearchFactory.Build(table, options.Kind(parse), options.Tree(parse), p));
            var run = Terminal.WithProgress("sweep", p => MbiEvaluation.Run(new MbiClassifier(table, new QuantizedGlimpseSensor(table.Spec), search, options.Vote(parse)), test, p,
                trace: learned is not null));
            int[] ramClasses = FallbackModel.ClassesOf(fallback, ram, table, test, "sweep");
            double ramAccuracy = FallbackModel.Accuracy(ramClasses, test);

            var points = Points(run, learned?.Scores(run, test), ramClasses, test.Labels, t0, t1, dt, agreementWeight);
            string gateName = GateName(gatePath, agreementWeight);
            // A learned gate's T is not on the paper's distance scale: the paper's point is drawn as its accuracy line only.
            MbiFigures.Fig5(points, ramAccuracy, learned is null && table.Weights.Patch == table.Weights.Hidden && table.Weights.Hidden == table.Weights.Location,
                $"Fig. 5: mixed MBI vs threshold T ({table.Rows} rows, {table.Weights}{(learned is not null ? $", learned gate {Path.GetFileName(gatePath)}" : agreementWeight == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $", agreement weight {agreementWeight}"))}; {test.Count} {on} images)", Path.Combine(dir, "fig5_threshold.csv"), Path.Combine(dir, "fig5_threshold.png"),
                gateName, learned is null ? null : "threshold T (learned gate score: negated log-odds that the lookups are right)");

            // The operating point: most images by MBI while accuracy stays >= the target.
            var best = points.Where(p => p.Accuracy >= goal).OrderByDescending(p => p.MbiFraction).ThenByDescending(p => p.Accuracy).FirstOrDefault();
            var report = new
            {
                lookup_only_accuracy = run.Accuracy(test.Labels),
                ram_accuracy = ramAccuracy,
                split = on,
                images = test.Count,
                lut_rows = table.Rows,
                storage_bytes = table.StorageBytes,
                avg_tree_levels = run.AverageLevels,
                avg_distance_computations = run.AverageDistanceComputations,
                target = goal,
                gate = gateName,
                gate_file = gatePath,
                agreement_weight = learned is null ? agreementWeight : (double?)null,
                operating_point = best == default ? null : new { threshold = best.Threshold, accuracy = best.Accuracy, mbi_fraction = best.MbiFraction },
                paper = PaperFigures.MixedJson,
                points = points.Select(p => new { threshold = p.Threshold, accuracy = p.Accuracy, mbi_fraction = p.MbiFraction }).ToList(),
                files = new[] { Path.Combine(dir, "fig5_threshold.csv"), Path.Combine(dir, "fig5_threshold.png"), Path.Combine(dir, "fig5_threshold.svg") },
                vote = options.Vote(parse),
                seed = options.Seed(parse),
                split_seed = on == "validation" ? parse.GetValue(splitSeed) ?? options.Seed(parse) : (ulong?)null,
            };
            if (parse.GetValue(json))
                Terminal.PrintJson(FallbackModel.Json(report, fallback, f => new { file = f.Path, config = f.Description, accuracy = ramAccuracy }));
            else
            {
                var inv = CultureInfo.InvariantCulture;
                Console.WriteLine(string.Format(inv, "lookup-only {0:P2}, RAM {1:P2} on {2} {4} images; LUT {3} rows", report.lookup_only_accuracy, ramAccuracy, test.Count, table.Rows, on));
                if (fallback is not null) Console.WriteLine("  " + fallback.Line(ramAccuracy, test.Count, on) + ": the RAM above");
                foreach (var p in points.Where((_, i) => i % Math.Max(1, points.Count / 12) == 0))
                    Console.WriteLine(string.Format(inv, "  T = {0,6:F2}: accuracy {1:P2}, {2:P2} by MBI", p.Threshold, p.Accuracy, p.MbiFraction));
                Console.WriteLine(best == default
                    ? string.Format(inv, "  no threshold reaches {0:P1} accuracy", goal)
                    : string.Format(inv, "  most by MBI with accuracy >= {0:P1} on {5}: T = {1:G6}{6}, accuracy {2:P2}, {3:P2} by MBI (paper, {4})", goal, best.Threshold, best.Accuracy, best.MbiFraction, PaperFigures.Mixed, on,
                        learned is not null ? $" with the learned gate {gatePath} (served when its score <= T)"
                        : agreementWeight == 0 ? "" : string.Format(inv, " with agreement weight {0}", agreementWeight)));
                Console.WriteLine($"wrote {report.files[0]}, {report.files[1]}");
                Terminal.Note($"seed {report.seed}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Mixed MBI at T = <paramref name="from"/>, from + step, ... up to <paramref name="to"/>: with <paramref name="scores"/> (a
    /// learned gate's, per image) an image is served by lookups when its score is &lt;= T, else by today's gate of
    /// <paramref name="agreementWeight"/> (<see cref="MbiRun.GateScore"/>).
    /// </summary>
    internal static List<MixedPoint> Points(MbiRun run, double[]? scores, ReadOnlySpan<int> ramClasses, ReadOnlySpan<byte> labels,
        double from, double to, double step, double agreementWeight)
    {
        var points = new List<MixedPoint>();
        for (int i = 0; from + i * step <= to + 1e-9; i++)
        {
            double t = Math.Round(from + i * step, 9);
            points.Add(scores is null ? MbiEvaluation.Mixed(run, ramClasses, labels, t, agreementWeight) : MbiEvaluation.Mixed(run, scores, ramClasses, labels, t));
        }
        return points;
    }

    /// <summary>The gate swept, as the CSV, JSON and figure name it: "distance", "agreement L=20" or "learned FILE".</summary>
    internal static string GateName(string? gatePath, double agreementWeight) =>
        gatePath is not null ? $"learned {gatePath}" : agreementWeight == 0 ? "distance" : string.Create(CultureInfo.InvariantCulture, $"agreement L={agreementWeight}");

    /// <summary>
    /// --from / --to: a finite threshold, >= 0 (a match distance) unless --gate is given, whose learned scores may be
    /// negative; without --gate the message is the one every real option gives.
    /// </summary>
    private static Option<double> Bound(string name, string description, double defaultValue, Option<string?> gate)
    {
        string example = defaultValue.ToString(CultureInfo.InvariantCulture);
        return new Option<double>(name)
        {
            Description = $"{description}, >= 0; any finite number with --gate (default {example})",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => OptionParsing.Real(r, name, r.GetResult(gate) is null ? 0 : double.NegativeInfinity, double.PositiveInfinity, example) ?? defaultValue,
        };
    }
}
