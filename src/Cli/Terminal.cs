using System.Text.Json;
using Mbi.CoSim.Reports;
using Mbi.Core.Progress;
using Spectre.Console;

namespace Mbi.Cli;

/// <summary>
/// Everything the CLI shows a person. Machine output (--json) goes to stdout as exactly one object;
/// progress bars and human text go to stderr when it is a terminal, so they never mix with JSON.
/// </summary>
internal static class Terminal
{
    public static readonly JsonSerializerOptions Json = ReportJson.Options;

    private static readonly IAnsiConsole ErrorConsole = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
    });

    /// <summary>The console for human-readable tables and text (stderr when --json owns stdout).</summary>
    public static IAnsiConsole Human(bool json) => json ? ErrorConsole : AnsiConsole.Console;

    public static void PrintJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));

    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Json);

    /// <summary>Writes one line to stderr (used for notes such as the seed a run used).</summary>
    public static void Note(string line) => Console.Error.WriteLine(line);

    /// <summary>The closing note of a circuit run: its seed and the design it ran (source and hash).</summary>
    public static void RunNote(ulong seed, Mbi.Circuit.Design.DesignStamp design) =>
        Note($"seed {seed}; design {design.Source ?? "defaults"} (sha256 {design.Sha256[..12]})");

    /// <summary>
    /// Runs <paramref name="work"/> with a progress sink. On an interactive stderr a Spectre progress bar
    /// shows each stage with its elapsed time and ETA; otherwise (a log file, CI) each stage writes one line
    /// to stderr when it starts and one when it is done, with its time. Nothing goes to stdout either way,
    /// so --json output stays one object.
    /// </summary>
    public static T WithProgress<T>(string title, Func<IProgress<ProgressUpdate>, T> work)
    {
        if (Console.IsErrorRedirected || Environment.GetEnvironmentVariable("CI") == "true")
        {
            var log = new StageLog(title, Note);
            try
            {
                return work(log);
            }
            finally
            {
                log.Close();
            }
        }

        T result = default!;
        ErrorConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                     new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var sink = new SynchronousProgress(update =>
                {
                    lock (tasks)
                    {
                        if (!tasks.TryGetValue(update.Stage, out var task))
                        {
                            task = ctx.AddTask(Markup.Escape($"{title}: {update.Stage}"), maxValue: Math.Max(1, update.Total));
                            tasks[update.Stage] = task;
                        }
                        task.MaxValue = Math.Max(1, update.Total);
                        task.Value = Math.Min(update.Done, update.Total);
                        if (update.Status is not null)
                            task.Description = Markup.Escape($"{title}: {update.Stage} ({update.Status})");
                    }
                });
                result = work(sink);
                lock (tasks)
                    foreach (var task in tasks.Values) task.Value = task.MaxValue;
            });
        return result;
    }

    /// <summary>
    /// Progress for a log: one line when a stage first reports ("started", with its size) and one when it reports
    /// done (Done >= Total), with the stage's wall time; stages still open when the work ends are closed then.
    /// </summary>
    internal sealed class StageLog(string title, Action<string> write) : IProgress<ProgressUpdate>
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<string, System.Diagnostics.Stopwatch> _open = [];
        private readonly HashSet<string> _done = [];

        public void Report(ProgressUpdate value)
        {
            string? line = null;
            lock (_lock)
            {
                bool finished = value.Total > 0 && value.Done >= value.Total;
                // a finished stage that starts again (a second tree build) is a new stage; repeated "done" reports are not
                if (_done.Contains(value.Stage) && (finished || value.Done > 0)) return;
                _done.Remove(value.Stage);
                if (!_open.TryGetValue(value.Stage, out var clock))
                {
                    clock = System.Diagnostics.Stopwatch.StartNew();
                    _open[value.Stage] = clock;
                    if (!finished)
                        line = $"{title}: {value.Stage}{(value.Total > 1 ? $" ({value.Total:N0})" : "")} started at {DateTime.UtcNow:HH:mm:ss} UTC";
                }
                if (finished)
                {
                    _open.Remove(value.Stage);
                    _done.Add(value.Stage);
                    line = Done(value.Stage, clock, value.Status);
                }
            }
            if (line is not null) write(line);
        }

        /// <summary>Closes the stages that never reported done (the work ended, so they are over).</summary>
        public void Close()
        {
            List<string> lines;
            lock (_lock)
            {
                lines = [.. _open.Select(kv => Done(kv.Key, kv.Value, null))];
                _open.Clear();
            }
            foreach (string line in lines) write(line);
        }

        private string Done(string stage, System.Diagnostics.Stopwatch clock, string? status) =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{title}: {stage} done in {clock.Elapsed.TotalSeconds:F1} s{(status is null ? "" : $" ({status})")}");
    }

    /// <summary>IProgress that calls back on the reporting thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<ProgressUpdate> onReport) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => onReport(value);
    }
}
