using Mbi.Cli;

namespace Mbi.Cli.Tests;

/// <summary>Runs one `mbi` command line in this process with stdout and stderr captured (callers are [NonParallelizable]:
/// the Console is process-wide).</summary>
internal static class InProcessCli
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        TextWriter oldOut = Console.Out, oldErr = Console.Error;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try { return (MbiCli.Run(args), stdout.ToString(), stderr.ToString()); }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }
}
