using System.CommandLine;
using Mbi.Circuit.MonteCarlo;

namespace Mbi.CoSim.Cli.Commands;

/// <summary>
/// `mbi mc`: Monte Carlo of the 10T distance row under Vth variation. Each die gets fresh delta-Vth on
/// every transistor of the row and its periphery and is read at every distance level (0..32 for
/// 1-bit columns, 0..48 for 2-bit elements); writes samples.csv, summary.json and SVG plots.
/// </summary>
internal static class McCommand
{
    public static Command Create()
    {
        var options = new CircuitOptions(defaultSamples: 200);
        var json = CommonOptions.Json();
        var output = new Option<string>("--out") { Description = "Folder for samples.csv, summary.json and plots (default runs/mc)", DefaultValueFactory = _ => "runs/mc" };
        var command = new Command("mc", "Monte Carlo of the SRAM distance row on ngspice: sum-line steps and ADC code errors under Vth variation.");
        options.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var settings = options.Settings(parse);
            string folder = Path.GetFullPath(parse.GetValue(output)!);
            bool asJson = parse.GetValue(json);
            Terminal.Note($"mbi mc: seed {settings.Seed}; {CircuitOptions.Describe(settings)}");
            var result = Terminal.WithProgress("mc", progress => MonteCarloRunner.Run(settings, new CircuitProgress(progress, "mbi mc")));
            var summary = CircuitReport.Summarise(result);
            CircuitReport.Write(result, summary, folder);
            if (asJson) Terminal.PrintJson(summary);
            else CircuitReport.PrintHuman(Terminal.Human(false), summary, folder);
            return 0;
        });
        return command;
    }
}
