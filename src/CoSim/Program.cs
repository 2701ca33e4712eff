using System.CommandLine;
using Mbi.CoSim.Cli;
using Mbi.Core.Errors;

var root = new RootCommand(
    "Mbi: co-simulates memorization-based inference (MBI) and the 10T-SRAM distance array that runs it.");
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);

try
{
    var parsed = root.Parse(args);
    // A bad option value prints its one-line message (name, value, allowed range, example) on stderr,
    // not the whole help text as well: the message is what the user needs, and stdout stays clean.
    if (parsed.Action is System.CommandLine.Invocation.ParseErrorAction onParseError)
        onParseError.ShowHelp = false;
    return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (MbiException e)
{
    // User errors: one line on stderr naming the value and the fix, non-zero exit.
    Console.Error.WriteLine($"mbi: error: {e.Message}");
    return 2;
}
catch (AggregateException e) when (e.InnerException is MbiException inner)
{
    Console.Error.WriteLine($"mbi: error: {inner.Message}");
    return 2;
}
