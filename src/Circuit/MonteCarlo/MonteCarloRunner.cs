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
public static class MonteCarloRunner
{
    public static MonteCarloResult Run(MonteCarloSettings settings, IProgress<ProgressUpdate>? progress = null)
    {
        settings = settings.Validated();
        var clock = Stopwatch.StartNew();
        var staircase = new Staircase(settings.Design.Columns);
        var bench = new RowBench(settings.Technology, settings.Design, staircase.Program);
        var outcomes = new SampleOutcome[settings.Samples];
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

        int next = -1, done = 0;
        Exception? fatal = null;
        var threads = new Thread[workers];
        for (int w = 0; w < workers; w++)
        {
            NgSpiceEngine? own = w == 0 ? first : null;
            threads[w] = new Thread(() =>
            {
                try
                {
                    using var engine = own ?? NgSpiceEngine.Start();
                    var simulator = new RowSimulator(engine, bench);
                    var shifts = new double[bench.Devices.Count];
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < settings.Samples && Volatile.Read(ref fatal) is null)
                    {
                        VthDraws.Fill(settings.Seed, i, settings.SigmaVthVolts, shifts);
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
                        progress?.Report(new ProgressUpdate("Monte Carlo dies", finished, settings.Samples,
                            $"{workers} worker{(workers == 1 ? "" : "s")}"));
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
        return new MonteCarloResult(settings, staircase, bench, nominal, outcomes, version, clock.Elapsed.TotalSeconds, workers);
    }
}

/// <summary>One die: its settled V_SLP and V_SLN per staircase cycle, or why it failed.</summary>
public sealed record SampleOutcome(int Index, string? Failure, IReadOnlyList<double> SlpVolts, IReadOnlyList<double> SlnVolts)
{
    public bool Failed => Failure is not null;
}
