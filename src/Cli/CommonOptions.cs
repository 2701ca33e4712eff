using Mbi.Core.Units;

namespace Mbi.Cli;

/// <summary>Options shared by many commands, built the same way everywhere.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json")
    {
        Description = "Print exactly one JSON object with the results on stdout (human output goes to stderr).",
    };

    /// <summary>--fresh: discard the finished work (<paramref name="what"/>: SPICE dies, trained points) journalled at <paramref name="where"/> instead of resuming from it.</summary>
    public static Option<bool> Fresh(string where, string what = "SPICE dies") => new("--fresh")
    {
        Description = $"Discard the {what} journalled in {where} instead of resuming from them.",
    };

    public static Option<ulong> Seed(ulong defaultSeed = 1) => new("--seed")
    {
        Description = $"Seed of every random process in the run; the same seed gives the same bytes (default {defaultSeed})",
        DefaultValueFactory = _ => defaultSeed,
        CustomParser = r => (ulong)OptionParsing.Whole(r, "--seed", 0, ulong.MaxValue, defaultSeed),
    };

    /// <summary>
    /// --split-seed: the seed that drew the validation split, i.e. the seed the model was trained with (absent = --seed).
    /// Lets a table be distilled, or a tree built, at other seeds while the held-out images stay the model's own.
    /// </summary>
    public static Option<ulong?> SplitSeed(string description =
        "Seed that drew the validation split: the seed the model was trained with, so other --seed values keep its held-out images (default: --seed)") => new("--split-seed")
    {
        Description = description,
        CustomParser = r => (ulong)OptionParsing.Whole(r, "--split-seed", 0, ulong.MaxValue, 1),
    };

    /// <summary>--out FOLDER: where a command writes <paramref name="what"/>, with its default folder.</summary>
    public static Option<string> OutFolder(string what, string defaultFolder) => new("--out")
    {
        Description = $"Folder for {what} (default {defaultFolder}).",
        DefaultValueFactory = _ => defaultFolder,
    };

    /// <summary>--lut: a distilled lookup table, required by every command that reads one.</summary>
    public static Option<string> Lut() => new("--lut")
    {
        Description = "Distilled lookup table (.lut) made by `mbi distill`.",
        Required = true,
    };

    /// <summary>--model: the trained quantized RAM, one definition and one default for every command.</summary>
    public static Option<string> Model() => new("--model")
    {
        Description = "Trained quantized RAM (.ram) written by `mbi train` (default models/ram-mbi.ram).",
        DefaultValueFactory = _ => DefaultModel,
    };

    public const string DefaultModel = "models/ram-mbi.ram";

    /// <summary>--fallback-model: mixed MBI's fallback network when it is not the table's --model (infer, sweep-threshold, tune-mixed, cosim).</summary>
    public static Option<string?> FallbackModel() => new("--fallback-model")
    {
        Description = "Mixed MBI's fallback network, which classifies the images the gate does not serve by lookups: any trained RAM (.ram), " +
            "full precision included (e.g. models/ram-reference-2s.ram) (default: the --model the table was distilled from).",
    };

    /// <summary>--images: test images from the start of the MNIST test set; default the whole set.</summary>
    public static Option<int> Images() => Count("--images", "Test images (from the start of the MNIST test set)", 10_000, 1, 10_000);

    /// <summary>--workers: threads, and ngspice copies (one private library copy each) where ngspice runs.</summary>
    public static Option<int> Workers() => Count("--workers", "Threads and ngspice copies (one private library copy each); 0 = one per core", 0, 0, 256);

    /// <summary>The worker count <paramref name="requested"/> means: 0 is one per core.</summary>
    public static int EffectiveWorkers(int requested) => requested > 0 ? requested : Environment.ProcessorCount;

    /// <summary>--validation: training images held out (never distilled; tuning scores on them).</summary>
    public static Option<int> Validation() =>
        Count("--validation", "Training images held out as the validation split (never distilled; tune-distance scores on them)",
            Mbi.Algorithm.Mnist.ValidationSplit.DefaultImages, 1, 50000);

    public static Option<string?> Mnist() => new("--mnist")
    {
        Description = "Folder holding the four MNIST .gz files (default: $MBI_MNIST, then data/mnist).",
    };

    /// <summary>
    /// A physical quantity with engineering suffixes ("60mV", "3ns", "1.5fF"). The value is validated
    /// against [min, max] with a message that names the option, the value and the fix.
    /// </summary>
    public static Option<double> Quantity(string name, string unit, string description, string defaultText,
        double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        var option = new Option<double>(name)
        {
            Description = $"{description} (default {defaultText})",
            DefaultValueFactory = _ => Engineering.Parse(defaultText, unit, name),
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0) return Engineering.Parse(defaultText, unit, name);
                if (!OptionParsing.TryQuantity(result, name, unit, out double value)) return 0;
                if (value >= min && value <= max) return value;
                result.AddError($"{name} was {result.Tokens[^1].Value}; it must be {OptionParsing.RangeText(min, max, unit)} (e.g. {defaultText}).");
                return 0;
            },
        };
        return option;
    }

    /// <summary>
    /// A plain real number (no unit) in [min, max]; NaN, Infinity and anything else that is not a finite number is one
    /// message: "--threshold was 'NaN'; it must be a finite number >= 0 (e.g. 5)." The library checks finer bounds.
    /// </summary>
    public static Option<double> Real(string name, string description, double defaultValue, double min = double.NegativeInfinity, double max = double.PositiveInfinity) => new(name)
    {
        Description = $"{description} (default {defaultValue.ToString(System.Globalization.CultureInfo.InvariantCulture)})",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => OptionParsing.Real(r, name, min, max, defaultValue.ToString(System.Globalization.CultureInfo.InvariantCulture)) ?? defaultValue,
    };

    /// <summary>As <see cref="Real"/> for an option with no default (absent = null).</summary>
    public static Option<double?> OptionalReal(string name, string description, string example, double min = double.NegativeInfinity, double max = double.PositiveInfinity) => new(name)
    {
        Description = description,
        CustomParser = r => OptionParsing.Real(r, name, min, max, example),
    };

    /// <summary>A 32-bit real (training hyper-parameters) with the same checks as <see cref="Real"/>.</summary>
    public static Option<float> Single(string name, string description, float defaultValue, double min = double.NegativeInfinity, double max = double.PositiveInfinity) => new(name)
    {
        Description = $"{description} (default {defaultValue.ToString(System.Globalization.CultureInfo.InvariantCulture)})",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => (float)(OptionParsing.Real(r, name, min, max, defaultValue.ToString(System.Globalization.CultureInfo.InvariantCulture), single: true) ?? defaultValue),
    };

    /// <summary>An integer option with its range, parsed by <see cref="OptionParsing.Whole"/> (bad text and range are one message).</summary>
    public static Option<int> Count(string name, string description, int defaultValue, int min, int max = int.MaxValue) => new(name)
    {
        Description = $"{description} (default {defaultValue})",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => (int)OptionParsing.Whole(r, name, min, max, (ulong)Math.Max(0, defaultValue)),
    };

    /// <summary>--passes of eval, infer, energy and cosim: <paramref name="what"/>, at the fixed offsets of <see cref="Mbi.Algorithm.Ram.EvaluationPasses"/>.</summary>
    public static Option<int> Passes(string what) => Count("--passes",
        $"{what}; pass k reads the image translated by a fixed whole-pixel offset ({Mbi.Algorithm.Ram.EvaluationPasses.Describe(5)}, then the diagonals " +
        $"and the 2-pixel steps), so M passes cost M times the glimpses, lookups, energy and latency of one (1-{Mbi.Algorithm.Ram.EvaluationPasses.Max})",
        1, 1, Mbi.Algorithm.Ram.EvaluationPasses.Max);

    /// <summary>--stop-distance of infer and energy (with --passes M &gt; 1): the early stop of <see cref="Mbi.Algorithm.Memorization.MbiEvaluation.RunPassesStopping"/>.</summary>
    public static Option<double?> StopDistance() => OptionalReal("--stop-distance",
        "With --passes M > 1: an image whose worst match distance in the first pass is at most D keeps that pass's class and runs no more passes; " +
        "the others run all M and vote (default: every image runs every pass)", "3.5", min: 0);

    /// <summary>--stop-margin of infer and energy (with --passes M &gt; 1): the vote-margin stop of <see cref="Mbi.Algorithm.Memorization.MbiEvaluation.RunPassesStopping"/>.</summary>
    public static Option<double?> StopMargin() => OptionalReal("--stop-margin",
        "With --passes M > 1: an image runs no more passes once its passes' vote leader is at least m ahead of the runner-up (each pass votes 1 / (1 + its worst match distance), " +
        "so after one pass the margin is that weight); the others run all M (default: no such stop)", "0.4", min: 0);

    /// <summary>`mbi eval --stop-confidence P`: the network's early stop for --passes (checked with the pass count by the library).</summary>
    public static Option<double?> StopConfidence() => OptionalReal("--stop-confidence",
        "With --passes M > 1: an image whose first pass gives its top class a softmax probability of at least P keeps that pass's class and runs no more passes; " +
        "the others run all M and sum them (default: every image runs every pass)", "0.98", min: 0, max: 1);

    /// <summary>Refuses --stop-distance without several passes, naming both flags.</summary>
    public static void RequirePassesForStop(double? stopDistance, int passes, string flag = "--stop-distance", int examplePasses = 13)
    {
        if (stopDistance is double d && passes == 1)
            throw BadInputException.For(flag, d, "given with --passes M > 1 (it stops the later passes early)", $"--passes {examplePasses} {flag} {d.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    /// <summary>Throws a BadInputException for a value that only the action can validate.</summary>
    public static Exception Bad(string option, object? value, string allowed, string example) =>
        BadInputException.For(option, value, allowed, example);
}
