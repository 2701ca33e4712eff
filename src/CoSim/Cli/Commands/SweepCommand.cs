using System.CommandLine;
using System.Globalization;
using Mbi.Circuit.MonteCarlo;
using Mbi.Core.Errors;
using Mbi.Core.IO;
using Mbi.Core.Units;
using Mbi.CoSim.Reports.Svg;
using Spectre.Console;

namespace Mbi.CoSim.Cli.Commands;

/// <summary>
/// `mbi sweep`: Monte Carlo over a grid of one or two design parameters (sigma-vth, vp-max,
/// eval-window, adc-bits, bitline-cap); tabulates step min, step sigma and the ADC code error rate per
/// point into sweep.csv and SVG plots. Points that differ only in adc-bits reuse the same dies.
/// </summary>
internal static class SweepCommand
{
    private sealed record Axis(string Name, string Unit, IReadOnlyList<double> Values, IReadOnlyList<string> Texts);

    public sealed record Point(IReadOnlyDictionary<string, double> Parameters, int Samples, int FailedSamples,
        CircuitReport.ModeSummary Bits1, CircuitReport.ModeSummary Bits2);

    public sealed record Report(ulong Seed, int SamplesPerPoint, string NgspiceVersion, double WallSeconds, IReadOnlyList<Point> Points);

    private static readonly Dictionary<string, string> Units = new()
    {
        ["sigma-vth"] = "V", ["vp-max"] = "V", ["eval-window"] = "s", ["adc-bits"] = "", ["bitline-cap"] = "F",
    };

    public static Command Create()
    {
        var options = new CircuitOptions(defaultSamples: 20);
        var json = CommonOptions.Json();
        var vary = new Option<string[]>("--vary")
        {
            Description = "NAME=v1,v2,... (once or twice); NAME is sigma-vth, vp-max, eval-window, adc-bits or bitline-cap, e.g. --vary eval-window=1ns,2ns,3ns",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<string>("--out") { Description = "Folder for sweep.csv and plots (default runs/sweep)", DefaultValueFactory = _ => "runs/sweep" };
        var fresh = CommonOptions.Fresh("--out/journals");
        var command = new Command("sweep", "Monte Carlo over a grid of one or two design parameters: step min/sigma and ADC code error rate per point.");
        options.AddTo(command);
        command.Options.Add(vary);
        command.Options.Add(output);
        command.Options.Add(fresh);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var axes = (parse.GetValue(vary) ?? []).Select(ParseAxis).ToList();
            if (axes.Count is < 1 or > 2)
                throw BadInputException.For("--vary", axes.Count + " times", "given once or twice", "--vary sigma-vth=0,30mV,60mV");
            if (axes.Count == 2 && axes[0].Name == axes[1].Name)
                throw BadInputException.For("--vary", axes[0].Name + " twice", "two different parameters", "--vary sigma-vth=0,60mV --vary eval-window=1ns,3ns");
            var baseSettings = options.Settings(parse);
            string folder = Path.GetFullPath(parse.GetValue(output)!);
            bool asJson = parse.GetValue(json);
            Terminal.Note($"mbi sweep: seed {baseSettings.Seed}; {string.Join(" x ", axes.Select(a => $"{a.Name} [{string.Join(", ", a.Texts)}]"))}; {baseSettings.Samples} dies per point");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var grid = Grid(axes);
            string version = "";
            var cache = new Dictionary<MonteCarloSettings, MonteCarloResult>();
            var points = Terminal.WithProgress("sweep", progress =>
            {
                var list = new List<Point>();
                for (int p = 0; p < grid.Count; p++)
                {
                    progress.Report(new Core.Progress.ProgressUpdate("points", p, grid.Count, Describe(grid[p])));
                    var settings = Apply(baseSettings, grid[p]).Validated();
                    // Points that differ only in adc-bits read the same dies: they share the cache entry and the journal.
                    var simulated = settings with
                    {
                        AdcBits = baseSettings.AdcBits,
                        JournalPath = Path.Combine(folder, "journals", JournalName(grid[p])),
                        FreshJournal = parse.GetValue(fresh),
                    };
                    if (!cache.TryGetValue(simulated, out var result))
                        cache[simulated] = result = MonteCarloRunner.Run(simulated, new CircuitProgress(progress, $"mbi sweep point {p + 1}/{grid.Count}"));
                    result = result.WithAdcBits(settings.AdcBits);
                    version = result.EngineVersion;
                    var summary = CircuitReport.Summarise(result);
                    list.Add(new Point(grid[p], summary.Samples, summary.FailedSamples, summary.Bits1, summary.Bits2));
                    progress.Report(new Core.Progress.ProgressUpdate("points", p + 1, grid.Count, Describe(grid[p])));
                }
                return list;
            });
            var report = new Report(baseSettings.Seed, baseSettings.Samples, version, Math.Round(clock.Elapsed.TotalSeconds, 3), points);
            Write(report, axes, folder);
            if (asJson) Terminal.PrintJson(report);
            else PrintHuman(report, axes, folder);
            return 0;
        });
        return command;
    }

    private static Axis ParseAxis(string text)
    {
        int eq = text.IndexOf('=');
        string name = eq < 0 ? text : text[..eq];
        if (!Units.TryGetValue(name, out string? unit))
            throw BadInputException.For("--vary", text, "NAME=v1,v2,... with NAME one of sigma-vth, vp-max, eval-window, adc-bits, bitline-cap", "--vary sigma-vth=0,30mV,60mV");
        var texts = eq < 0 ? [] : text[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (texts.Length == 0)
            throw BadInputException.For("--vary", text, "followed by at least one value after '='", $"--vary {name}={(unit == "" ? "4,5,6" : "1" + (unit == "V" ? "0mV" : unit == "s" ? "ns" : "fF"))}");
        var values = texts.Select(t => Engineering.Parse(t, unit, "--vary " + name)).ToArray();
        if (name == "adc-bits" && values.Any(v => v != Math.Round(v)))
            throw BadInputException.For("--vary adc-bits", text, "whole numbers", "--vary adc-bits=4,5,6");
        return new Axis(name, unit, values, texts);
    }

    private static List<IReadOnlyDictionary<string, double>> Grid(List<Axis> axes)
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

    private static MonteCarloSettings Apply(MonteCarloSettings s, IReadOnlyDictionary<string, double> point)
    {
        foreach (var (name, value) in point)
            s = name switch
            {
                "sigma-vth" => s with { SigmaVthVolts = value },
                "vp-max" => s with { Design = s.Design with { VpMaxVolts = value } },
                "eval-window" => s with { Design = s.Design with { EvalWindowSeconds = value } },
                "adc-bits" => s with { AdcBits = (int)value },
                "bitline-cap" => s with { Design = s.Design with { BitlineCapacitanceFarads = value } },
                _ => throw new InvalidOperationException(name),
            };
        return s;
    }

    /// <summary>The dies journal of a point, named by its simulated parameters (adc-bits excluded), e.g. dies_eval-window=3e-09.journal.</summary>
    private static string JournalName(IReadOnlyDictionary<string, double> point) =>
        "dies" + string.Concat(point.Where(p => p.Key != "adc-bits").Select(p => $"_{p.Key}={p.Value.ToString("R", CultureInfo.InvariantCulture)}")) + ".journal";

    private static string Describe(IReadOnlyDictionary<string, double> point) =>
        string.Join(", ", point.Select(p => $"{p.Key} {(Units[p.Key] == "" ? p.Value.ToString(CultureInfo.InvariantCulture) : Engineering.Format(p.Value, Units[p.Key]))}"));

    private static void Write(Report report, List<Axis> axes, string folder)
    {
        Directory.CreateDirectory(folder);
        var header = axes.Select(a => a.Name.Replace('-', '_') + (a.Unit == "" ? "" : a.Unit == "V" ? "_volts" : a.Unit == "s" ? "_seconds" : "_farads"))
            .Concat(["samples", "failed_samples",
                "bits1_step_min_volts", "bits1_step_sigma_volts", "bits1_step_mean_volts", "bits1_adc_code_error_rate", "bits1_inverted_steps",
                "bits2_step_min_volts", "bits2_step_sigma_volts", "bits2_step_mean_volts", "bits2_adc_code_error_rate", "bits2_inverted_steps"]).ToArray();
        var csv = new CsvWriter(header);
        foreach (var p in report.Points)
            csv.Row([.. axes.Select(a => (object?)p.Parameters[a.Name]), p.Samples, p.FailedSamples,
                p.Bits1.StepMinVolts, p.Bits1.StepSigmaVolts, p.Bits1.StepMeanVolts, p.Bits1.AdcCodeErrorRate, p.Bits1.InvertedSteps,
                p.Bits2.StepMinVolts, p.Bits2.StepSigmaVolts, p.Bits2.StepMeanVolts, p.Bits2.AdcCodeErrorRate, p.Bits2.InvertedSteps]);
        csv.Save(Path.Combine(folder, "sweep.csv"));
        AtomicFile.WriteAllText(Path.Combine(folder, "sweep.json"), Terminal.ToJson(report) + "\n");

        var x = axes[0];
        double scale = x.Unit switch { "V" => 1e3, "s" => 1e9, "F" => 1e15, _ => 1 };
        string xLabel = x.Name + x.Unit switch { "V" => " (mV)", "s" => " (ns)", "F" => " (fF)", _ => "" };
        var stepChart = new SvgChart("Minimum adjacent-level step of V_SLP + V_SLN", xLabel, "step min (mV)");
        var errorChart = new SvgChart("ADC code error rate", xLabel, "readouts with a wrong code (%)");
        var groups = axes.Count == 2 ? axes[1].Values.Select(v => (Label: $"{axes[1].Name} {Label(axes[1], v)}", Filter: (Func<Point, bool>)(p => p.Parameters[axes[1].Name] == v))).ToList()
                                     : [(Label: "", Filter: _ => true)];
        foreach (var (label, filter) in groups)
        {
            var pts = report.Points.Where(filter).ToList();
            var xs = pts.Select(p => p.Parameters[x.Name] * scale).ToList();
            stepChart.Line(("1-bit " + label).Trim(), xs, pts.Select(p => p.Bits1.StepMinVolts * 1e3).ToList());
            stepChart.Line(("2-bit " + label).Trim(), xs, pts.Select(p => p.Bits2.StepMinVolts * 1e3).ToList());
            errorChart.Line(("1-bit " + label).Trim(), xs, pts.Select(p => p.Bits1.AdcCodeErrorRate * 100).ToList());
            errorChart.Line(("2-bit " + label).Trim(), xs, pts.Select(p => p.Bits2.AdcCodeErrorRate * 100).ToList());
        }
        stepChart.HorizontalMark(CircuitReport.PaperMinStepVolts * 1e3, "paper: 28 mV");
        stepChart.Save(Path.Combine(folder, "step-min.svg"));
        errorChart.Save(Path.Combine(folder, "code-error-rate.svg"));
    }

    private static string Label(Axis axis, double value) =>
        axis.Unit == "" ? value.ToString(CultureInfo.InvariantCulture) : Engineering.Format(value, axis.Unit);

    private static void PrintHuman(Report report, List<Axis> axes, string folder)
    {
        var table = new Table();
        foreach (var a in axes) table.AddColumn(a.Name);
        foreach (string c in new[] { "1-bit step min", "1-bit step sigma", "1-bit code errors", "2-bit step min", "2-bit step sigma", "2-bit code errors", "failed" })
            table.AddColumn(c);
        foreach (var p in report.Points)
            table.AddRow([.. axes.Select(a => Label(a, p.Parameters[a.Name])),
                Engineering.Format(p.Bits1.StepMinVolts, "V"), Engineering.Format(p.Bits1.StepSigmaVolts, "V"), $"{p.Bits1.AdcCodeErrorRate:P2}",
                Engineering.Format(p.Bits2.StepMinVolts, "V"), Engineering.Format(p.Bits2.StepSigmaVolts, "V"), $"{p.Bits2.AdcCodeErrorRate:P2}",
                $"{p.FailedSamples}/{p.Samples}"]);
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine($"{report.Points.Count} points, {report.SamplesPerPoint} dies each, {report.WallSeconds:F1} s, {report.NgspiceVersion}; wrote {folder}/sweep.csv, sweep.json, step-min.svg, code-error-rate.svg");
    }
}
