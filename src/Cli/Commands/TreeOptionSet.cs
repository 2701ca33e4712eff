using Mbi.Algorithm.Search;

namespace Mbi.Cli.Commands;

/// <summary>
/// The k-means tree's shape and search flags shared by every command that builds a tree (infer, sweep-threshold,
/// tune-mixed, search-quality, cosim, energy, reproduce): defined and read once here.
/// </summary>
internal sealed class TreeOptionSet
{
    public Option<int> Branching { get; } = CommonOptions.Count("--branching", "Tree children per inner node: centroids in one array", 32, 2, 32);
    public Option<int> Budget { get; } = CommonOptions.Count("--distance-budget", "Best-first tree search (gap priority) under this many distance computations per lookup; 0 = single descent or --beam", 0, 0);
    public Option<int> SpillNeighbours { get; } = CommonOptions.Count("--spill-neighbours", "Neighbour spill: each leaf also stores, up to 32 rows, the nearest other keys of its own keys that sit in other leaves, this many per key (0 = off; build with --leaf-size below 32)", 0, 0, 32);
    public Option<double> Overlap { get; } = new("--overlap")
    {
        Description = "Overlapping splits in the top --overlap-levels levels: a key also joins every group whose centroid is within (1 + this) of its own centroid's distance (default 0 = off).",
        DefaultValueFactory = _ => 0,
    };
    public Option<int> OverlapLevels { get; } = CommonOptions.Count("--overlap-levels", "Levels from the root whose splits overlap (with --overlap)", 3, 0);
    public Option<string?> QueryFill { get; } = new("--query-fill")
    {
        Description = "Query fill: each leaf's free rows, up to 32, first take the exact nearest keys that these fit queries (from `mbi fit-queries` on the same table, metric and weights) " +
            "needed when they descended into it, then the neighbour spill's keys (with --spill-neighbours); build with --leaf-size below 32. " +
            "Several files, comma-separated, are one recording in the order given (e.g. `mbi fit-queries --shift-directions 8`, then `--moves two-pixel`).",
    };
    private (string Path, FitQueries Fit)? _fit;

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Branching, Budget, SpillNeighbours, Overlap, OverlapLevels, QueryFill })
            command.Options.Add(option);
    }

    /// <summary><paramref name="options"/> with the flags' shape and search settings.</summary>
    public KMeansTreeOptions Apply(ParseResult parse, KMeansTreeOptions options)
    {
        double overlap = parse.GetValue(Overlap);
        if (!double.IsFinite(overlap) || overlap < 0) throw BadInputException.For("--overlap", overlap, "a finite number >= 0", "0.05");
        int spill = parse.GetValue(SpillNeighbours);
        if (spill > 0 && options.LeafSize >= 32)
            throw BadInputException.For("--spill-neighbours", spill, "0 unless --leaf-size is below 32 (spilled keys fill a leaf's free rows up to 32)", "--leaf-size 16 --spill-neighbours 2");
        FitQueries? fit = null;
        if (parse.GetValue(QueryFill) is string fitPath)
        {
            if (options.LeafSize >= 32)
                throw BadInputException.For("--query-fill", fitPath, "given with --leaf-size below 32 (the fill takes a leaf's free rows up to 32)", "--leaf-size 16 --query-fill " + fitPath);
            if (_fit is not { } cached || cached.Path != fitPath)
            {
                var paths = fitPath.Split(',', StringSplitOptions.TrimEntries);
                if (paths.Any(p => p.Length == 0))
                    throw BadInputException.For("--query-fill", fitPath, "one .fitq file, or several separated by commas", "fit.fitq or a.fitq,b.fitq");
                _fit = (fitPath, FitQueries.Concat([.. paths.Select(FitQueries.Read)]));
            }
            fit = _fit.Value.Fit;
        }
        return options with
        {
            Branching = parse.GetValue(Branching),
            Budget = parse.GetValue(Budget),
            NeighbourSpill = spill,
            LeafCapacity = spill > 0 || fit is not null ? 32 : 0,
            QueryFill = fit,
            OverlapRatio = overlap,
            OverlapLevels = overlap > 0 ? parse.GetValue(OverlapLevels) : options.OverlapLevels,
        };
    }
}
