using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Ram;
using Mbi.CoSim.Mapping;
using Mbi.CoSim.Studies;

namespace Mbi.Cli.Commands;

/// <summary>
/// cosim's mixed-MBI gate and fallback: --threshold T, --gate FILE (a learned gate written by `mbi tune-mixed --gate learned`),
/// --fallback-model and --fallback-check. Checked as `mbi infer` checks them, before any table is distilled, tree built or
/// lookup run: a learned gate needs T given (any finite number; without a gate T is a match distance, >= 0), one pass, the
/// vote it was fitted with, --lut, and for every coding of --codings the very table it was fitted on as those arrays see it
/// (the coding's metric and any --weights applied).
/// </summary>
internal sealed class CosimGateOptions
{
    public Option<double> Threshold { get; } = CommonOptions.Quantity("--threshold", "",
        "Mixed MBI: images whose worst match exceeds T go to the RAM (a match distance, >= 0); with --gate FILE, images whose learned-gate score " +
        "(negated log-odds, may be negative) exceeds T, as `infer --gate` decides", "5");

    public Option<string?> Gate { get; } = new("--gate")
    {
        Description = "Mixed MBI with a learned gate written by `mbi tune-mixed --gate learned` (a JSON file) instead of the distance threshold: every die " +
            "(and the ideal arrays) scores its own lookups with it. Needs --threshold (the T tune-mixed printed), the --vote it was fitted with, --lut (the table " +
            "it was fitted on, tune-mixed's --out-lut), --codings whose metric that table has (thermometer for --metric manhattan) and one pass.",
    };

    public Option<string?> FallbackModel { get; } = CommonOptions.FallbackModel();

    public Option<bool> FallbackCheck { get; } = new("--fallback-check")
    {
        Description = "Mixed MBI with no network: the images the learned gate does not serve take the class of the gate file's own image check " +
            "(`tune-mixed --gate-check linear`) instead of a RAM's; needs --gate and --threshold (the T `tune-mixed --fallback-check` printed).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Threshold);
        command.Options.Add(Gate);
        command.Options.Add(FallbackModel);
        command.Options.Add(FallbackCheck);
    }

    /// <summary>
    /// The gate and fallback the flags ask for, with every refusal made now: reads the gate file, the fallback network and
    /// the table of <paramref name="lutPath"/> (checked against the gate for each of <paramref name="codings"/>, and against the
    /// fallback's classes and image size; without --lut the --model's, <paramref name="modelPath"/>, is).
    /// </summary>
    public CosimGate Read(ParseResult parse, PassesPlan plan, int vote, string? lutPath, string modelPath, IReadOnlyList<ColumnCoding> codings,
        DistanceWeights? weights)
    {
        double t = parse.GetValue(Threshold);
        string? gatePath = parse.GetValue(Gate);
        bool toCheck = parse.GetValue(FallbackCheck);
        string? fallbackPath = parse.GetValue(FallbackModel);
        if (gatePath is not null && parse.GetResult(Threshold) is not { Implicit: false })
            throw BadInputException.For("--gate", gatePath, "given with --threshold (the learned gate's T, e.g. the one tune-mixed printed; cosim's default 5 is a match distance)",
                $"--gate {gatePath} --threshold -2.6");
        if (gatePath is null && t < 0)
            throw BadInputException.For("--threshold", t, ">= 0 (a match distance; negative thresholds are for a learned gate's score, with --gate FILE)", "5");
        if (toCheck && gatePath is null)
            throw BadInputException.For("--fallback-check", "given without --gate", "used with --gate FILE and --threshold (the check it falls back to is the gate file's)",
                "--gate gate.json --threshold -2.6 --fallback-check");
        Commands.FallbackModel.RefuseBesideCheck(fallbackPath, toCheck);
        if (gatePath is null)
        {
            var network = Commands.FallbackModel.Load(fallbackPath);
            network?.CheckFits(lutPath is null ? QuantizedRamStepModel.Load(modelPath).Spec : LutFile.Read(lutPath).Spec);
            return new CosimGate(t, null, null, network, false);
        }

        if (plan.Passes > 1)
            throw BadInputException.For("--passes", plan.Passes, "1 with --gate (mixed MBI with the learned gate runs one pass, as `infer --gate` does; its features are one pass's lookups)",
                $"--passes {plan.Passes} without --gate, or --gate {gatePath} alone");
        LearnedGate.CheckVote(vote);
        if (lutPath is null)
            throw BadInputException.For("--gate", gatePath, "given with --lut (the table the gate was fitted on, tune-mixed's --out-lut; cosim would otherwise distil another table)",
                $"--lut TUNED.lut --gate {gatePath}");
        var learned = LearnedGateFile.Read(gatePath);
        if (toCheck && learned.Check is null)
            throw BadInputException.For("--fallback-check", $"given with {gatePath}, a gate without an image check", "used with a gate file that carries one",
                "a gate written by `mbi tune-mixed --gate learned --gate-check linear`");
        var fallback = Commands.FallbackModel.Load(fallbackPath);
        var lut = LutFile.Read(lutPath);
        fallback?.CheckFits(lut.Spec);
        CheckFits(gatePath, learned, lut, codings, weights, vote);
        return new CosimGate(t, gatePath, learned, fallback, toCheck);
    }

    /// <summary>
    /// Refuses a coding of <paramref name="codings"/> whose arrays would search another table than the gate's: one whose
    /// metric the gate's table does not have is named with the coding that fits; any other difference as infer says it.
    /// </summary>
    private static void CheckFits(string gatePath, LearnedGate gate, LookupTable lut, IReadOnlyList<ColumnCoding> codings, DistanceWeights? weights, int vote)
    {
        ColumnCoding[] all = [ColumnCoding.Binary, ColumnCoding.Thermometer];
        var fitting = all.Where(c => TableIdentity.Sha256(LookupSetup.Rekeyed(lut, c, weights)) == gate.TableSha256).ToList();
        foreach (var coding in codings)
        {
            if (fitting.Count > 0 && !fitting.Contains(coding))
            {
                string fits = string.Join(",", fitting.Select(Name));
                string Metric(ColumnCoding c) => LookupOptions.MetricName(new ArrayMapping(lut.Spec, c).Metric);
                throw BadInputException.For("--codings", string.Join(",", codings.Select(Name)),
                    $"{fits} with --gate {gatePath} (the gate was fitted on the table under the {Metric(fitting[0])} distance, which {fits} columns compute; " +
                    $"{Name(coding)} columns compute {Metric(coding)})", $"--codings {fits}");
            }
            LearnedGateFile.CheckFits(gatePath, gate, LookupSetup.Rekeyed(lut, coding, weights), vote);
        }
    }

    private static string Name(ColumnCoding coding) => coding.ToString().ToLowerInvariant();
}

/// <summary>
/// cosim's mixed MBI as the flags set it: T, the learned gate (or null: the distance threshold) and what takes the images
/// not served: the <see cref="Fallback"/> network, the gate's image check (<see cref="ToCheck"/>), or neither (the --model).
/// </summary>
internal sealed record CosimGate(double Threshold, string? GatePath, LearnedGate? Learned, FallbackModel? Fallback, bool ToCheck)
{
    /// <summary>Mixed MBI as cosim ran it before these flags: the distance threshold, the --model's classes.</summary>
    public bool IsDefault => Learned is null && Fallback is null;

    /// <summary>
    /// The class of every test image of <paramref name="setup"/> from what takes the images not served (the gate's image
    /// check, the --fallback-model, else the setup's RAM), or null for the defaults (the study runs the setup's RAM itself).
    /// </summary>
    public int[]? FallbackClasses(LookupSetup setup) => IsDefault ? null
        : ToCheck ? Learned!.Check!.Classify(setup.Test)
        : Fallback?.Classes(setup.Table, setup.Test, "cosim") ?? Terminal.WithProgress("cosim", p => MbiEvaluation.RunModel(setup.Model, setup.Test, p));

    /// <summary>What the report says of the gate and fallback (<paramref name="fallbackClasses"/>: <see cref="FallbackClasses"/>), or null for the defaults.</summary>
    public MixedGateSettings? Settings(int[]? fallbackClasses, LookupSetup setup) => IsDefault || fallbackClasses is null ? null
        : new MixedGateSettings(Learned is null ? "distance" : "learned", GatePath, Threshold,
            ToCheck ? "image check" : Fallback?.Path ?? setup.Options?.ModelPath ?? "--model",
            ToCheck ? $"{ImageCheck.Kind}, {Learned!.Check!.MultiplyAdds} multiply-adds" : Fallback?.Description,
            Commands.FallbackModel.Accuracy(fallbackClasses, setup.Test))
        {
            RegressionBits = Learned?.RegressionBits,
        };
}
