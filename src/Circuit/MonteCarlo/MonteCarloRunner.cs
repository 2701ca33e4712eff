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

        var decks = settings.SaveDecksDirectory is string folder ? new DeckFolder(folder) : null;
        double[] sigmas = settings.Mismatch.SigmasFor(bench.Devices, bench.Technology);
        // Started here so that a missing engine fails before any file is written; it becomes worker 0.
        var first = NgSpiceEngine.Start();
        string version = first.Version;
        DieJournal? journal = null;
        try
        {
            decks?.Save(DeckFolder.NominalName, bench.Write());
            if (settings.JournalPath is string path)
                journal = DieJournal.Open(path, DieJournal.Fingerprint(bench, settings.Seed, settings.Mismatch), settings.Samples,
                    bench.Timings.Count, settings.FreshJournal);
        }
        catch
        {
            first.Dispose();
            throw;
        }
        using (journal)
        {
            int resumed = journal?.Completed.Count ?? 0;
            // The nominal die is the first task of the worker pool, so the other workers start on dies meanwhile.
            var nominal = new NominalTask();
            var outcomes = RunDies(bench, settings.Seed, sigmas, settings.Samples, workers, first, progress, journal, decks, nominal);
            return new MonteCarloResult(settings, staircase, bench, nominal.Result!, outcomes, version, clock.Elapsed.TotalSeconds, workers) { ResumedDies = resumed };
        }
    }

    /// <summary>Receives the nominal die's transient when the nominal die runs inside the worker pool.</summary>
    internal sealed class NominalTask
    {
        public RowResult? Result { get; set; }
    }

    /// <summary>
    /// Runs <paramref name="samples"/> dies of any row bench on <paramref name="workers"/> engines (the
    /// first may be supplied, already started). Die i gets VthDraws(seed, i); failures are recorded. Dies
    /// in <paramref name="journal"/> are taken from it; each newly simulated die is appended to it.
    /// </summary>
    internal static SampleOutcome[] RunDies(RowBench bench, ulong seed, double sigmaVolts, int samples, int workers,
        NgSpiceEngine? firstEngine = null, IProgress<ProgressUpdate>? progress = null, DieJournal? journal = null, DeckFolder? decks = null)
    {
        VthDraws.Validate(sigmaVolts);
        return RunDies(bench, seed, Enumerable.Repeat(sigmaVolts, bench.Devices.Count).ToArray(), samples, workers, firstEngine, progress, journal, decks);
    }

    /// <summary>
    /// As above with one sigma(Vth) per device (<see cref="VthMismatch.SigmasFor"/>). With <paramref name="decks"/>,
    /// each newly simulated die's exact deck (its delvto values written in) is saved as die-NNNNNN.cir. With
    /// <paramref name="nominal"/>, the nominal die (no shifts) is the pool's first task; its failure fails the run.
    /// </summary>
    internal static SampleOutcome[] RunDies(RowBench bench, ulong seed, double[] sigmaVolts, int samples, int workers,
        NgSpiceEngine? firstEngine = null, IProgress<ProgressUpdate>? progress = null, DieJournal? journal = null, DeckFolder? decks = null,
        NominalTask? nominal = null)
    {
        if (sigmaVolts.Length != bench.Devices.Count)
            throw new ArgumentException($"{sigmaVolts.Length} sigmas for {bench.Devices.Count} devices", nameof(sigmaVolts));
        var outcomes = new SampleOutcome[samples];
        int done = 0;
        if (journal is not null)
            foreach (var (index, outcome) in journal.Completed) { outcomes[index] = outcome; done++; }
        const int NominalDie = -1;
        int[] todo = [.. (nominal is null ? [] : new[] { NominalDie }), .. Enumerable.Range(0, samples).Where(i => outcomes[i] is null)];
        if (todo.Length == 0)
        {
            firstEngine?.Dispose();
            return outcomes;
        }
        int next = -1;
        Exception? fatal = null;
        var threads = new Thread[Math.Clamp(workers, 1, todo.Length)];
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
                    int t;
                    while ((t = Interlocked.Increment(ref next)) < todo.Length && Volatile.Read(ref fatal) is null)
                    {
                        int i = todo[t];
                        if (i == NominalDie)
                        {
                            progress?.Report(new ProgressUpdate("nominal die", 0, 1));
                            nominal!.Result = simulator.Run();
                            progress?.Report(new ProgressUpdate("nominal die", 1, 1));
                            continue;
                        }
                        VthDraws.Fill(seed, i, sigmaVolts, shifts);
                        decks?.Save(DeckFolder.DieName(i), bench.Write(shifts));
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
                        journal?.Append(outcomes[i]);
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
