using System.Diagnostics;
using Mbi.Circuit.Engine;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Transient;
using Mbi.Core.Errors;
using Mbi.Core.Progress;

namespace Mbi.Circuit.MonteCarlo;

/// <summary>
/// Runs the distance staircase on a nominal die and on <c>Samples</c> Monte Carlo dies, each with
/// fresh delta-Vth on every transistor of the row and its periphery. Workers each own a private
/// ngspice copy, parse the bench once and then only alter delvto per die; sample i depends only on
/// (seed, i), so the result does not depend on the worker count. A die whose simulation fails is
/// recorded with ngspice's message and the run goes on.
/// </summary>
internal static class MonteCarloRunner
{
    public static MonteCarloResult Run(MonteCarloSettings settings, IProgress<ProgressUpdate>? progress = null)
    {
        settings = settings.Validated();
        var clock = Stopwatch.StartNew();
        var staircase = new Staircase(settings.Design.Columns);
        var bench = new RowBench(settings.Technology, settings.Design, staircase.Program);
        int workers = settings.EffectiveWorkers;

        var first = NgSpiceEngine.Start();
        RowResult nominal;
        string version = first.Version;
        try
        {
            progress?.Report(new ProgressUpdate("nominal die", 0, 1));
            nominal = new RowSimulator(first, bench).Run();
            progress?.Report(new ProgressUpdate("nominal die", 1, 1));
        }
        catch
        {
            first.Dispose();
            throw;
        }

        var outcomes = RunDies(bench, settings.Seed, settings.SigmaVthVolts, settings.Samples, workers, first, progress);
        return new MonteCarloResult(settings, staircase, bench, nominal, outcomes, version, clock.Elapsed.TotalSeconds, workers);
    }

    /// <summary>
    /// Runs <paramref name="samples"/> dies of any row bench on <paramref name="workers"/> engines (the
    /// first may be supplied, already started). Die i gets VthDraws(seed, i); failures are recorded.
    /// </summary>
    internal static SampleOutcome[] RunDies(RowBench bench, ulong seed, double sigmaVolts, int samples, int workers,
        NgSpiceEngine? firstEngine = null, IProgress<ProgressUpdate>? progress = null)
    {
        VthDraws.Validate(sigmaVolts);
        var outcomes = new SampleOutcome[samples];
        int next = -1, done = 0;
        Exception? fatal = null;
        var threads = new Thread[Math.Max(1, workers)];
        for (int w = 0; w < threads.Length; w++)
        {
            NgSpiceEngine? own = w == 0 ? firstEngine : null;
            threads[w] = new Thread(() =>
            {
                try
                {
                    using var engine = own ?? NgSpiceEngine.Start();
                    var simulator = new RowSimulator(engine, bench);
                    var shifts = new double[bench.Devices.Count];
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < samples && Volatile.Read(ref fatal) is null)
                    {
                        VthDraws.Fill(seed, i, sigmaVolts, shifts);
                        try
                        {
                            var result = simulator.Run(shifts);
                            outcomes[i] = new SampleOutcome(i, null, [.. result.SettledSlpVolts], [.. result.SettledSlnVolts]);
                        }
                        catch (SimulationFailedException e)
                        {
                            outcomes[i] = new SampleOutcome(i, e.Message, [], []);
                            simulator = new RowSimulator(engine, bench); // a failed run can leave ngspice mid-analysis: reload
                        }
                        int finished = Interlocked.Increment(ref done);
                        progress?.Report(new ProgressUpdate("Monte Carlo dies", finished, samples,
                            $"{threads.Length} worker{(threads.Length == 1 ? "" : "s")}"));
                    }
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref fatal, e, null);
                }
            }) { IsBackground = true, Name = $"mbi-mc-{w}" };
        }
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        if (fatal is MbiException) throw fatal;
        if (fatal is not null) throw new InvalidOperationException("a Monte Carlo worker failed unexpectedly", fatal);
        return outcomes;
    }
}

/// <summary>One die: its settled V_SLP and V_SLN per staircase cycle, or why it failed.</summary>
internal sealed record SampleOutcome(int Index, string? Failure, IReadOnlyList<double> SlpVolts, IReadOnlyList<double> SlnVolts)
{
    public bool Failed => Failure is not null;
}
