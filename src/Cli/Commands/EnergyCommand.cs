using System.CommandLine;
using System.Globalization;
using Mbi.Circuit.Adc;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Energy;
using Mbi.CoSim.Studies;
using Mbi.Core.Units;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi energy [--json]`: energy per 32x32 comparison by component (ngspice supply energy of the row bench,
/// the published ADC model, per-operation logic energy) and per inference from the lookups actually made on
/// ideal arrays, with latency; beside the paper's 4.7 pJ and 13.16 nJ.
/// </summary>
internal static class EnergyCommand
{
    public static Command Create()
    {
        var options = new CoSimOptions();
        var json = CommonOptions.Json();
        var adc = AdcModelOption.Create();
        var decks = CircuitOptions.SaveDecksOption("energy-pN.cir per element precision N");
        var command = new Command("energy", "Energy and latency per comparison and per inference of the MBI arrays (ngspice + ADC model + logic), beside the paper.") { json, adc, decks };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            bool asJson = parse.GetValue(json);
            var setup = Terminal.WithProgress("energy", p => LookupSetup.Build(options.Setup(parse), p));
            var (design, stamp) = options.Design.Resolve(parse);
            var config = EnergyConfig.Load(parse.GetValue(options.EnergyConfig));
            if (parse.GetValue(adc) is AdcModel model)
            {
                var estimate = Terminal.WithProgress("adc", _ => AdcModelOption.Estimate(model, design, config.TechnologyNanometers));
                Terminal.Note($"mbi energy: ADC {Engineering.Format(estimate.EnergyJoules, "J")} per conversion, {Engineering.Format(estimate.ConversionSeconds, "s")}: {estimate.Source}");
                config = config.WithAdc(estimate);
            }
            var deckFolder = parse.GetValue(decks) is string folder ? new DeckFolder(Path.GetFullPath(folder)) : null;
            var report = EnergyReport.Measure(setup, config, design, stamp, parse.GetValue(options.Seed), deckFolder);
            if (asJson) Terminal.PrintJson(report);
            else Print(report);
            Terminal.RunNote(parse.GetValue(options.Seed), stamp);
            return 0;
        });
        return command;
    }

    private static void Print(EnergyReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"Energy per 32x32 comparison: {Engineering.Format(r.EnergyPerComparisonJoules, "J")} (paper {Engineering.Format(r.Paper.EnergyPerComparisonJoules, "J")})");
        foreach (var (name, joules) in r.BreakdownRows())
            Console.WriteLine(string.Format(inv, "  {0,-18} {1,10}  {2,5:P1}", name, Engineering.Format(joules, "J"), joules / r.EnergyPerComparisonJoules));
        Console.WriteLine(string.Format(inv, "Per inference ({0} test images, {1} splits, {2:F2} lookups x {3:F2} levels, {4:F1} rows scanned): {5} (paper {6})",
            r.Images, r.Splits, r.LookupsPerInference, r.LevelsPerLookup, r.RowsScannedPerInference,
            Engineering.Format(r.EnergyPerInferenceJoules, "J"), Engineering.Format(r.Paper.EnergyPerInferenceJoules, "J")));
        Console.WriteLine($"Latency per inference: {Engineering.Format(r.LatencyPerInferenceSeconds, "s")} ({Engineering.Format(r.SecondsPerRow, "s")} per row: {Engineering.Format(r.RowCycleSeconds, "s")} array cycle + {Engineering.Format(r.AdcConversionSeconds, "s")} ADC)");
        Console.WriteLine(string.Format(inv, "Mbi / paper: {0:F3}x per comparison, {1:F3}x per inference", r.RatioToPaperPerComparison, r.RatioToPaperPerInference));
    }
}
