namespace Mbi.Cli;

/// <summary>Every `mbi` subcommand, in the order `mbi --help` lists them: the main job first, then
/// data, algorithm, MBI, circuit and co-simulation commands.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return Commands.ReproduceCommand.Create();
        yield return Commands.DataCommand.Create();
        yield return Commands.TrainCommand.Create();
        yield return Commands.EvalCommand.Create();
        yield return Commands.SoupCommand.Create();
        yield return Commands.SweepRamCommand.Create();
        yield return Commands.DistillCommand.Create();
        yield return Commands.FitQueriesCommand.Create();
        yield return Commands.InferCommand.Create();
        yield return Commands.TuneDistanceCommand.Create();
        yield return Commands.TuneMixedCommand.Create();
        yield return Commands.SearchQualityCommand.Create();
        yield return Commands.SweepThresholdCommand.Create();
        yield return Commands.DesignCommand.Create();
        yield return Commands.McCommand.Create();
        yield return Commands.SweepCommand.Create();
        yield return Commands.MergeCommand.Create();
        yield return Commands.SlurmCommand.Create();
        yield return Commands.EnergyCommand.Create();
        yield return Commands.CosimCommand.Create();
        yield return Commands.Table1Command.Create();
        yield return Commands.TailCommand.Create();
        yield return Commands.CharacteriseCommand.Create();
        yield return Commands.VersionCommand.Create();
    }
}
