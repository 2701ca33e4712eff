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
    /// <summary>Validates <paramref name="settings"/>, simulates the nominal die and every Monte Carlo die with ngspice (the engine must be installed: <see cref="Mbi.Core.Errors.EngineMissingException"/> otherwise) and returns them all.</summary>
    /// <param name="cancellation">Stops the run between dies (Ctrl-C): the dies in flight finish and are journalled, then
    /// <see cref="OperationCanceledException"/> is thrown; a resumed run takes every finished die from the journal.</param>
    public static MonteCarloResult Run(MonteCarloSettings settings, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellation = default)
    {
        settings = settings.Validated();
        var clock = Stopwatch.StartNew();
        var staircase = new Staircase(settings.Design.Columns, settings.ReadOrder, settings.Seed);
        var bench = BenchOf(settings, staircase);
        int workers = settings.EffectiveWorkers;

        var decks = settings.SaveDecksDirectory is string folder ? new DeckFolder(folder) : null;
        double[] sigmas = settings.Mismatch.SigmasFor(bench.Devices, bench.Technology);
        // The journal is opened first: a journal of another run fails before any simulation, and a resumed run reads its
        // nominal die back instead of simulating it again (the nominal transient is journalled bit for bit).
        DieJournal? journal = settings.JournalPath is string path
            ? DieJournal.Open(path, FingerprintOf(settings, bench), settings.Samples,
                bench.Timings.Count, settings.FreshJournal, bench.Supplies)
            : null;
        NgSpiceEngine first;
        try
        {
            first = NgSpiceEngine.Start(); // started here so that a missing engine fails before any die; it becomes worker 0
        }
        catch
        {
            journal?.Dispose();
            throw;
        }
        try
        {
            decks?.Save(DeckFolder.NominalName, bench.Write());
        }
        catch
        {
            first.Dispose();
            journal?.Dispose();
            throw;
        }
        string version = first.Version;
        bool nominalResumed = journal?.Nominal is not null;
        // The nominal die is the pool's first task (unless journalled), so the other workers start on dies meanwhile. With
        // replayed drivers it runs first, alone, recording the chains' outputs the dies replay (a resumed run simulates it
        // again for its recording, and keeps the journalled result).
        var nominal = new NominalTask(journal?.Nominal);
        var dieBench = bench;
        using (journal)
        {
            // Nothing left to simulate (a merge, or a finished run read back): no recording is needed.
            if (settings.Drivers == DriverSimulation.Replayed && (Pending(settings.Samples, settings.Shard, journal).Any() || nominal.Result is null))
            {
                try
                {
                    progress?.Report(new ProgressUpdate("nominal die (recording the drivers)", 0, 1));
                    var (result, replay) = new RowSimulator(first, bench.Recording()).RunAndRecord();
                    if (nominal.Result is null)
                    {
                        nominal.Result = result.Reordered(staircase.SimulatedCycle);
                        journal?.AppendNominal(nominal.Result);
                    }
                    dieBench = bench.WithReplay(replay);
                    progress?.Report(new ProgressUpdate("nominal die (recording the drivers)", 1, 1));
                }
                catch
                {
                    first.Dispose();
                    throw;
                }
            }
            var shard = settings.Shard;
            int resumed = journal?.Completed.Keys.Count(i => shard?.Owns(i) ?? true) ?? 0;
            var outcomes = RunDies(dieBench, settings.Seed, sigmas, settings.Samples, workers, first, progress, journal, decks, shard, cancellation, nominal, staircase);
            if (shard is not null) outcomes = [.. outcomes.Where(o => o is not null)]; // a shard's result holds its own dies only
            if (nominal.Result is null)
            {
                cancellation.ThrowIfCancellationRequested(); // stopped before the nominal die ran
                throw new InvalidOperationException("a Monte Carlo run ended without its nominal die");
            }
            return new MonteCarloResult(settings, staircase, bench, nominal.Result, outcomes, version, clock.Elapsed.TotalSeconds, workers)
            {
                ResumedDies = resumed,
                DamagedJournalLines = journal?.DamagedLines ?? 0,
                NominalResumed = nominalResumed,
                DieBench = dieBench,
            };
        }
    }

    /// <summary>
    /// The journal fingerprint of a run of <paramref name="settings"/> on <paramref name="bench"/> (<see cref="BenchOf"/>): its
    /// nominal deck, seed and mismatch, and the driver replay when the dies replay the chains.
    /// </summary>
    internal static string FingerprintOf(MonteCarloSettings settings, RowBench bench) =>
        DieJournal.Fingerprint(bench, settings.Seed, settings.Mismatch, settings.Drivers == DriverSimulation.Replayed ? DriverReplay.Fingerprint : null);

    /// <summary>
    /// The bench a run of <paramref name="settings"/> simulates (its journal's fingerprint is this bench's): the levels in
    /// the read order (every result is put back in staircase order), and held storage: a read never writes, so the latches
    /// are left out (sum lines within 0.1 mV of the latched cells: docs/circuit.md); the run reports sum-line voltages only.
    /// </summary>
    internal static RowBench BenchOf(MonteCarloSettings settings, Staircase staircase) =>
        new(settings.Technology, settings.Design, staircase.SimulatedProgram, storage: CellStorage.Held);

    /// <summary>The dies a run (or its shard) still has to simulate: owned and not in the journal.</summary>
    private static IEnumerable<int> Pending(int samples, Shard? shard, DieJournal? journal) =>
        Enumerable.Range(0, samples).Where(i => (shard?.Owns(i) ?? true) && !(journal?.Completed.ContainsKey(i) ?? false));

    /// <summary>The nominal die of a run: read from the journal, or simulated as the worker pool's first task.</summary>
    internal sealed class NominalTask(RowResult? journalled)
    {
        public RowResult? Result { get; set; } = journalled;
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
    /// As above with one sigma(Vth) per device (<see cref="VthMismatch.SigmasFor"/>). With <paramref name="readOrder"/>, the bench
    /// runs its <see cref="Staircase.SimulatedProgram"/> and each die's voltages are put back in staircase order. With <paramref name="decks"/>,
    /// each newly simulated die's exact deck (its delvto values written in) is saved as die-NNNNNN.cir. With
    /// <paramref name="shard"/>, only the dies it owns are taken or simulated; the others stay null. With a <paramref name="nominal"/>
    /// that has no result yet, the nominal die (no shifts) is the pool's first task (journalled when done; its failure fails the run).
    /// </summary>
    internal static SampleOutcome[] RunDies(RowBench bench, ulong seed, double[] sigmaVolts, int samples, int workers,
        NgSpiceEngine? firstEngine = null, IProgress<ProgressUpdate>? progress = null, DieJournal? journal = null, DeckFolder? decks = null,
        Shard? shard = null, CancellationToken cancellation = default, NominalTask? nominal = null, Staircase? readOrder = null)
    {
        if (sigmaVolts.Length != bench.Devices.Count)
            throw new ArgumentException($"{sigmaVolts.Length} sigmas for {bench.Devices.Count} devices", nameof(sigmaVolts));
        var outcomes = new SampleOutcome[samples];
        int done = 0, owned = shard?.OwnedOf(samples) ?? samples;
        if (journal is not null)
            foreach (var (index, outcome) in journal.Completed)
                if (shard?.Owns(index) ?? true) { outcomes[index] = outcome; done++; }
        const int NominalDie = -1;
        int[] todo = [.. nominal is { Result: null } ? [NominalDie] : Array.Empty<int>(),
            .. Pending(samples, shard, journal)];
        if (todo.Length == 0)
        {
            firstEngine?.Dispose();
            return outcomes;
        }
        int threads = EnginePool.WorkerCount(workers, todo.Length);
        string workerNote = threads == 1 ? "1 worker" : $"{threads} workers";
        EnginePool.Run(todo.Length, workers, "mc", engine => new DieWorker(engine, bench), (worker, t) =>
        {
            if (cancellation.IsCancellationRequested) return; // Ctrl-C: the dies in flight finish, the rest are left for a resume
            int i = todo[t];
            if (i == NominalDie)
            {
                progress?.Report(new ProgressUpdate("nominal die", 0, 1));
                var result = worker.Simulator.Run();
                if (readOrder is not null) result = result.Reordered(readOrder.SimulatedCycle);
                journal?.AppendNominal(result);
                nominal!.Result = result;
                progress?.Report(new ProgressUpdate("nominal die", 1, 1));
                return;
            }
            VthDraws.Fill(seed, i, sigmaVolts, worker.Shifts);
            decks?.Save(DeckFolder.DieName(i), bench.Write(worker.Shifts));
            try
            {
                var result = worker.Simulator.Run(worker.Shifts);
                outcomes[i] = readOrder is null
                    ? new SampleOutcome(i, null, [.. result.SettledSlpVolts], [.. result.SettledSlnVolts])
                    : new SampleOutcome(i, null, readOrder.InStaircaseOrder(result.SettledSlpVolts), readOrder.InStaircaseOrder(result.SettledSlnVolts));
            }
            catch (SimulationFailedException e)
            {
                outcomes[i] = new SampleOutcome(i, e.Message, [], []);
                worker.Reload(); // a failed run can leave ngspice mid-analysis
            }
            journal?.Append(outcomes[i]);
            progress?.Report(new ProgressUpdate("Monte Carlo dies", Interlocked.Increment(ref done), owned, workerNote));
        }, firstEngine);
        if (todo.Any(i => i != NominalDie && outcomes[i] is null))
        {
            cancellation.ThrowIfCancellationRequested();
            throw new InvalidOperationException("a Monte Carlo run ended with dies missing");
        }
        return outcomes;
    }
}

/// <summary>A Monte Carlo worker's own simulator (on its own engine, the bench parsed once) and delta-Vth buffer.</summary>
file sealed class DieWorker(NgSpiceEngine engine, RowBench bench)
{
    public RowSimulator Simulator { get; private set; } = new(engine, bench);
    public double[] Shifts { get; } = new double[bench.Devices.Count];

    /// <summary>Parses the bench again on the same engine.</summary>
    public void Reload() => Simulator = new RowSimulator(engine, bench);
}

/// <summary>One die: its settled V_SLP and V_SLN per staircase cycle, or why it failed.</summary>
public sealed record SampleOutcome(int Index, string? Failure, IReadOnlyList<double> SlpVolts, IReadOnlyList<double> SlnVolts)
{
    /// <summary>True when the die's simulation failed.</summary>
    public bool Failed => Failure is not null;
}
