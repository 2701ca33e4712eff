using System.CommandLine.Help;
using System.Text.RegularExpressions;
using Mbi.Circuit.Engine;
using Mbi.Core.Units;

namespace Mbi.Cli;

/// <summary>
/// The `mbi` entry point: builds the command tree, runs one command line and turns every error a user can cause
/// into one `mbi: error:` line on stderr with the exit code of <see cref="ExitCodes"/> (unexpected exceptions, bugs,
/// keep their stack trace). Paths typed on the command line are resolved against the folder the user ran from
/// ($MBI_CWD, which ./mbi sets before it changes to the repository root).
/// </summary>
internal static partial class MbiCli
{
    public const int UserErrorExitCode = ExitCodes.Usage;

    /// <summary>The environment variable holding the user's working directory (set by ./mbi).</summary>
    public const string UserDirectoryVariable = "MBI_CWD";

    /// <summary>Options and arguments that name a file or folder: typed values are resolved against $MBI_CWD.</summary>
    private static readonly HashSet<string> PathOptions =
    [
        "--out", "--model", "--lut", "--mnist", "--init", "--design", "--model-card", "--corner-table", "--energy-config",
        "--cache", "--save-decks", "--out-lut", "--reuse", "--teacher", "FILE",
    ];

    /// <summary>The commands that start ngspice (stale temporary library copies are reclaimed before they run).</summary>
    private static readonly HashSet<string> CircuitCommands = ["mc", "sweep", "cosim", "energy", "table1", "reproduce", "characterise"];

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "Mbi: co-simulates memorization-based inference (MBI) and the 10T-SRAM distance array that runs it.");
        foreach (var command in CommandCatalog.All())
            root.Subcommands.Add(command);
        foreach (var command in Commands(root))
        {
            foreach (var option in command.Options) Prepare(option);
            foreach (var argument in command.Arguments)
                if (argument is Argument<string> path && PathOptions.Contains(path.Name))
                    path.CustomParser = r => UserPath(r.Tokens.Count > 0 ? r.Tokens[^1].Value : "");
        }
        return root;
    }

    public static int Run(string[] args)
    {
        using var signals = Interruption.Install();
        try
        {
            var parsed = BuildRoot().Parse(args);
            // A bad option value prints its one-line message (name, value, allowed range, example) on
            // stderr, like every other user error, not the whole help text as well: the message is what
            // the user needs, and stdout stays clean for --json.
            if (parsed.Errors.Count > 0)
            {
                // One line, however many tokens were wrong ("--no-such-flag 3" is two).
                Console.Error.WriteLine($"mbi: error: {string.Join(" ", parsed.Errors.Select(e => e.Message).Distinct())}");
                return ExitCodes.Usage;
            }
            if (parsed.Action is HelpAction)
                return Help(parsed);
            // A bad MBI_KERNEL fails here, before any work (checked on every run: BestPath itself is read once per process).
            Mbi.Algorithm.Memorization.Keys.DistanceKernel.Choose(Environment.GetEnvironmentVariable(Mbi.Algorithm.Memorization.Keys.DistanceKernel.PathVariable));
            // Reclaimed before the run (its disk may be needed), said after it: a command refused for bad input prints its one
            // error line and nothing else, whatever a killed run left behind.
            var reclaimed = args.Length > 0 && CircuitCommands.Contains(args[0]) ? TempCopies.ReclaimStale() : (Folders: 0, Bytes: 0L);
            int exit = parsed.Invoke(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null, // Interruption handles SIGINT and SIGTERM
                Output = Console.Out,
                Error = Console.Error,
            });
            Console.Out.Flush();
            if (exit == 0) NoteReclaimed(reclaimed.Folders, reclaimed.Bytes);
            return exit;
        }
        catch (MbiException e)
        {
            return Fail(e);
        }
        catch (AggregateException e) when (e.InnerException is MbiException inner)
        {
            return Fail(inner);
        }
        catch (OperationCanceledException) when (Interruption.ExitCode != 0)
        {
            Console.Error.WriteLine($"mbi: interrupted by {Interruption.SignalName}: stopped after the dies in flight; every finished die is " +
                                    "journalled in the output folder and no result was written. Run the same command again to resume (--fresh starts over).");
            return Interruption.ExitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Disk full, a read-only file system, stdout closed or full (> /dev/full): what failed and the fix, no trace.
            TryWriteError($"mbi: error: reading or writing a file failed: {e.Message.TrimEnd('.')}. Check the path, its permissions and the free space " +
                          "(and that standard output goes somewhere that can take it).");
            return ExitCodes.OutputFailed;
        }
    }

    private static int Fail(MbiException e)
    {
        TryWriteError($"mbi: error: {FlagNames.Message(e)}");
        return ExitCodes.For(e);
    }

    private static void TryWriteError(string line)
    {
        try { Console.Error.WriteLine(line); }
        catch (IOException) { Environment.ExitCode = ExitCodes.OutputFailed; } // stderr itself is gone: the exit code says it
    }

    /// <summary>Says that ngspice copies left in the temp folder by runs that were killed were deleted (after a run that succeeded).</summary>
    private static void NoteReclaimed(int folders, long bytes)
    {
        if (folders > 0)
            Terminal.Note($"mbi: removed {folders} temporary ngspice cop{(folders == 1 ? "y" : "ies")} ({Engineering.Format(bytes, "B")}) left in {Path.GetTempPath()} by runs that were killed");
    }

    /// <summary>A typed path, resolved against the user's folder when ./mbi ran us from the repository root.</summary>
    public static string UserPath(string typed)
    {
        string? userDirectory = Environment.GetEnvironmentVariable(UserDirectoryVariable);
        if (string.IsNullOrWhiteSpace(typed) || string.IsNullOrEmpty(userDirectory) || Path.IsPathFullyQualified(typed)) return typed;
        string expanded = typed == "~" || typed.StartsWith("~/", StringComparison.Ordinal)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + typed[1..]
            : typed;
        return Path.GetFullPath(expanded, userDirectory);
    }

    /// <summary>
    /// --help, with each default shown once: every option's description states its default in the unit users type
    /// ("(default 60mV)"), so System.CommandLine's own "[default: 0.06]" (the SI double) is taken out.
    /// </summary>
    private static int Help(ParseResult parsed)
    {
        var text = new StringWriter();
        int exit = parsed.Invoke(new InvocationConfiguration { Output = text, Error = Console.Error });
        Console.Out.Write(DefaultLabel().Replace(text.ToString(), ""));
        return exit;
    }

    [GeneratedRegex(@"\s*\[default:[^\]]*\]", RegexOptions.Singleline)]
    private static partial Regex DefaultLabel();

    /// <summary>One option, made ready once for every command: a path option resolves typed values against the user's folder.</summary>
    private static void Prepare(Option option)
    {
        if (option is Option<string> path && PathOptions.Contains(path.Name) && path.CustomParser is null)
        {
            var fallback = path.DefaultValueFactory;
            path.CustomParser = r => r.Tokens.Count > 0 ? UserPath(r.Tokens[^1].Value) : fallback?.Invoke(r)!;
        }
    }

    private static IEnumerable<Command> Commands(Command command)
    {
        yield return command;
        foreach (var sub in command.Subcommands)
            foreach (var c in Commands(sub))
                yield return c;
    }

}
