using System.CommandLine;
using System.Globalization;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Characterisation;
using Mbi.CoSim.Tail;
using Mbi.Core.Units;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi tail`: per-readout failure probability far into the tail (plain Monte Carlo with a Clopper-Pearson interval
/// beside importance sampling around the most probable failure point, on the compact model; optionally re-read in
/// ngspice), and the yield of a whole LUT that follows. Writes tail.json, design.json and the failure-probability figure
/// to --out (checked and locked before any work).
/// </summary>
internal static class TailCommand
{
    public static Command Create()
    {
        var design = new DesignOptions();
        var bits = CommonOptions.Count("--bits-per-element", "Element width of the split read (1 or 2)", 1, 1, 2);
        var levels = new Option<string>("--levels") { Description = "Distance levels to read, comma-separated (default 1,8,16,24,31)", DefaultValueFactory = _ => "1,8,16,24,31" };
        var sigma = CommonOptions.Quantity("--sigma-vth", "V", "Std. deviation of every read-stack transistor's Vth shift", "60mV", 1e-4, 0.5);
        var offset = CommonOptions.Quantity("--adc-offset-sigma", "", "Std. deviation of the ADC's comparator offset, drawn per readout, in LSB of the 1-bit ADC (the model of design field adc.comparator_offset_sigma_lsb, which mc and cosim draw per die; 0: ideal ADC)", "0", 0, 100);
        var mc = CommonOptions.Count("--samples", "Plain Monte Carlo readouts per level (0: skip)", 200_000, 0, 100_000_000);
        var importance = CommonOptions.Count("--is-samples", "Importance-sampling readouts per level", 50_000, 1, 100_000_000);
        var arrays = CommonOptions.Count("--arrays", "Arrays in the LUT for the yield (default: the shipped 262,853-row LUT in 5 splits)", 41_080, 1, int.MaxValue);
        var spice = CommonOptions.Count("--spice-draws", "Importance-sampling draws per level re-read in ngspice (0: none)", 0, 0, 4096);
        var seed = CommonOptions.Seed();
        var cache = new Option<string>("--cache") { Description = "Where the compact model's ngspice characterisation is cached (default .build/cache).", DefaultValueFactory = _ => ".build/cache" };
        var workers = CommonOptions.Workers();
        var json = CommonOptions.Json();
        var output = CommonOptions.OutFolder("tail.json, design.json and failure-probability.png/.svg", "runs/tail");
        var command = new Command("tail", "Readout failure probability down to 1e-9 and below: importance sampling on the compact model, checked against plain Monte Carlo; LUT yield.")
        {
            bits, levels, sigma, offset, mc, importance, arrays, spice, seed, cache, workers, json, output,
        };
        design.AddTo(command);
        command.SetAction(parse =>
        {
            string folder = OutputPaths.Folder("--out", parse.GetValue(output), "runs/tail");
            var levelList = ParseLevels(parse.GetValue(levels)!);
            var (d, stamp) = design.Resolve(parse);
            int threads = CommonOptions.EffectiveWorkers(parse.GetValue(workers));
            var settings = new TailSettings(parse.GetValue(bits), levelList, parse.GetValue(sigma), parse.GetValue(mc), parse.GetValue(importance),
                parse.GetValue(seed), threads, parse.GetValue(arrays), d.Array.Rows, parse.GetValue(offset), parse.GetValue(spice));
            settings.Validate();
            using var claim = OutputPaths.Lock("--out", folder);
            // The shipped ngspice characterisation (models/characterisation) when it matches the design, deck and ngspice, as cosim reads it.
            string cacheFolder = parse.GetValue(cache)!;
            var shipped = ShippedCharacterisation.SeedCache(d, cacheFolder);
            Terminal.Note($"ngspice results: {shipped.Describe()}{(shipped.Found is null ? $" (cached in {cacheFolder} afterwards)" : "")}");
            var calibration = Terminal.WithProgress("tail", p => CompactCalibration.LoadOrCharacterise(d.Technology, d.Array,
                Math.Max(2, settings.BitsPerElement), cacheFolder, threads, p));
            var report = TailStudy.Run(calibration, d, stamp, settings, new Progress<string>(s => Terminal.Note($"mbi tail: {s}")));
            var written = TailOutput.Write(report, folder);
            if (parse.GetValue(json)) Console.Out.Write(TailOutput.Json(report));
            else Print(report);
            Terminal.Note($"mbi tail: wrote {string.Join(", ", written.Select(Path.GetFileName))} to {folder}");
            Terminal.RunNote(settings.Seed, stamp);
            return 0;
        });
        return command;
    }

    private static int[] ParseLevels(string text)
    {
        var result = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int level) || level < 1)
                throw CommonOptions.Bad("--levels", text, "comma-separated whole distance levels of 1 or more", "1,16,31");
            result.Add(level);
        }
        return [.. result];
    }

    private static void Print(TailReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"Readout failure (ADC code != nominal), {r.BitsPerElement}-bit elements, sigma(Vth) {Engineering.Format(r.SigmaVthVolts, "V")}, " +
                          $"ADC offset sigma {r.AdcOffsetSigmaLsb.ToString(inv)} LSB, LUT of {r.Arrays} arrays x {r.RowsPerArray} rows");
        Console.WriteLine("level  beta(-/+)      Monte Carlo p [95% CI]                  importance sampling p [95% CI]          LUT yield (union bound)");
        foreach (var l in r.Levels)
        {
            // a side's first (smallest) beta, starred when any failure point of that side was clamped at the grid's edge
            string beta = string.Join("/", new[] { "reads-nearer", "reads-farther" }.Select(side =>
            {
                var reached = l.FailurePoints.Where(f => f.Side == side && f.Reached).ToList();
                return reached.Count == 0 ? "-" : reached[0].Beta.ToString("F2", inv) + (reached.Any(f => f.BeyondGrid) ? "*" : "");
            }));
            string mc = l.MonteCarlo is { } m ? string.Format(inv, "{0:E2} [{1:E2}, {2:E2}]", m.Probability, m.Lower95, m.Upper95) : "not run";
            var i = l.ImportanceSampling;
            Console.WriteLine(string.Format(inv, "{0,5}  {1,-13}  {2,-38}  {3:E2} [{4:E2}, {5:E2}]{6}  {7:P4}", l.Level, beta, mc, i.Probability, i.Lower95, i.Upper95,
                l.AgreeWithinInterval is false ? " (intervals disjoint)" : "", l.LutYieldUnionBound));
            if (l.Spice is { } s)
                Console.WriteLine(string.Format(inv, "       ngspice on {0} draws: {1} fail (compact {2}), {3} disagree, {4:F1} s", s.Draws, s.SpiceFailures, s.CompactFailures, s.Disagreements, s.Seconds));
        }
        if (r.Levels.Any(l => l.FailurePoints.Any(f => f.Reached && f.BeyondGrid)))
            Console.WriteLine("* a failure point of that side lies beyond the compact model's characterised shift grid (clamped there).");
    }
}
