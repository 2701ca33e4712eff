using Mbi.Circuit.Adc;
using Mbi.CoSim.Energy;
using Mbi.CoSim.Mapping;
using Mbi.CoSim.Studies;
using Mbi.Core.IO;
using Mbi.Core.Units;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi cosim --dies 100 --sigma-vth 60mV --seed S`: MBI and mixed-MBI accuracy on dies with their own
/// delta-Vth on every transistor of every array (compact model), beside the ideal arrays; the fraction of
/// lookups whose winner changed; binary against thermometer coding of the 2-bit patch elements. Mixed MBI is the distance
/// threshold with the --model's classes, or with `--gate FILE --threshold T` the learned gate `infer --gate` runs, scoring each
/// die's own lookups, and `--fallback-model` / `--fallback-check` for the images not served (<see cref="CosimGateOptions"/>).
/// </summary>
internal static class CosimCommand
{
    public static Command Create()
    {
        var options = new CoSimOptions();
        var dies = CommonOptions.Count("--dies", "Monte Carlo dies (also --samples, as mc and sweep spell it)", 100, 1, 100_000);
        dies.Aliases.Add("--samples");
        var sigma = CommonOptions.Quantity("--sigma-vth", "V", "Std. deviation of every transistor's Vth shift", "60mV", 0, 0.5);
        var mixed = new CosimGateOptions();
        var codings = new Option<string>("--codings") { Description = "Codings to compare: binary, thermometer or binary,thermometer (default binary,thermometer)", DefaultValueFactory = _ => "binary,thermometer" };
        var outDir = new Option<string?>("--out") { Description = "Folder for dies.csv, summary.json and the accuracy histogram (optional)." };
        var json = CommonOptions.Json();
        var adc = AdcModelOption.Create();
        var passes = new PassesOptions("Lookup-only MBI in this many passes per image (`infer --passes M`, the passes voting): every die and the ideal arrays run them, with the early stops, and the energy is the passes run; mixed MBI stays one pass");
        var vote = CommonOptions.Count("--vote", "Keys voting per glimpse, as `infer --vote k`: every die's arrays (and the ideal arrays) keep the k nearest rows they compare, each glimpse hands on the voted state, and k value rows are priced per lookup", 1, 1, Mbi.Algorithm.Memorization.MbiClassifier.MaxVote);
        var shards = new ShardOptions();
        var command = new Command("cosim", "Circuit-in-the-loop MBI on Monte Carlo dies: accuracy distribution, winner changes, binary vs thermometer coding.")
        {
            dies, sigma, codings, outDir, json, adc, vote,
        };
        mixed.AddTo(command);
        passes.AddTo(command);
        options.AddTo(command);
        shards.AddTo(command);
        command.SetAction(parse =>
        {
            ulong seed = parse.GetValue(options.Seed);
            var plan = passes.Read(parse);
            int voteCount = parse.GetValue(vote);
            string? outFolder = parse.GetValue(outDir) is string o ? OutputPaths.Folder("--out", o, "runs/cosim") : null;
            var setupOptions = options.Setup(parse);
            var (design, stamp) = options.Design.Resolve(parse);
            var shard = shards.Begin(parse, stamp);
            if (shard is not null && outFolder is null)
                throw CommonOptions.Bad("--out", "missing", "a folder when --shard is given (the shard's dies are journalled there)", "--out runs/cosim-shards/shard-1");
            var config = EnergyConfig.Load(parse.GetValue(options.EnergyConfig));
            // cosim compares the codings of --codings; the shared --coding would be silently ignored, so it is refused.
            if (parse.GetResult(options.Coding) is { Implicit: false })
                throw BadInputException.For("--coding", parse.GetValue(options.Coding), "left out: cosim compares the codings listed in --codings",
                    $"--codings {parse.GetValue(options.Coding)}");
            var codingList = parse.GetValue(codings)!.Split(',').Select(name => CoSimOptions.ParseCoding(name.Trim(), "--codings")).ToList();
            // The gate file, the fallback network and (with a gate) the table are read and checked before anything runs.
            var gate = mixed.Read(parse, plan, voteCount, setupOptions.LutPath, setupOptions.ModelPath, codingList, setupOptions.Weights);
            using var claim = outFolder is null ? null : OutputPaths.Lock("--out", outFolder);
            if (!design.Adc.Mismatch.IsZero)
                Terminal.Note($"mbi cosim: per-die ADC mismatch: comparator offset sigma {design.Adc.ComparatorOffsetSigmaLsb.ToString(CultureInfo.InvariantCulture)} LSB, " +
                              $"unit capacitor sigma {design.Adc.Mismatch.UnitCapacitorSigma:P2}; every die is also read through the nominal ADCs");
            var first = Terminal.WithProgress("cosim", p => LookupSetup.Build(setupOptions with { Coding = ColumnCoding.Binary }, p));
            int[]? fallbackClasses = gate.FallbackClasses(first); // the test images are the same for every coding
            var results = new List<CodingResult>();
            foreach (var coding in codingList)
            {
                var setup = coding == ColumnCoding.Binary ? first : Terminal.WithProgress("cosim", p => first.WithCoding(coding, seed, p));
                var calibration = options.Calibration(parse, design, setup.Mapping.MaxBitsPerElement);
                string journalName = CosimShards.JournalName(coding);
                using var journal = outFolder is null ? null : CosimShards.OpenJournal(parse, outFolder, journalName, stamp, parse.GetValue(dies), calibration);
                if (shard is not null)
                {
                    Terminal.WithProgress("cosim", p => CosimStudy.RunShard(setup, calibration, design, parse.GetValue(dies), parse.GetValue(sigma), seed,
                        gate.Threshold, options.EffectiveWorkers(parse), p, shard, journal!, plan, voteCount, gate.Learned, fallbackClasses));
                    continue;
                }
                results.Add(Terminal.WithProgress("cosim", p => CosimStudy.Run(setup, config, calibration, design, parse.GetValue(dies),
                    parse.GetValue(sigma), seed, gate.Threshold, options.EffectiveWorkers(parse), p,
                    parse.GetValue(adc) ?? AdcModel.Spice, options.SeededCache(parse, design), journal, plan, voteCount, gate.Learned, fallbackClasses)));
            }
            if (shard is not null)
            {
                var manifest = ShardOptions.Finish(parse, shard, outFolder!, seed, parse.GetValue(dies), stamp,
                    codingList.Select(CosimShards.JournalName), "", options.EffectiveWorkers(parse), 0);
                if (parse.GetValue(json)) Terminal.PrintJson(manifest);
                return 0;
            }
            var report = new CosimReport(seed, parse.GetValue(sigma), parse.GetValue(dies), first.Test.Count, first.Table.Rows, first.Source, results, stamp)
                { Passes = plan.Passes, Vote = voteCount, StopDistance = plan.StopDistance, StopMargin = plan.StopMargin, MixedGate = gate.Settings(fallbackClasses, first) };
            if (outFolder is not null) CosimStudy.Write(outFolder, report);
            if (parse.GetValue(json)) Terminal.PrintJson(report);
            else Print(report);
            Terminal.RunNote(seed, stamp);
            return 0;
        });
        return command;
    }

    private static void Print(CosimReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"{r.Dies} dies, sigma(Vth) {Engineering.Format(r.SigmaVthVolts, "V")}, {r.Images} test images, {r.LutRows}-row LUT, seed {r.Seed}" +
            (r.Passes > 1 ? $"; {r.Passes} passes per image (lookup-only accuracy is their vote; mixed MBI one pass)" : "") +
            (r.StopDistance is double d ? $"; images whose first pass matched within {d.ToString(inv)} stop there" : "") +
            (r.StopMargin is double m ? $"; an image stops once its passes' vote leads by {m.ToString(inv)}" : "") +
            (r.Vote > 1 ? $"; {r.Vote} keys vote per glimpse" : ""));
        if (r.MixedGate is { } g)
            Console.WriteLine(string.Format(inv, "mixed MBI: {0}; images not served go to {1}{2}, alone {3:P2} on the {4} test images",
                g.Gate == "learned" ? $"learned gate {g.GateFile}{(g.RegressionBits == 8 ? " in 8-bit fixed point" : "")}, served when its score (from each die's own lookups) <= T = {g.Threshold.ToString("R", inv)}"
                    : $"served when every glimpse matched within T = {g.Threshold.ToString(inv)}",
                g.Fallback == "image check" ? "the gate's image check" : g.Fallback, g.FallbackConfig is null ? "" : $" ({g.FallbackConfig})", g.FallbackAccuracy, r.Images));
        foreach (var c in r.Codings)
        {
            Console.WriteLine(string.Format(inv, "{0} coding ({1} splits: {2})", c.Coding, c.Splits, c.Mapping));
            Console.WriteLine(string.Format(inv, "  lookup-only MBI: ideal {0:P2}; dies mean {1:P2}, worst {2:P2}, 5th percentile {3:P2}",
                c.IdealMbiAccuracy, c.MeanMbiAccuracy, c.WorstMbiAccuracy, c.P5MbiAccuracy));
            Console.WriteLine(string.Format(inv, "  mixed MBI:       ideal {0:P2} ({1:P1} by lookups); dies mean {2:P2}, worst {3:P2}, 5th percentile {4:P2}",
                c.IdealMixedAccuracy, c.IdealMbiFraction, c.MeanMixedAccuracy, c.WorstMixedAccuracy, c.P5MixedAccuracy));
            if (c.ServedOverDies is { } s)
                Console.WriteLine(string.Format(inv, "  served by lookups: ideal {0:P2}; dies mean {1:P2}, fewest {2:P2}, most {3:P2}",
                    c.IdealMbiFraction, s.Mean, s.Fewest, s.Most));
            if (c.WithoutAdcMismatch is { } n)
                Console.WriteLine(string.Format(inv, "  nominal ADCs:    lookup-only dies mean {0:P2}, worst {1:P2}; mixed dies mean {2:P2}, worst {3:P2}; winner changed in {4:P2} (the same dies without ADC mismatch)",
                    n.MeanMbiAccuracy, n.WorstMbiAccuracy, n.MeanMixedAccuracy, n.WorstMixedAccuracy, n.WinnerChangedFraction));
            Console.WriteLine(string.Format(inv, "  winner changed in {0:P2} of lookups; ADC saturated in {1:P2} of readouts; {2} per comparison, {3} per inference; {4:F1} s",
                c.WinnerChangedFraction, c.SaturatedFraction, Engineering.Format(c.EnergyPerComparisonJoules, "J"),
                Engineering.Format(c.EnergyPerInferenceJoules, "J"), c.WallSeconds));
            Console.WriteLine(string.Format(inv, "  energy from the same accountant as `mbi energy` (ADC {0}): per inference {1} dynamic + {2} leakage",
                c.AdcModel, Engineering.Format(c.DynamicPerInferenceJoules, "J"), Engineering.Format(c.LeakagePerInferenceJoules, "J")));
        }
    }
}
