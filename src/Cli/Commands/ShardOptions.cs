using System.CommandLine;
using System.CommandLine.Parsing;
using Mbi.Circuit.Design;
using Mbi.Circuit.MonteCarlo;
using Mbi.Core.Errors;

namespace Mbi.Cli.Commands;

/// <summary>
/// --shard K/N for mc, sweep, cosim (dies) and sweep-ram (points): the run does only the dies i with i mod N = K-1, keeps them in
/// its die journals and writes shard.json instead of the reports; `mbi merge` joins the shards into the reports of a
/// single run. Also the hidden option the merge passes back to check the design has not changed since the shards ran.
/// </summary>
/// <param name="units">What the run is made of: "dies" (SPICE, simulated) or "points" (sweep-ram, trained).</param>
internal sealed class ShardOptions(string units = "dies")
{
    public const string ShardFlag = "--shard";
    public const string ExpectedDesignFlag = "--merge-design-sha256";

    /// <summary>Options that change how or where a run works, never its results: left out of a run's identity.</summary>
    public static readonly IReadOnlySet<string> NotPartOfTheRun = new HashSet<string>(StringComparer.Ordinal)
        { ShardFlag, ExpectedDesignFlag, "--out", "--workers", "--fresh", "--json", "--save-decks" };

    public Option<Shard?> Shard { get; } = new(ShardFlag)
    {
        Description = $"K/N: {(units == "dies" ? "simulate" : "train")} only the {units} i with i mod N = K-1 (1 <= K <= N) and write a shard folder " +
                      $"({units} journal and shard.json) instead of the reports; `mbi merge` joins the N shard folders into the bytes of a single run (default: the whole run)",
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            try { return Circuit.MonteCarlo.Shard.Parse(text); }
            catch (BadInputException e) { result.AddError(e.Renamed(ShardFlag).Message); return null; }
        },
    };

    public Option<string?> ExpectedDesign { get; } = new(ExpectedDesignFlag) { Hidden = true };

    public void AddTo(Command command)
    {
        command.Options.Add(Shard);
        command.Options.Add(ExpectedDesign);
    }

    /// <summary>The shard this run is (null: the whole run), after checking a merge's expected design against <paramref name="design"/>.</summary>
    public Shard? Begin(ParseResult parse, DesignStamp design)
    {
        if (parse.GetValue(ExpectedDesign) is string expected && expected != design.Sha256)
            throw new BadInputException($"the design now resolves to sha256 {design.Sha256[..12]}, but the shards ran sha256 {expected[..Math.Min(12, expected.Length)]}" +
                $" ({design.Source ?? "defaults"} changed since): restore it, or run the shards again.");
        return parse.GetValue(Shard);
    }

    /// <summary>Writes <paramref name="folder"/>/shard.json for a finished shard whose die journals are <paramref name="journals"/> (relative paths).</summary>
    public static ShardManifest Finish(ParseResult parse, Shard shard, string folder, ulong seed, int samples, DesignStamp design,
        IEnumerable<string> journals, string ngspiceVersion, int workers, double wallSeconds)
    {
        var manifest = new ShardManifest
        {
            Command = parse.CommandResult.Command.Name,
            Arguments = RunArguments(parse),
            ShardIndex = shard.Index,
            ShardCount = shard.Count,
            Seed = seed,
            Samples = samples,
            DesignSha256 = design.Sha256,
            Journals = ShardManifest.Hash(folder, journals),
            NgspiceVersion = ngspiceVersion,
            Host = Environment.MachineName,
            Workers = workers,
            WallSeconds = Math.Round(wallSeconds, 3),
        };
        manifest.Save(folder);
        Terminal.Note($"mbi {manifest.Command}: shard {shard} ({shard.OwnedOf(samples)} of {samples} dies{(manifest.Journals.Count > 1 ? " per point" : "")}) " +
                      $"written to {folder}; when all {shard.Count} shards are done: mbi merge <their folders> --out DIR");
        return manifest;
    }

    /// <summary>
    /// The options of a run that decide its results, as typed: each option given on the command line (defaults left out)
    /// with its values, options in ordinal order (their values in the order typed), without <see cref="NotPartOfTheRun"/>.
    /// </summary>
    public static IReadOnlyList<string> RunArguments(ParseResult parse)
    {
        var given = parse.CommandResult.Children.OfType<OptionResult>()
            .Where(o => !o.Implicit && !NotPartOfTheRun.Contains(o.Option.Name))
            .OrderBy(o => o.Option.Name, StringComparer.Ordinal);
        var arguments = new List<string>();
        foreach (var option in given)
        {
            if (option.Tokens.Count == 0) arguments.Add(option.Option.Name);
            foreach (var token in option.Tokens) { arguments.Add(option.Option.Name); arguments.Add(token.Value); }
        }
        return arguments;
    }
}
