using Mbi.Algorithm.Mnist;

namespace Mbi.Cli.Commands;

/// <summary>
/// Which images a scoring command runs on (eval, infer, search-quality): --on test|validation, and with validation the
/// held-out training images of --split-seed (default 1) and --validation; defined and read once here.
/// </summary>
internal sealed class ImageSetOptions(string onDescription, string splitSeedDescription)
{
    public Option<string> On { get; } = new("--on") { Description = onDescription, DefaultValueFactory = _ => "test" };
    public Option<ulong?> SplitSeed { get; } = CommonOptions.SplitSeed(splitSeedDescription);
    public Option<int> Validation { get; } = CommonOptions.Validation();

    public void AddTo(Command command)
    {
        command.Options.Add(On);
        command.Options.Add(SplitSeed);
        command.Options.Add(Validation);
    }

    /// <summary>True for --on validation; anything but test or validation is refused naming --on.</summary>
    public bool OnValidation(ParseResult parse) => parse.GetValue(On) switch
    {
        "test" => false,
        "validation" => true,
        var other => throw BadInputException.For("--on", other, "test or validation", "validation"),
    };

    /// <summary>"validation" or "test", as reports name the images scored.</summary>
    public string Set(ParseResult parse) => OnValidation(parse) ? "validation" : "test";

    /// <summary>The split seed used with --on validation (default 1), else null.</summary>
    public ulong? SplitSeedUsed(ParseResult parse) => OnValidation(parse) ? parse.GetValue(SplitSeed) ?? 1 : null;

    /// <summary>Every held-out validation image of the split.</summary>
    public MnistImages ValidationImages(ParseResult parse, string? mnist) =>
        ValidationSplit.Load(mnist, parse.GetValue(Validation), parse.GetValue(SplitSeed) ?? 1).Validation;

    /// <summary>
    /// The first <paramref name="want"/> held-out validation images (<paramref name="countOption"/>'s value); asking for more
    /// than the split holds is refused naming that option when <paramref name="refuseAbovePool"/>, else the pool is taken whole.
    /// </summary>
    public MnistImages ValidationImages(ParseResult parse, string? mnist, Option<int> countOption, bool refuseAbovePool)
    {
        var pool = ValidationImages(parse, mnist);
        int want = parse.GetValue(countOption);
        if (refuseAbovePool && want > pool.Count)
            throw BadInputException.For(countOption.Name, want, $"at most the {pool.Count} validation images (--validation)", $"{pool.Count}");
        return pool.Take(Math.Min(want, pool.Count));
    }
}
