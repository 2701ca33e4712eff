using Mbi.Core.Progress;

namespace Mbi.Cli.Commands;

/// <summary>
/// Forwards progress to the terminal's bar and, when stderr is not a terminal (a log file, CI), also
/// writes a line every 5% so that long Monte Carlo runs show they are alive.
/// </summary>
internal sealed class CircuitProgress(IProgress<ProgressUpdate> bar, string command) : IProgress<ProgressUpdate>
{
    private readonly bool _logLines = Console.IsErrorRedirected;
    private readonly Lock _lock = new();
    private long _lastLogged = -1;
    private string _lastStage = "";

    public void Report(ProgressUpdate value)
    {
        bar.Report(value);
        if (!_logLines || value.Total <= 0) return;
        long step = Math.Max(1, value.Total / 20);
        lock (_lock)
        {
            if (value.Stage != _lastStage) { _lastStage = value.Stage; _lastLogged = -1; }
            if (value.Done != value.Total && value.Done / step == _lastLogged / step) return;
            if (value.Done == _lastLogged) return;
            _lastLogged = value.Done;
        }
        Terminal.Note($"{command}: {value.Stage} {value.Done}/{value.Total}{(value.Status is null ? "" : $" ({value.Status})")} at {DateTime.UtcNow:HH:mm:ss} UTC");
    }
}
