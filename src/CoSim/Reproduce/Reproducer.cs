using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Circuit.Design;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Characterisation;
using Mbi.CoSim.Energy;
using Mbi.CoSim.Studies;
using Mbi.Core.IO;
using Mbi.Core.Progress;

namespace Mbi.CoSim.Reproduce;

/// <summary>
/// One comparison line of the README's paper-vs-Mbi table. <see cref="Cut"/> says how the run cut the figure (null: full
/// size); <see cref="Source"/> where the number came from; <see cref="Headline"/> rows open the report (never cut ones).
/// </summary>
internal sealed record PaperRow(string Quantity, string Paper, string Mbi, string Note)
{
    public string? Cut { get; init; }
    public string Source { get; init; } = "measured in this run";
    public bool Headline { get; init; }
}

/// <summary>
/// A figure a run wrote: its PNG (an SVG of the same name beside it), its CSV, a caption, how it was cut (null: full
/// size) and the command that regenerates it at full size.
/// </summary>
internal sealed record FigureFile(string Figure, string Png, string Csv, string Caption)
{
    public string? Cut { get; init; }
    public string Regenerate { get; init; } = "./mbi reproduce --out runs/reproduce";
}

/// <summary>
/// `mbi reproduce`: regenerates the paper's Fig. 3-6 and Table I from the shipped model by calling the
/// algorithm, MBI and circuit layers in-process, and writes DIR/README.md linking every figure (PNG, SVG beside) and CSV with a
/// paper-vs-Mbi table. Every number in the README is measured in this run.
/// </summary>
internal sealed partial class Reproducer
{
    private readonly string _out;
    private readonly ReproduceSettings _settings;
    private readonly string _modelPath;
    private readonly string? _mnist;
    private readonly ulong _seed;
    private readonly string _cache;
    private readonly int _workers;
    private readonly IProgress<ProgressUpdate>? _progress;
    private readonly List<FigureFile> _figures = [];
    private readonly List<PaperRow> _rows = [];
    private readonly List<(string Stage, double Seconds)> _timings = [];
    private readonly List<string> _notes = [];

    /// <summary>Where stage start/end lines go (stderr when it is a log file rather than a terminal); null: silent.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>The hardware every circuit stage runs (Fig. 6, Table I); written to the output folder as design.json.</summary>
    public CircuitDesign Design { get; init; } = new();

    /// <summary>Where <see cref="Design"/> came from (a design file), or null for defaults and command-line values.</summary>
    public string? DesignSource { get; init; }

    /// <summary>The stamp of <see cref="Design"/> that the output records.</summary>
    public DesignStamp DesignStamp => DesignStamp.Of(Design, DesignSource);

    /// <summary>Discard the Fig. 6(b) dies journal in the output folder instead of resuming from it.</summary>
    public bool Fresh { get; init; }

    public Reproducer(string outDir, ReproduceSettings settings, string modelPath, string? mnist, ulong seed, string cache, int workers,
        IProgress<ProgressUpdate>? progress)
    {
        _out = outDir; _settings = settings; _modelPath = modelPath; _mnist = mnist; _seed = seed; _cache = cache; _workers = workers;
        _progress = progress;
    }

    public IReadOnlyList<FigureFile> Figures => _figures;
    public IReadOnlyList<PaperRow> Rows => _rows;

    /// <summary>What this run measured, as numbers (the README's table holds the same as text).</summary>
    public ReproducedNumbers Numbers { get; private set; } = new();
    public double WallSeconds { get; private set; }

    /// <summary>The command line the report names (the CLI sets it; a library caller may leave the default).</summary>
    public string CommandLine { get; init; } = "mbi reproduce";

    /// <summary>Where the shipped characterisation folders are (<see cref="ShippedCharacterisation"/>).</summary>
    public string CharacterisationRoot { get; init; } = ShippedCharacterisation.DefaultRoot;

    private ShippedCharacterisation.Lookup? _shipped;
    private readonly List<(string What, string From)> _sources = [];
    private RunEnvironment? _environment;
    private int _stagesStarted;

    public string Run()
    {
        var clock = Stopwatch.StartNew();
        _environment = RunEnvironment.Capture();
        Directory.CreateDirectory(_out);
        var config = EnergyConfig.Load();
        var data = MnistDataset.Load(_mnist);
        var (train, validation) = data.Train.SplitValidation(ValidationSplit.DefaultImages, _seed);
        var test = data.Test.Take(Math.Min(_settings.TestImages, data.Test.Count));
        var model = QuantizedRamStepModel.Load(_modelPath);

        Stage("Fig. 3 (RAM sweeps)", () => Fig3(model.Model.Config, train, validation, data.Test));
        var setup = Stage("distil + tree", () => LookupSetup.Build(new LookupSetupOptions
        {
            ModelPath = _modelPath, Rows = _settings.LutRows, TrainImages = _settings.DistillImages, TestImages = _settings.TestImages,
            Seed = _seed, Mnist = _mnist,
        }, _progress));
        _sources.Add(("lookup table", $"{setup.Source}; {setup.Table.Rows:N0} rows"));
        Stage("Fig. 4 (LUT size, weights, tree)", () => Fig4(setup, validation.Take(Math.Min(_settings.ValidationImages, validation.Count)),
            test.Take(Math.Min(_settings.Fig4TestImages, test.Count))));
        Stage("Fig. 5 (mixed MBI)", () => Fig5(setup, model, test));
        // The slow ngspice measurements: read from the shipped data when it matches the design, deck and ngspice version.
        _shipped = Stage("shipped characterisation", () => ShippedCharacterisation.SeedCache(Design, _cache, CharacterisationRoot));
        var before = ShippedCharacterisation.Snapshot(_cache);
        var calibration = Stage("compact-model characterisation", () => CompactCalibration.LoadOrCharacterise(
            Design.Technology, Design.Array, setup.Mapping.MaxBitsPerElement, _cache, _workers, _progress));
        _sources.Add(("compact model (accuracy under variation)", CacheSource(before, "compact-", calibration.Transients + " ngspice probe transients")));
        var energy = Stage("Fig. 6 total", () => Fig6(setup, calibration, config));
        Stage("Table I", () => TableOne(model, energy, config));
        WallSeconds = clock.Elapsed.TotalSeconds;
        DesignStamp.Save(_out);
        string readme = Path.Combine(_out, "README.md");
        AtomicFile.WriteAllText(readme, Readme(setup));
        return readme;
    }

    /// <summary>Where a cached ngspice result came from: measured in this run (a new cache file), the shipped data, or an earlier run's cache.</summary>
    private string CacheSource(HashSet<string> before, string prefix, string what)
    {
        bool measured = ShippedCharacterisation.Snapshot(_cache).Any(f => f.StartsWith(prefix, StringComparison.Ordinal) && !before.Contains(f));
        if (measured) return $"measured with ngspice in this run ({what}); {_shipped!.Describe()}";
        if (_shipped!.Found is not null) return $"read from the {_shipped.Describe()}";
        return $"read from the cache {_cache} (an earlier run measured it with ngspice; no shipped data matches)";
    }

    private T Stage<T>(string name, Func<T> work)
    {
        var clock = Stopwatch.StartNew();
        // One mechanism for progress: the stage is a progress stage (a bar on a terminal, a line per stage in a log).
        string stage = $"stage {++_stagesStarted}: {name}";
        _progress?.Report(new ProgressUpdate(stage, 0, 1));
        Log?.Invoke($"reproduce ({_settings.Name}): {name} started at {DateTime.UtcNow:HH:mm:ss} UTC");
        T result = work();
        _timings.Add((name, clock.Elapsed.TotalSeconds));
        _progress?.Report(new ProgressUpdate(stage, 1, 1));
        Log?.Invoke($"reproduce ({_settings.Name}): {name} done in {clock.Elapsed.TotalSeconds:F0} s");
        return result;
    }

    private void Stage(string name, Action work) => Stage(name, () => { work(); return 0; });

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private string Readme(LookupSetup setup)
    {
        var s = new StringBuilder();
        var env = _environment!;
        s.Append("# Mbi reproduction (").Append(_settings.Name).Append(")\n\n");
        s.Append('`').Append(CommandLine).Append("`, seed ").Append(_seed).Append("; ").Append(env.Describe(WallSeconds, RunEnvironment.LoadAverageNow()))
         .Append("; ngspice ").Append(_engineVersion ?? "n/a").Append(". Hardware: [design.json](design.json) (").Append(DesignSource ?? "the default design")
         .Append(", SHA-256 ").Append(DesignStamp.Sha256[..12]).Append("). Every number was measured in this run or read from the shipped data named beside it.\n\n");
        s.Append("| headline (full size) | paper | Mbi (this run) | from |\n|---|---|---|---|\n");
        foreach (var r in _rows.Where(r => r.Headline))
            s.Append("| ").Append(r.Quantity).Append(" | ").Append(r.Paper).Append(" | ").Append(r.Mbi).Append(" | ").Append(r.Source).Append(" |\n");
        s.Append("\nFigures (PNG, SVG beside; each caption below gives the command that regenerates it at full size): ");
        s.Append(string.Join(" · ", _figures.Select(f => $"{f.Figure} [{(f.Png.Length > 0 ? f.Png : f.Csv)}]({(f.Png.Length > 0 ? f.Png : f.Csv)}){(f.Cut is null ? "" : " (cut)")}")));
        s.Append(".\n\n");
        if (_settings.MbiCut is string mbiCut) s.Append("**This run cut the MBI results too** (").Append(mbiCut).Append("): the headline is not full size.\n\n");
        var cuts = new (string Figure, string? Cut)[] { ("Fig. 3", _settings.Fig3Cut), ("Fig. 4", _settings.Fig4Cut), ("Fig. 6(b)", _settings.McCut), ("accuracy under variation", _settings.DiesCut) }
            .Where(c => c.Cut is not null).Select(c => c.Figure).ToList();
        if (cuts.Count > 0)
            s.Append("Cut in this run, and nothing else: ").Append(string.Join(", ", cuts))
             .Append(" (each says how beside it, below); `./mbi reproduce --out runs/reproduce` runs every figure at full size.\n\n");
        s.Append("## Paper vs Mbi, every row\n\n| quantity | paper | Mbi (this run) | size | note |\n|---|---|---|---|---|\n");
        foreach (var r in _rows)
            s.Append("| ").Append(r.Quantity).Append(" | ").Append(r.Paper).Append(" | ").Append(r.Mbi).Append(" | ").Append(r.Cut ?? "full size").Append(" | ").Append(r.Note).Append(" |\n");
        s.Append("\n## Where the numbers come from\n\n");
        foreach (var (what, from) in _sources) s.Append("- ").Append(what).Append(": ").Append(from).Append('\n');
        s.Append("\n## Figures\n\n");
        foreach (var f in _figures)
        {
            s.Append("### ").Append(f.Figure).Append(f.Cut is null ? "" : " (cut)").Append("\n\n").Append(f.Caption);
            if (f.Cut is not null) s.Append(" **").Append(char.ToUpperInvariant(f.Cut[0])).Append(f.Cut[1..]).Append(".**");
            s.Append(" Full size: `").Append(f.Regenerate).Append("`.\n\n");
            if (f.Png.Length > 0) s.Append("![").Append(f.Figure).Append("](").Append(f.Png).Append(")\n\n");
            if (f.Csv.Length > 0) s.Append("Data: [").Append(f.Csv).Append("](").Append(f.Csv).Append(")\n\n");
        }
        if (_notes.Count > 0)
        {
            s.Append("## Notes\n\n");
            foreach (string n in _notes) s.Append("- ").Append(n).Append('\n');
            s.Append('\n');
        }
        s.Append("## Time per stage\n\n| stage | seconds |\n|---|---|\n");
        foreach (var (stage, seconds) in _timings) s.Append("| ").Append(stage).Append(" | ").Append(F(seconds, "F1")).Append(" |\n");
        s.Append("| total | ").Append(F(WallSeconds, "F1")).Append(" |\n");
        return s.ToString();
    }
}
