using System.Globalization;
using Mbi.Circuit.Design;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.CoSim.Reports;
using Mbi.CoSim.Reports.Charts;
using Mbi.Core.IO;
using Mbi.Core.Progress;
using Mbi.Core.Units;

namespace Mbi.CoSim.Studies;

/// <summary>
/// One swept parameter: its name (a key of <see cref="DesignSweep.Units"/>), unit, values and the values as typed. A named axis
/// (unit <see cref="DesignSweep.Named"/>: corner, row-select, rails) has the names in <see cref="Texts"/> and their indices as values.
/// </summary>
internal sealed record SweepAxis(string Name, string Unit, IReadOnlyList<double> Values, IReadOnlyList<string> Texts)
{
    public bool IsNamed => Unit == DesignSweep.Named;

    /// <summary>The value as a user reads it: "SS", "row-gated", "3.00 ns", "-40 C", "5".</summary>
    public string Label(double value) => IsNamed ? Texts[(int)value] : DesignSweep.Label(Unit, value);
}

/// <summary>
/// Monte Carlo over a grid of one or two design parameters (`mbi sweep`): step min, step sigma and the ADC code
/// error rate per point into sweep.csv, sweep.json and figures (PNG and SVG). Points that differ only in adc-bits reuse
/// the same dies (one cache entry and one journal per simulated point).
/// </summary>
internal static class DesignSweep
{
    /// <summary>
    /// One grid point; <see cref="DesignFile"/> is its design (relative to the output folder), ready for --design.
    /// <see cref="Labels"/> are the parameters as read ("SS", "-40.0 C"): a named axis's value in <see cref="Parameters"/> is its index.
    /// </summary>
    public sealed record Point([property: JsonIgnore] IReadOnlyDictionary<string, double> Parameters, int Samples, int FailedSamples,
        CircuitReport.ModeSummary Bits1, CircuitReport.ModeSummary Bits2, string DesignFile, string DesignSha256,
        [property: JsonIgnore] IReadOnlyDictionary<string, string>? Labels = null, GateStressReport? GateStress = null)
    {
        /// <summary>The parameters as sweep.json names them: snake_case with the unit, as sweep.csv's columns (sigma_vth_volts, not sigma-vth).</summary>
        [JsonPropertyName("parameters")]
        public IReadOnlyDictionary<string, double> ParametersByColumn => Parameters.ToDictionary(p => ColumnName(p.Key), p => p.Value);

        [JsonPropertyName("labels")]
        public IReadOnlyDictionary<string, string>? LabelsByColumn => Labels?.ToDictionary(p => ColumnName(p.Key), p => p.Value);
    }

    /// <summary>An axis's name in sweep.csv and sweep.json: snake_case with its unit (sigma-vth -> sigma_vth_volts, corner -> corner).</summary>
    public static string ColumnName(string axis) =>
        axis.Replace('-', '_') + ((Units.TryGetValue(axis, out string? unit) ? unit : "") switch
        { "V" => "_volts", "s" => "_seconds", "F" => "_farads", "C" => "_celsius", _ => "" });

    /// <summary>The sweep's results; <see cref="WallSeconds"/> is how this process ran, written to run.json, not sweep.json.</summary>
    public sealed record Report(ulong Seed, int SamplesPerPoint, string NgspiceVersion, [property: System.Text.Json.Serialization.JsonIgnore] double WallSeconds, IReadOnlyList<Point> Points,
        DesignStamp BaseDesign);

    /// <summary>The unit of an axis whose values are names (a corner, a row-select scheme), not numbers.</summary>
    public const string Named = "name";

    /// <summary>The parameters a sweep can vary and their units ("" = a count, "C" = Celsius, <see cref="Named"/> = names).</summary>
    public static readonly IReadOnlyDictionary<string, string> Units = new Dictionary<string, string>
    {
        ["sigma-vth"] = "V", ["vp-max"] = "V", ["eval-window"] = "s", ["adc-bits"] = "", ["bitline-cap"] = "F",
        ["temp"] = "C", ["corner"] = Named, ["vdd"] = "V", ["row-select"] = Named, ["rails"] = Named,
    };

    /// <summary>The rail scheme a sweep names in kebab case (boosted, within-vdd).</summary>
    public static RailScheme RailsNamed(string name) =>
        Enum.GetValues<RailScheme>().FirstOrDefault(v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()) == name.Trim().ToLowerInvariant(), (RailScheme)(-1)) is var v && Enum.IsDefined(v)
            ? v : throw Core.Errors.BadInputException.For("rails", name, "boosted or within-vdd", "within-vdd");

    /// <summary>The row-select scheme a sweep names in kebab case (row-gated, source-line-high).</summary>
    public static RowSelect RowSelectNamed(string name) =>
        Enum.GetValues<RowSelect>().FirstOrDefault(v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()) == name.Trim().ToLowerInvariant(), (RowSelect)(-1)) is var v && Enum.IsDefined(v)
            ? v : throw Core.Errors.BadInputException.For("row-select", name, "row-gated or source-line-high", "source-line-high");

    /// <summary>
    /// Runs every grid point of <paramref name="baseSettings"/> (whose design is <paramref name="baseDesign"/>) and writes each
    /// point's design to folder/designs/point-N.json; <paramref name="pointProgress"/> wraps the progress sink of point p of n.
    /// </summary>
    public static Report Run(MonteCarloSettings baseSettings, DesignStamp baseDesign, CircuitDesign design0, IReadOnlyList<SweepAxis> axes, string folder, bool freshJournals,
        IProgress<ProgressUpdate> progress, Func<int, int, IProgress<ProgressUpdate>>? pointProgress = null, CancellationToken cancellation = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var grid = Grid(axes);
        string version = "";
        var cache = new Dictionary<MonteCarloSettings, MonteCarloResult>();
        var list = new List<Point>();
        for (int p = 0; p < grid.Count; p++)
        {
            progress.Report(new ProgressUpdate("points", p, grid.Count, Describe(grid[p], axes)));
            var settings = Apply(baseSettings, grid[p], axes).Validated();
            // Each point saves its decks in its own folder (they are all named nominal.cir, die-NNNNNN.cir).
            if (baseSettings.SaveDecksDirectory is string decks) settings = settings with { SaveDecksDirectory = Path.Combine(decks, $"point-{p + 1}") };
            // Points that differ only in adc-bits read the same dies: they share the cache entry and the journal.
            var simulated = settings with
            {
                AdcBits = baseSettings.AdcBits,
                JournalPath = Path.Combine(folder, "journals", JournalName(grid[p], axes)),
                FreshJournal = freshJournals,
            };
            if (!cache.TryGetValue(simulated, out var result))
                cache[simulated] = result = MonteCarloRunner.Run(simulated, pointProgress?.Invoke(p, grid.Count) ?? progress, cancellation);
            result = result.WithAdcBits(settings.AdcBits);
            version = result.EngineVersion;
            // The point's hardware (sigma-vth is the variation studied, not the design, so it is not in the file).
            string designFile = Path.Combine("designs", $"point-{p + 1}.json");
            var design = CircuitDesign.From(settings, design0.Card, design0.CornerTable) with { ValueRead = design0.ValueRead }; // no axis varies the value read
            var stamp = DesignStamp.Of(design, Path.Combine(folder, designFile));
            stamp.Save(Path.Combine(folder, "designs"), $"point-{p + 1}.json");
            var summary = CircuitReport.Summarise(result, stamp);
            list.Add(new Point(grid[p], summary.Samples, summary.FailedSamples, summary.Bits1, summary.Bits2, designFile, stamp.Sha256,
                grid[p].ToDictionary(kv => kv.Key, kv => Axis(axes, kv.Key).Label(kv.Value)), GateStressReport.Of(settings.Technology, settings.Design)));
            progress.Report(new ProgressUpdate("points", p + 1, grid.Count, Describe(grid[p], axes)));
        }
        return new Report(baseSettings.Seed, baseSettings.Samples, version, Math.Round(clock.Elapsed.TotalSeconds, 3), list, baseDesign);
    }

    /// <summary>Every combination of the axes' values, the first axis varying fastest.</summary>
    public static List<IReadOnlyDictionary<string, double>> Grid(IReadOnlyList<SweepAxis> axes)
    {
        var grid = new List<IReadOnlyDictionary<string, double>>();
        var second = axes.Count == 2 ? axes[1].Values : [double.NaN];
        foreach (double b in second)
            foreach (double a in axes[0].Values)
            {
                var point = new Dictionary<string, double> { [axes[0].Name] = a };
                if (axes.Count == 2) point[axes[1].Name] = b;
                grid.Add(point);
            }
        return grid;
    }

    /// <summary>The settings of one grid point: the base settings with the point's parameters replaced.</summary>
    public static MonteCarloSettings Apply(MonteCarloSettings s, IReadOnlyDictionary<string, double> point, IReadOnlyList<SweepAxis> axes)
    {
        foreach (var (name, value) in point)
            s = name switch
            {
                "temp" => s with { Technology = s.Technology.WithTemperature(value) },
                "corner" => s with { Technology = s.Technology.WithCorner(Axis(axes, name).Label(value)) },
                "vdd" => s with { Technology = s.Technology with { VddVolts = value } },
                "row-select" => s with { Design = s.Design with { RowSelect = RowSelectNamed(Axis(axes, name).Label(value)) } },
                "rails" => s with { Design = s.Design with { Rails = RailsNamed(Axis(axes, name).Label(value)) } },
                "sigma-vth" => s with { SigmaVthVolts = value },
                "vp-max" => s with { Design = s.Design with { VpMaxVolts = value } },
                "eval-window" => s with { Design = s.Design with { EvalWindowSeconds = value } },
                "adc-bits" => s with { AdcBits = (int)value },
                "bitline-cap" => s with { Design = s.Design with { BitlineCapacitanceFarads = value } },
                _ => throw new InvalidOperationException(name),
            };
        return s;
    }

    private static SweepAxis Axis(IReadOnlyList<SweepAxis> axes, string name) => axes.First(a => a.Name == name);

    /// <summary>The dies journal of a point, named by its simulated parameters (adc-bits excluded), e.g. dies_eval-window=3e-09_corner=SS.journal.</summary>
    public static string JournalName(IReadOnlyDictionary<string, double> point, IReadOnlyList<SweepAxis> axes) =>
        "dies" + string.Concat(point.Where(p => p.Key != "adc-bits").Select(p =>
            $"_{p.Key}={(Axis(axes, p.Key).IsNamed ? Axis(axes, p.Key).Label(p.Value) : p.Value.ToString("R", CultureInfo.InvariantCulture))}")) + ".journal";

    public static string Describe(IReadOnlyDictionary<string, double> point, IReadOnlyList<SweepAxis> axes) =>
        string.Join(", ", point.Select(p => $"{p.Key} {Axis(axes, p.Key).Label(p.Value)}"));

    public static string Label(string unit, double value) =>
        unit == "" ? value.ToString(CultureInfo.InvariantCulture) : Engineering.Format(value, unit);

    /// <summary>Writes sweep.csv, sweep.json, run.json (wall time) and the figures (<see cref="SweepFigure"/>: PNG with SVG beside) into <paramref name="folder"/>.</summary>
    public static void Write(Report report, IReadOnlyList<SweepAxis> axes, string folder)
    {
        Directory.CreateDirectory(folder);
        var header = axes.Select(a => ColumnName(a.Name))
            .Concat(["samples", "failed_samples",
                "bits1_step_min_volts", "bits1_step_sigma_volts", "bits1_step_mean_volts", "bits1_adc_code_error_rate", "bits1_inverted_steps",
                "bits2_step_min_volts", "bits2_step_sigma_volts", "bits2_step_mean_volts", "bits2_adc_code_error_rate", "bits2_inverted_steps",
                "design_file", "design_sha256"]).ToArray();
        var csv = new CsvWriter(header);
        foreach (var p in report.Points)
            csv.Row([.. axes.Select(a => a.IsNamed ? a.Label(p.Parameters[a.Name]) : (object?)p.Parameters[a.Name]), p.Samples, p.FailedSamples,
                p.Bits1.StepMinVolts, p.Bits1.StepSigmaVolts, p.Bits1.StepMeanVolts, p.Bits1.AdcCodeErrorRate, p.Bits1.InvertedSteps,
                p.Bits2.StepMinVolts, p.Bits2.StepSigmaVolts, p.Bits2.StepMeanVolts, p.Bits2.AdcCodeErrorRate, p.Bits2.InvertedSteps, p.DesignFile, p.DesignSha256]);
        csv.Save(Path.Combine(folder, "sweep.csv"));
        AtomicFile.WriteAllText(Path.Combine(folder, "sweep.json"), ReportJson.Serialize(report) + "\n");
        AtomicFile.WriteAllText(Path.Combine(folder, "run.json"), ReportJson.Serialize(new { report.WallSeconds }) + "\n");

        SweepFigure.Write(report, axes, folder);
    }
}
