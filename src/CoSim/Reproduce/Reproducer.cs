using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Circuit.Design;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Energy;
using Mbi.CoSim.Studies;
using Mbi.Core.IO;
using Mbi.Core.Progress;

namespace Mbi.CoSim.Reproduce;

/// <summary>One comparison line of the README's paper-vs-Mbi table.</summary>
internal sealed record PaperRow(string Quantity, string Paper, string Mbi, string Note);

/// <summary>A figure a run wrote: its PNG (an SVG of the same name beside it), its CSV and a caption.</summary>
internal sealed record FigureFile(string Figure, string Png, string Csv, string Caption);

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

    public string Run()
    {
        var clock = Stopwatch.StartNew();
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
        Stage("Fig. 4 (LUT size, weights, tree)", () => Fig4(setup, validation.Take(Math.Min(_settings.ValidationImages, validation.Count)), test));
        Stage("Fig. 5 (mixed MBI)", () => Fig5(setup, model, test));
        var calibration = Stage("compact-model characterisation", () => CompactCalibration.LoadOrCharacterise(
            Design.Technology, Design.Array, setup.Mapping.MaxBitsPerElement, _cache, _workers, _progress));
        var energy = Stage("Fig. 6 total", () => Fig6(setup, calibration, config));
        Stage("Table I", () => TableOne(model, energy, config));
        WallSeconds = clock.Elapsed.TotalSeconds;
        DesignStamp.Save(_out);
        string readme = Path.Combine(_out, "README.md");
        AtomicFile.WriteAllText(readme, Readme(setup));
        return readme;
    }

    private T Stage<T>(string name, Func<T> work)
    {
        var clock = Stopwatch.StartNew();
        Log?.Invoke($"reproduce ({_settings.Name}): {name} started at {DateTime.UtcNow:HH:mm:ss} UTC");
        T result = work();
        _timings.Add((name, clock.Elapsed.TotalSeconds));
        Log?.Invoke($"reproduce ({_settings.Name}): {name} done in {clock.Elapsed.TotalSeconds:F0} s");
        return result;
    }

    private void Stage(string name, Action work) => Stage(name, () => { work(); return 0; });

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private string Readme(LookupSetup setup)
    {
        var s = new StringBuilder();
        s.Append("# Mbi reproduction (").Append(_settings.Name).Append(")\n\n");
        s.Append("Regenerated by `mbi reproduce").Append(_settings.Name == "quick" ? " --quick" : "").Append("` from `").Append(_modelPath)
         .Append("` with seed ").Append(_seed).Append(" in ").Append(F(WallSeconds, "F0")).Append(" s on ")
         .Append(Environment.ProcessorCount).Append(" cores (.NET ").Append(Environment.Version).Append("). Every number below was measured in this run.\n\n");
        s.Append("Hardware: [design.json](design.json) (").Append(DesignSource ?? "the default design").Append(", SHA-256 ").Append(DesignStamp.Sha256)
         .Append("); `mbi reproduce --design design.json` runs the same hardware again.\n\n");
        if (_settings.Name == "quick")
            s.Append("**Quick mode**: sizes are cut so the run finishes in minutes; accuracies are therefore below what full runs reach. ")
             .Append("Fig. 3 trains only the glimpse-count points of panel (a), ").Append(_settings.Fig3Epochs).Append(" epochs on ")
             .Append(_settings.Fig3TrainImages).Append(" images each; the LUT is distilled from ").Append(_settings.DistillImages)
             .Append(" training images (").Append(setup.Table.Rows).Append(" rows); Fig. 4(a) tunes with a budget of ").Append(_settings.TuneBudget)
             .Append(" on ").Append(_settings.ValidationImages).Append(" validation images; ").Append(_settings.TestImages)
             .Append(" test images; ").Append(_settings.McSamples).Append(" SPICE Monte Carlo dies; ").Append(_settings.Dies)
             .Append(" compact-model dies on ").Append(_settings.DieImages).Append(" test images. Run without --quick for the full sizes.\n\n");
        s.Append("## Paper vs Mbi\n\n| quantity | paper | Mbi (this run) | note |\n|---|---|---|---|\n");
        foreach (var r in _rows) s.Append("| ").Append(r.Quantity).Append(" | ").Append(r.Paper).Append(" | ").Append(r.Mbi).Append(" | ").Append(r.Note).Append(" |\n");
        s.Append("\n## Figures\n\n");
        foreach (var f in _figures)
        {
            s.Append("### ").Append(f.Figure).Append("\n\n").Append(f.Caption).Append("\n\n");
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
