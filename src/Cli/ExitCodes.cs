using Mbi.Core.Errors;

namespace Mbi.Cli;

/// <summary>
/// The one exit-code policy of `mbi` (docs/cli.md). Every code but 0 comes with exactly one `mbi: error:` line on
/// stderr (an interrupted run: one `mbi: interrupted` line), except <see cref="Unexpected"/>, a bug, which keeps
/// its stack trace.
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The run could not give a result for a reason it states (a download failed, a tuning target out of reach).</summary>
    public const int Failed = 1;

    /// <summary>A bad command line: unknown or malformed option, value out of range, missing or unusable path.</summary>
    public const int Usage = 2;

    /// <summary>An input file exists but is not what it claims to be (wrong magic, version, checksum, field).</summary>
    public const int BadInputFile = 3;

    /// <summary>ngspice is missing or a simulation failed.</summary>
    public const int SimulationFailed = 4;

    /// <summary>Writing a result failed (disk full, read-only file system, closed or full stdout).</summary>
    public const int OutputFailed = 5;

    /// <summary>Stopped by Ctrl-C (SIGINT), as shells report a signal: 128 + 2.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM: 128 + 15.</summary>
    public const int Terminated = 143;

    /// <summary>A bug: an exception Mbi did not raise on purpose (the .NET runtime's own code, with the stack trace).</summary>
    public const int Unexpected = 70;

    /// <summary>The exit code of one of Mbi's own errors.</summary>
    public static int For(MbiException e) => e switch
    {
        // A value read from a file names its field after the file ("my.json: array.eval_window_seconds"): the file is bad.
        BadInputException { Parameter: string field } when field.Contains(": ", StringComparison.Ordinal) => BadInputFile,
        BadInputException => Usage,
        FileFormatException => BadInputFile,
        SimulationFailedException or EngineMissingException => SimulationFailed,
        _ => Failed,
    };
}
