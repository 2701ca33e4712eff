using System.Runtime.InteropServices;
using Mbi.Circuit.Engine;

namespace Mbi.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM. A command that can stop at a safe point (the Monte Carlo commands stop between
/// dies: those in flight finish and are journalled) takes <see cref="Cooperate"/>'s token; the first signal cancels
/// it and the run ends with "mbi: interrupted ..." and exit code 130 (SIGINT) or 143 (SIGTERM). Any other command, or
/// a second signal, stops at once: the engines' temporary library copies are deleted and the process exits with the
/// same code. Results are written (temp name + rename) only when a run finishes, so nothing half-written is left;
/// a journal's torn last line is cut off when it is next read.
/// </summary>
internal static class Interruption
{
    private static readonly Lock Gate = new();
    private static CancellationTokenSource _source = new();
    private static int _exitCode;
    private static string _signalName = "";
    private static bool _cooperative;

    /// <summary>The exit code of the signal received, or 0.</summary>
    public static int ExitCode { get { lock (Gate) return _exitCode; } }

    /// <summary>e.g. "SIGINT (Ctrl-C)".</summary>
    public static string SignalName { get { lock (Gate) return _signalName; } }

    /// <summary>Called by a command that stops cleanly when the token is cancelled.</summary>
    public static CancellationToken Cooperate()
    {
        lock (Gate)
        {
            _cooperative = true;
            return _source.Token;
        }
    }

    /// <summary>Installs the handlers for one command line (disposed when it ends).</summary>
    public static IDisposable Install()
    {
        lock (Gate)
        {
            _source = new CancellationTokenSource();
            _exitCode = 0;
            _signalName = "";
            _cooperative = false;
        }
        var registrations = new[]
        {
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
        };
        return new Registrations(registrations);
    }

    private static void Handle(PosixSignalContext context)
    {
        context.Cancel = true; // this handler decides how the process ends
        bool stopNow;
        lock (Gate)
        {
            stopNow = _exitCode != 0 || !_cooperative;
            if (_exitCode == 0)
            {
                _exitCode = context.Signal == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;
                _signalName = context.Signal == PosixSignal.SIGTERM ? "SIGTERM" : "SIGINT (Ctrl-C)";
            }
        }
        if (stopNow)
        {
            bool journalled;
            lock (Gate) journalled = _cooperative;
            Console.Error.WriteLine($"mbi: interrupted by {SignalName}: stopped; no result was written (results are written only when a run finishes)." +
                (journalled ? " Finished Monte Carlo dies are kept in the output folder's journal: run the same command again to resume." : ""));
            TempCopies.DeleteAll();
            Environment.Exit(ExitCode);
        }
        Console.Error.WriteLine($"mbi: {SignalName}: stopping after the dies being simulated (send it again to stop now) ...");
        _source.Cancel();
    }

    private sealed class Registrations(PosixSignalRegistration[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var r in registrations) r.Dispose();
        }
    }
}
