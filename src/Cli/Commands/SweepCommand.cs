using Mbi.CoSim.Studies;
using Mbi.Core.Units;
using Spectre.Console;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi sweep`: Monte Carlo over a grid of one or two design parameters (sigma-vth, vp-max, eval-window,
/// adc-bits, bitline-cap, temp, corner, vdd, row-select, rails); the engine is <see cref="DesignSweep"/>.
/// </summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var options = new CircuitOptions(defaultSamples: 20);
        var json = CommonOptions.Json();
        var vary = new Option<string[]>("--vary")
        {
            Description = $"NAME=v1,v2,... (once or twice); NAME is {AxisNames}, e.g. --vary eval-window=1ns,2ns,3ns --vary temp=-40C,27C,125C --vary corner=TT,SS,FF",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var output = CommonOptions.OutFolder("sweep.csv and plots", "runs/sweep");
        var fresh = CommonOptions.Fresh("--out/journals");
        var shards = new ShardOptions();
        var command = new Command("sweep", "Monte Carlo over a grid of one or two design parameters: step min/sigma and ADC code error rate per point.");
        options.AddTo(command);
        command.Options.Add(vary);
        command.Options.Add(output);
        command.Options.Add(fresh);
        command.Options.Add(json);
        shards.AddTo(command);
        command.SetAction(parse =>
        {
            var axes = ParseAxes(parse.GetValue(vary) ?? []);
            var (baseSettings, design, stamp) = options.Settings(parse);
            var shard = shards.Begin(parse, stamp);
            baseSettings = baseSettings with { Shard = shard }; // a shard simulates its dies of every point
            string folder = OutputPaths.Folder("--out", parse.GetValue(output), "runs/sweep");
            if (baseSettings.PelgromAvtVoltMeters is not null && axes.Any(a => a.Name == "sigma-vth"))
                throw BadInputException.For("--vary sigma-vth", "given with --pelgrom-avt", "without --pelgrom-avt (A_VT sets each device's sigma)", "--vary sigma-vth=30mV,60mV, or --pelgrom-avt alone");
            // Every point is built and validated before the first one runs (a misspelt corner fails now, not hours in).
            foreach (var point in DesignSweep.Grid(axes)) DesignSweep.Apply(baseSettings, point, axes).Validated();
            using var claim = OutputPaths.Lock("--out", folder);
            Terminal.Note($"mbi sweep: seed {baseSettings.Seed}; {string.Join(" x ", axes.Select(a => $"{a.Name} [{string.Join(", ", a.Texts)}]"))}; {baseSettings.Samples} dies per point");
            var report = Terminal.WithProgress("sweep", progress => DesignSweep.Run(baseSettings, stamp, design, axes, folder, parse.GetValue(fresh), progress,
                (p, n) => new CircuitProgress(progress, $"mbi sweep point {p + 1}/{n}"), Interruption.Cooperate()));
            if (shard is not null)
            {
                var journals = DesignSweep.Grid(axes).Select(p => Path.Combine("journals", DesignSweep.JournalName(p, axes))).Distinct();
                var manifest = ShardOptions.Finish(parse, shard, folder, baseSettings.Seed, baseSettings.Samples, stamp, journals, report.NgspiceVersion,
                    baseSettings.EffectiveWorkers, report.WallSeconds);
                if (parse.GetValue(json)) Terminal.PrintJson(manifest);
                return 0;
            }
            DesignSweep.Write(report, axes, folder);
            if (parse.GetValue(json)) Terminal.PrintJson(report);
            else PrintHuman(report, axes, folder);
            return 0;
        });
        return command;
    }

    /// <summary>Parses the --vary values: one or two different parameters, each NAME=v1,v2,...</summary>
    public static IReadOnlyList<SweepAxis> ParseAxes(IEnumerable<string> texts)
    {
        var axes = texts.Select(ParseAxis).ToList();
        if (axes.Count is < 1 or > 2)
            throw BadInputException.For("--vary", axes.Count + " times", "given once or twice", "--vary sigma-vth=0,30mV,60mV");
        if (axes.Count == 2 && axes[0].Name == axes[1].Name)
            throw BadInputException.For("--vary", axes[0].Name + " twice", "two different parameters", "--vary sigma-vth=0,60mV --vary eval-window=1ns,3ns");
        return axes;
    }

    private static SweepAxis ParseAxis(string text)
    {
        int eq = text.IndexOf('=');
        string name = eq < 0 ? text : text[..eq];
        if (!DesignSweep.Units.TryGetValue(name, out string? unit))
            throw BadInputException.For("--vary", text, $"NAME=v1,v2,... with NAME one of {AxisNames}", "--vary sigma-vth=0,30mV,60mV");
        var texts = eq < 0 ? [] : text[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (texts.Length == 0)
            throw BadInputException.For("--vary", text, "followed by at least one value after '='", $"--vary {name}={Example(name, unit)}");
        if (unit == DesignSweep.Named)
        {
            // Names are checked here, before any point runs: a corner against the corner table, a scheme against the enum.
            try
            {
                foreach (string t in texts)
                    if (name == "row-select") DesignSweep.RowSelectNamed(t);
                    else if (name == "rails") DesignSweep.RailsNamed(t);
            }
            catch (BadInputException e) { throw e.Renamed("--vary " + name); }
            if (texts.Distinct(StringComparer.OrdinalIgnoreCase).Count() != texts.Length)
                throw BadInputException.For("--vary " + name, text, "each value once", $"--vary {name}={Example(name, unit)}");
            return new SweepAxis(name, unit, [.. texts.Select((_, i) => (double)i)], texts);
        }
        var values = texts.Select(t => Engineering.Parse(t, unit, "--vary " + name)).ToArray();
        if (name == "adc-bits" && values.Any(v => v != Math.Round(v)))
            throw BadInputException.For("--vary adc-bits", string.Join(",", texts), "whole numbers", "--vary adc-bits=4,5,6");
        return new SweepAxis(name, unit, values, texts);
    }

    private static string AxisNames => string.Join(", ", DesignSweep.Units.Keys);

    private static string Example(string name, string unit) => (name, unit) switch
    {
        ("corner", _) => "TT,SS,FF", ("row-select", _) => "row-gated,source-line-high", ("rails", _) => "boosted,within-vdd", (_, "") => "4,5,6",
        (_, "C") => "-40C,27C,125C", (_, "V") => "0.8V,0.9V", (_, "s") => "1ns,3ns", _ => "1fF,4fF",
    };

    private static void PrintHuman(DesignSweep.Report report, IReadOnlyList<SweepAxis> axes, string folder)
    {
        var table = new Table();
        foreach (var a in axes) table.AddColumn(a.Name);
        foreach (string c in new[] { "1-bit step min", "1-bit step sigma", "1-bit code errors", "2-bit step min", "2-bit step sigma", "2-bit code errors", "failed", "gate overdrive" })
            table.AddColumn(c);
        foreach (var p in report.Points)
            table.AddRow([.. axes.Select(a => a.Label(p.Parameters[a.Name])),
                Engineering.Format(p.Bits1.StepMinVolts, "V"), Engineering.Format(p.Bits1.StepSigmaVolts, "V"), $"{p.Bits1.AdcCodeErrorRate:P2}",
                Engineering.Format(p.Bits2.StepMinVolts, "V"), Engineering.Format(p.Bits2.StepSigmaVolts, "V"), $"{p.Bits2.AdcCodeErrorRate:P2}",
                $"{p.FailedSamples}/{p.Samples}", p.GateStress?.Short ?? "-"]);
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine($"{report.Points.Count} points, {report.SamplesPerPoint} dies each, {report.WallSeconds:F1} s, {report.NgspiceVersion}; wrote {folder}/sweep.csv, sweep.json, the figures (step-min, code-error-rate: .png with .svg beside; -bits1/-bits2 heatmaps for 2-D) and each point's design in designs/point-N.json (--design re-runs it)");
    }
}
