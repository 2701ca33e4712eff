namespace Mbi.Cli;

/// <summary>
/// The `mbi` entry point: builds the command tree, runs one command line and turns Mbi's own errors
/// into one line on stderr with exit code 2 (unexpected exceptions keep their stack trace).
/// </summary>
internal static class MbiCli
{
    public const int UserErrorExitCode = 2;

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "Mbi: co-simulates memorization-based inference (MBI) and the 10T-SRAM distance array that runs it.");
        foreach (var command in CommandCatalog.All())
            root.Subcommands.Add(command);
        return root;
    }

    public static int Run(string[] args)
    {
        try
        {
            var parsed = BuildRoot().Parse(args);
            // A bad option value prints its one-line message (name, value, allowed range, example) on
            // stderr, like every other user error, not the whole help text as well: the message is what
            // the user needs, and stdout stays clean for --json.
            if (parsed.Errors.Count > 0)
            {
                foreach (var error in parsed.Errors.Select(e => e.Message).Distinct())
                    Console.Error.WriteLine($"mbi: error: {error}");
                return UserErrorExitCode;
            }
            return parsed.Invoke(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = Console.Out,
                Error = Console.Error,
            });
        }
        catch (MbiException e)
        {
            Console.Error.WriteLine($"mbi: error: {FlagNames.Message(e)}");
            return UserErrorExitCode;
        }
        catch (AggregateException e) when (e.InnerException is MbiException inner)
        {
            Console.Error.WriteLine($"mbi: error: {FlagNames.Message(inner)}");
            return UserErrorExitCode;
        }
    }
}
