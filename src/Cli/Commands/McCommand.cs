using Mbi.Circuit.MonteCarlo;
using Mbi.CoSim.Reports;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi mc`: Monte Carlo of the 10T distance row under Vth variation. Each die gets fresh delta-Vth on
/// every transistor of the row and its periphery and is read at every distance level (0..32 for
/// 1-bit columns, 0..48 for 2-bit elements); writes samples.csv, summary.json and SVG plots. Finished dies
/// are journalled in the output folder as they complete, so an interrupted run picks up where it stopped.
/// </summary>
internal static class McCommand
{
    public const string JournalName = "dies.journal";

    public static Command Create()
    {
        var options = new CircuitOptions(defaultSamples: 200);
        var json = CommonOptions.Json();
        var output = CommonOptions.OutFolder("samples.csv, summary.json and plots", "runs/mc");
        var fresh = CommonOptions.Fresh("--out (dies.journal)");
        var shards = new ShardOptions();
        var command = new Command("mc", "Monte Carlo of the SRAM distance row on ngspice: sum-line steps and ADC code errors under Vth variation.");
        options.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(fresh);
        command.Options.Add(json);
        shards.AddTo(command);
        command.SetAction(parse =>
        {
            string folder = OutputPaths.Folder("--out", parse.GetValue(output), "runs/mc");
            // Every finished die is journalled in the output folder: a killed run resumes, a finished one extends.
            var (baseSettings, _, design) = options.Settings(parse);
            using var claim = OutputPaths.Lock("--out", folder);
            var shard = shards.Begin(parse, design);
            var settings = baseSettings with { JournalPath = Path.Combine(folder, JournalName), FreshJournal = parse.GetValue(fresh), Shard = shard };
            bool asJson = parse.GetValue(json);
            Terminal.Note($"mbi mc: seed {settings.Seed}; {CircuitOptions.Describe(settings, design)}");
            var result = Terminal.WithProgress("mc", progress => MonteCarloRunner.Run(settings, new CircuitProgress(progress, "mbi mc"), Interruption.Cooperate()));
            if (result.ResumedDies > 0 || result.NominalResumed)
                Terminal.Note($"mbi mc: {result.ResumedDies} of {settings.Samples} dies{(result.NominalResumed ? " and the nominal die" : "")} read back from {settings.JournalPath} (--fresh discards them)");
            if (result.DamagedJournalLines > 0)
                Terminal.Note($"mbi mc: {result.DamagedJournalLines} damaged line{(result.DamagedJournalLines == 1 ? "" : "s")} in {settings.JournalPath} skipped (failed their check); those dies were simulated again");
            if (shard is not null)
            {
                var manifest = ShardOptions.Finish(parse, shard, folder, settings.Seed, settings.Samples, design, [JournalName], result.EngineVersion, result.Workers, result.WallSeconds);
                if (asJson) Terminal.PrintJson(manifest);
                return 0;
            }
            var summary = CircuitReport.Summarise(result, design);
            CircuitReport.Write(result, summary, folder);
            if (asJson) Terminal.PrintJson(summary);
            else Printing.CircuitSummaryTable.Print(Terminal.Human(false), summary, folder);
            return 0;
        });
        return command;
    }
}
