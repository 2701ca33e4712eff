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
    /// shows each stage; otherwise the updates are dropped (logs stay clean in CI).
    /// </summary>
    public static T WithProgress<T>(string title, Func<IProgress<ProgressUpdate>, T> work)
    {
        if (Console.IsErrorRedirected || Environment.GetEnvironmentVariable("CI") == "true")
            return work(new Progress<ProgressUpdate>(_ => { }));

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

    /// <summary>IProgress that calls back on the reporting thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<ProgressUpdate> onReport) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => onReport(value);
    }
}
