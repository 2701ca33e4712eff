using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;

namespace Mbi.Cli.Commands;

/// <summary>
/// What the MBI lookup commands (infer, sweep-threshold, tune-mixed) share: the table, the RAM it was distilled
/// from, MNIST, and the search and distance options; defined and read once here.
/// </summary>
internal sealed class LookupOptions
{
    private readonly Option<string> _lut = CommonOptions.Lut();
    private readonly Option<string> _model = CommonOptions.Model();
    private readonly Option<string?> _mnist = CommonOptions.Mnist();
    private readonly Option<string> _search = new("--search") { Description = "Nearest-key search: tree (hierarchical k-means, as the hardware) or brute (exact) (default tree).", DefaultValueFactory = _ => "tree" };
    private readonly Option<int> _leafSize = CommonOptions.Count("--leaf-size", "Tree leaf size: a node with at most this many keys is scanned exactly", 32, 1);
    private readonly Option<int> _beam = CommonOptions.Count("--beam", "Tree search beam: nodes kept per level (1 = the paper's single descent)", 1, 1, 64);
    private readonly TreeOptionSet _tree = new();
    private readonly Option<string?> _metric = new("--metric") { Description = "Override the LUT's distance: manhattan (paper Eq. 1) or hamming (the array's bit-weighted Hamming)." };
    private readonly Option<string?> _weights = new("--weights") { Description = "Override the LUT's distance weights a,b,c (patch, hidden, location), e.g. 1,1,1." };
    private readonly Option<ulong> _seed = CommonOptions.Seed();
    private readonly Option<int> _vote = CommonOptions.Count("--vote", "Keys that vote on each glimpse's value: 1 = the nearest key alone (the paper's MBI); k > 1 = the k nearest keys the search compared, weighted 1 / (1 + d - d_nearest), bit by bit for the next hidden state and by weighted mode for the location and class (no extra distances; k value reads per lookup)", 1, 1, MbiClassifier.MaxVote);
    private readonly Option<double?> _agreementWeight = CommonOptions.OptionalReal("--agreement-weight",
        "L, the vote's weight in mixed MBI's gate: an image goes by lookups when its worst match distance + L x (2 - the vote's agreement) <= T, where the agreement (0..2) " +
        "is the last glimpse's winning class share of the vote plus the least unanimous hidden-state vote. infer (with --threshold) and sweep-threshold: " +
        "default 0, the distance alone (the paper's rule). tune-mixed: absent = chosen on validation with T from " +
        string.Join(", ", DistanceTuning.AgreementWeightGrid.Select(w => w.ToString(CultureInfo.InvariantCulture))) + "; given = that weight only. " +
        "With --vote 1 every image's agreement is 2, so L changes nothing.",
        "20", min: 0, max: MbiEvaluation.MaxAgreementWeight);
    private readonly Option<string?> _fallbackModel = CommonOptions.FallbackModel();

    public void AddTo(Command command)
    {
        command.Options.Add(_lut);
        command.Options.Add(_model);
        command.Options.Add(_mnist);
        command.Options.Add(_search);
        command.Options.Add(_leafSize);
        command.Options.Add(_beam);
        _tree.AddTo(command);
        command.Options.Add(_metric);
        command.Options.Add(_weights);
        command.Options.Add(_seed);
        command.Options.Add(_vote);
        command.Options.Add(_agreementWeight);
        command.Options.Add(_fallbackModel);
    }

    /// <summary>The --vote count (1 = the nearest key alone).</summary>
    public int Vote(ParseResult parse) => parse.GetValue(_vote);

    /// <summary>The --agreement-weight of mixed MBI's gate, or null if not given.</summary>
    public double? AgreementWeight(ParseResult parse) => parse.GetValue(_agreementWeight);

    /// <summary>
    /// Says on stderr when --agreement-weight cannot change anything: with --vote 1 one key decides each glimpse, its
    /// agreement is 2 and the gate is the distance alone. Allowed (a script may sweep both), but not silently.
    /// </summary>
    public void NoteInertAgreementWeight(ParseResult parse)
    {
        if (AgreementWeight(parse) is double weight && weight > 0 && Vote(parse) == 1)
            Terminal.Note(string.Create(CultureInfo.InvariantCulture,
                $"note: --agreement-weight {weight} has no effect with --vote 1 (one key decides each glimpse: agreement 2, the gate is the distance alone); add --vote 5 to use it"));
    }

    public SearchKind Kind(ParseResult parse) => parse.GetValue(_search) switch
    {
        "tree" => SearchKind.Tree,
        "brute" => SearchKind.Brute,
        var other => throw BadInputException.For("--search", other, "tree or brute", "tree"),
    };

    /// <summary>Parses every option now (the search kind, metric and weights), so a bad one fails before any file is read.</summary>
    public void Check(ParseResult parse)
    {
        Kind(parse);
        Tree(parse);
        if (parse.GetValue(_tree.Budget) > 0 && parse.GetValue(_beam) > 1)
            throw BadInputException.For("--beam", parse.GetValue(_beam), "1 when --distance-budget is set (best first and beam exclude each other)", "--distance-budget 224 alone");
        if (parse.GetValue(_metric) is string metric) ParseMetric(metric);
        if (parse.GetValue(_weights) is string weights) ParseWeights(weights);
    }

    public KMeansTreeOptions Tree(ParseResult parse) =>
        _tree.Apply(parse, new KMeansTreeOptions { LeafSize = parse.GetValue(_leafSize), Seed = parse.GetValue(_seed), Beam = parse.GetValue(_beam) });

    public ulong Seed(ParseResult parse) => parse.GetValue(_seed);

    /// <summary>
    /// Refuses --query-fill where the distance weights are tuned (tune-mixed): fit queries hold the nearest rows under one
    /// set of weights, so they would be wrong for every other candidate.
    /// </summary>
    public void RefuseQueryFill(ParseResult parse, string command)
    {
        if (parse.GetValue(_tree.QueryFill) is string path)
            throw BadInputException.For("--query-fill", path, $"left out of {command} (it tunes the distance weights; fit queries hold the nearest rows under one set of weights)",
                "tune without it, then `mbi fit-queries --lut TUNED.lut` and `mbi infer --query-fill`");
    }

    /// <summary>The table of --lut with the --metric and --weights overrides applied (refused now if --query-fill's queries are for another one).</summary>
    public LookupTable Table(ParseResult parse)
    {
        var table = Apply(parse, LutFile.Read(parse.GetValue(_lut)!));
        Tree(parse).QueryFill?.CheckFor(table);
        return table;
    }

    /// <summary>The quantized RAM of --model (mixed MBI's fallback).</summary>
    public QuantizedRamStepModel Model(ParseResult parse) => QuantizedRamStepModel.Load(parse.GetValue(_model)!);

    /// <summary>The --fallback-model path, or null (the --model is the fallback).</summary>
    public string? FallbackPath(ParseResult parse) => parse.GetValue(_fallbackModel);

    /// <summary>
    /// The RAM of --fallback-model, read now so a missing or damaged file fails before any lookup, or null when the flag is
    /// absent (the --model, which stays the table's MBI model, is the fallback).
    /// </summary>
    public FallbackModel? Fallback(ParseResult parse) => FallbackModel.Load(FallbackPath(parse));

    /// <summary>
    /// Refuses --agreement-weight beside a learned gate file (infer, sweep-threshold): the gate replaces the distance +
    /// agreement score.
    /// </summary>
    public static void RefuseAgreementWeightWithGate(string gatePath, double? agreementWeight)
    {
        if (agreementWeight is double aw)
            throw BadInputException.For("--agreement-weight", aw, "left out with --gate (the learned gate replaces the distance + agreement gate)", $"--gate {gatePath} alone");
    }

    /// <summary>The --mnist folder as given (null: $MBI_MNIST, then data/mnist).</summary>
    public string? Mnist(ParseResult parse) => parse.GetValue(_mnist);

    /// <summary>The first <paramref name="images"/> MNIST test images.</summary>
    public MnistImages Test(ParseResult parse, int images) => MnistDataset.LoadTest(Mnist(parse)).Take(images);

    public LookupTable Apply(ParseResult parse, LookupTable table)
    {
        string? metric = parse.GetValue(_metric);
        string? weights = parse.GetValue(_weights);
        if (metric is null && weights is null) return table;
        return table.With(weights is null ? table.Weights : ParseWeights(weights), metric is null ? table.Metric : ParseMetric(metric));
    }

    public static KeyMetric ParseMetric(string text) => text switch
    {
        "manhattan" => KeyMetric.Manhattan,
        "hamming" => KeyMetric.BitWeightedHamming,
        _ => throw BadInputException.For("--metric", text, "manhattan or hamming", "manhattan"),
    };

    public static string MetricName(KeyMetric metric) => metric == KeyMetric.Manhattan ? "manhattan" : "hamming";

    public static DistanceWeights ParseWeights(string text)
    {
        string[] parts = text.Split(',');
        var values = new double[3];
        if (parts.Length != 3 || !parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) && double.IsFinite(values[i]) && values[i] >= 0).All(ok => ok)
            || values.All(v => v == 0))
            throw BadInputException.For("--weights", text, "three numbers a,b,c >= 0, not all zero", "1,0.5,2");
        return new DistanceWeights(values[0], values[1], values[2]);
    }
}
