using System.Runtime.ExceptionServices;
using Mbi.Core.Errors;

namespace Mbi.Circuit.Engine;

/// <summary>
/// The one ngspice worker pool: jobs 0..count-1 run on up to <c>workers</c> threads, each owning a private
/// <see cref="NgSpiceEngine"/> (ngspice is not thread-safe) and taking the next unclaimed job until none is left.
/// Which worker runs a job is not fixed, so a job's result must depend only on its index. After the first
/// failure no new job starts; an <see cref="MbiException"/> is rethrown as it is, anything else is wrapped.
/// </summary>
internal static class EnginePool
{
    /// <summary>How many workers <see cref="Run{TWorker}"/> starts for <paramref name="count"/> jobs.</summary>
    public static int WorkerCount(int workers, int count) => Math.Clamp(workers, 1, Math.Max(1, count));

    /// <summary>
    /// Runs the jobs. Each worker builds its state once from its engine (<paramref name="start"/>: e.g. parse
    /// the bench) and then calls <paramref name="job"/>(state, index) per job. <paramref name="first"/>, an
    /// engine already started, is used by the first worker; the pool disposes every engine, that one included.
    /// </summary>
    public static void Run<TWorker>(int count, int workers, string name, Func<NgSpiceEngine, TWorker> start, Action<TWorker, int> job,
        NgSpiceEngine? first = null)
    {
        if (count <= 0)
        {
            first?.Dispose();
            return;
        }
        int next = -1;
        Exception? failure = null;
        var threads = new Thread[WorkerCount(workers, count)];
        for (int w = 0; w < threads.Length; w++)
        {
            NgSpiceEngine? own = w == 0 ? first : null;
            threads[w] = new Thread(() =>
            {
                try
                {
                    using var engine = own ?? NgSpiceEngine.Start();
                    var state = start(engine);
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < count && Volatile.Read(ref failure) is null)
                        job(state, i);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
            }) { IsBackground = true, Name = $"mbi-{name}-{w}" };
        }
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        if (failure is MbiException) ExceptionDispatchInfo.Throw(failure);
        if (failure is not null) throw new InvalidOperationException($"an ngspice worker ({name}) failed unexpectedly", failure);
    }
}
