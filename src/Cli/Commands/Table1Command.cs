using Mbi.Algorithm.Memorization;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Energy;
using Mbi.CoSim.Studies;
using Mbi.Core.Units;
using Mbi.CoSim.Reports;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi table1 [--json]`: the paper's Table I: Mbi's MBI and mixed MBI energy per inference (measured here)
/// beside the CIM macros of config/cim-macros.json projected to 16 nm by (16/T)^2.
/// </summary>
internal static class Table1Command
{
    public static Command Create()
    {
        var options = new CoSimOptions();
        var threshold = CommonOptions.Quantity("--threshold", "", $"Mixed MBI threshold T (the paper's is {PaperFigures.MixedThreshold})",
            PaperFigures.MixedThreshold.ToString(CultureInfo.InvariantCulture), min: 0);
        var json = CommonOptions.Json();
        var command = new Command("table1", "Table I: energy per inference of MBI and mixed MBI beside the paper's CIM macros and published candidates (projected to 16 nm).") { threshold, json };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var config = EnergyConfig.Load(parse.GetValue(options.EnergyConfig));
            TableOne.CheckMacros(config); // config/cim-macros.json is read and checked before the lookups and SPICE run
            var setupOptions = options.Setup(parse);
            CoSimOptions.RequireConfigAdcBits(options.Design.Resolve(parse).Design, config);
            var setup = Terminal.WithProgress("table1", p => LookupSetup.Build(setupOptions, p));
            var (design, stamp) = options.Design.Resolve(parse);
            var energy = EnergyReport.Measure(setup, config, design, stamp, parse.GetValue(options.Seed), cacheDirectory: parse.GetValue(options.Cache));
            int[] ram = MbiEvaluation.RunModel(setup.Model, setup.Test);
            var die = VariationStudy.RunDie(setup, new IdealArrayModel(), -1, ram, parse.GetValue(threshold));
            double ramJoules = TableOne.FallbackJoules(setup.Model.Model.Config, config);
            var mbiBand = energy.Bands.PerInferenceTotal.Band;
            var mixedBand = TableOne.MixedJoules(mbiBand, ramJoules, die.MbiFraction);
            double mixed = mixedBand.Typical;
            var rows = TableOne.Build(mbiBand, mixedBand, die.MbiFraction, config, TableOne.MacrosPathBeside(config), parse.GetValue(threshold));
            if (parse.GetValue(json))
                Terminal.PrintJson(new { rows, mbi_joules = energy.EnergyPerInferenceJoules, mbi_band = mbiBand, mixed_joules = mixed, mixed_band = mixedBand, mbi_fraction = die.MbiFraction, ram_joules_per_image = ramJoules, seed = parse.GetValue(options.Seed), design = stamp });
            else
            {
                Console.Write(TableOne.Markdown(rows, energy.EnergyPerInferenceJoules));
                Console.WriteLine($"RAM fallback: {Engineering.Format(ramJoules, "J")} per image; {die.MbiFraction:P1} of images served by lookups at T = {parse.GetValue(threshold)}.");
                Terminal.RunNote(parse.GetValue(options.Seed), stamp);
            }
            return 0;
        });
        return command;
    }
}
