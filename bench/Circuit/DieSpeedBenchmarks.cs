using System.Diagnostics;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;

namespace Mbi.Bench.Circuit;

/// <summary>
/// Monte Carlo dies per second on the default bench (12T row-gated cell, 31 merged unselected rows, driver
/// chains, ADC CDAC load; the full 84-cycle staircase), side by side with the anchor: plain <c>ngspice -b</c>
/// on the full deck a user would write (every cell's latch simulated) at the default, converged solver options
/// (<see cref="ArrayDesign.MaxStepSeconds"/>, <see cref="ArrayDesign.RelativeTolerance"/>). Mbi runs its own deck
/// (<see cref="CellStorage.Held"/>: the latches left out, what <c>mbi mc</c> simulates; both decks within 0.1 mV of
/// the converged reference, docs/circuit.md). Every operation simulates the same <see cref="Dies"/> dies (seed 1,
/// sigma(Vth) 60 mV): plain ngspice runs them one after the other, one process per die, with its own default
/// threading (OpenMP over every core); Mbi runs them on its worker pool (one single-threaded ngspice copy per
/// core), parsed once, delvto altered per die. "plain ngspice -b, Mbi's held deck" separates what the deck buys
/// from what Mbi's engine handling buys; the previous default (100 ps, reltol 1e-3; not converged) is kept beside.
/// MBI_BENCH_PROGRAM=short runs the 13-cycle subset of the convergence study (1-bit levels 0, 1, 16, 31, 32, the
/// settling cycle, 2-bit levels 0, 1, 2, 31, 32, 47, 48) instead of the 84 cycles, for a machine too loaded for the
/// full staircase; MBI_BENCH_PROGRAM=tiny three cycles (1-bit levels 1 and 32, 2-bit level 48); say which ran.
/// Run: <c>dotnet run -c Release --project bench -- --filter '*DieSpeed*'</c> (tens of minutes; say the load).
/// </summary>
// No MemoryDiagnoser: ngspice's memory is unmanaged (the diagnoser sees none of it) and its extra operation would add a
// whole extra run of minutes-long dies to every row.
[Config(typeof(Config))]
public class DieSpeedBenchmarks
{
    /// <summary>
    /// One operation takes minutes: no warm-up (nothing to warm that a minute-long run would notice), in-process with
    /// a 3-hour limit (the in-process toolchain's default limit stops a benchmark of this length).
    /// </summary>
    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1)
            .WithWarmupCount(0).WithIterationCount(Iterations).WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(3), logOutput: true)));

        private static int Iterations =>
            int.TryParse(Environment.GetEnvironmentVariable("MBI_BENCH_ITERATIONS"), out int n) && n > 0 ? n : 2;
    }

    /// <summary>Dies per operation: one per core, so that Mbi's pool is full.</summary>
    public static readonly int Dies = Environment.ProcessorCount;

    /// <summary>The default bench before the convergence study (this suite's anchor): 100 ps maximum step, reltol 1e-3.</summary>
    internal static ArrayDesign PreviousDefault => new() { MaxStepSeconds = 100e-12, RelativeTolerance = 1e-3 };

    /// <summary>The staircase program the suite runs: all 84 cycles, the 13-cycle subset (MBI_BENCH_PROGRAM=short) or 3 cycles (=tiny).</summary>
    internal static RowProgram Program()
    {
        var staircase = new Staircase(32);
        string? which = Environment.GetEnvironmentVariable("MBI_BENCH_PROGRAM");
        if (which == "tiny")
            return new RowProgram(staircase.Program.Key, [staircase.Program.Cycles[1], staircase.Program.Cycles[32],
                staircase.Program.Cycles[staircase.FirstCycle(2) + 48]]);
        if (which != "short") return staircase.Program;
        int[] oneBit = [0, 1, 16, 31, 32];
        int[] twoBit = [-1, 0, 1, 2, 31, 32, 47, 48];
        return new RowProgram(staircase.Program.Key, [.. oneBit.Select(l => staircase.Program.Cycles[l]),
            .. twoBit.Select(l => staircase.Program.Cycles[staircase.FirstCycle(2) + l])]);
    }

    private string _folder = null!;
    private RowBench _held = null!;
    private RowBench _replayed = null!;
    private static DriverReplay? s_replay;
    private double[] _sigmas = null!;

    [GlobalSetup]
    public void Setup()
    {
        var technology = Technology.Ptm16Lp();
        var program = Program();
        var latched = new RowBench(technology, new ArrayDesign(), program);
        _held = new RowBench(technology, new ArrayDesign(), program, storage: CellStorage.Held);
        var previous = new RowBench(technology, PreviousDefault, program);
        _folder = Directory.CreateTempSubdirectory("mbi-die-speed-").FullName;
        var mismatch = new VthMismatch(0.060);
        _sigmas = mismatch.SigmasFor(_held.Devices, technology);
        var shifts = new double[_held.Devices.Count];
        for (int die = 0; die < Dies; die++)
        {
            mismatch.Fill(latched, 1, die, shifts);
            File.WriteAllText(DeckPath("previous", die), previous.Write(shifts));
            File.WriteAllText(DeckPath("latched", die), latched.Write(shifts));
            File.WriteAllText(DeckPath("held", die), _held.Write(shifts));
        }
        // The recording a run makes on its nominal die (held storage, every chain simulated), once, outside the timed operations;
        // its cost is printed here and is the "whole run" row's first task.
        // In-process, every benchmark case's setup runs in this process: the recording is made once.
        if (s_replay is null)
        {
            var clock = Stopwatch.StartNew();
            using (var engine = Mbi.Circuit.Engine.NgSpiceEngine.Start())
                s_replay = new Mbi.Circuit.Transient.RowSimulator(engine, _held.Recording()).RunAndRecord().Replay;
            Console.WriteLine($"// DieSpeed: nominal die with its driver recording: {clock.Elapsed.TotalSeconds:F1} s wall, {s_replay.Points} time points kept over {_held.Chains.Count} lines");
        }
        _replayed = _held.WithReplay(s_replay);
        Console.WriteLine($"// DieSpeed: {program.Cycles.Count} cycles + warm-up, {Dies} dies per operation, load average {LoadAverage()}");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    private string DeckPath(string which, int die) => Path.Combine(_folder, $"{which}-die-{die:D6}.cir");

    [Benchmark(Baseline = true, Description = "plain ngspice -b, full deck (latched cells), default converged options")]
    public int PlainNgspiceLatchedDeck() => PlainNgspice("latched");

    [Benchmark(Description = "plain ngspice -b, Mbi's held-storage deck")]
    public int PlainNgspiceHeldDeck() => PlainNgspice("held");

    [Benchmark(Description = "plain ngspice -b, previous default deck (100 ps, reltol 1e-3, latched; not converged)")]
    public int PlainNgspicePreviousDeck() => PlainNgspice("previous");

    [Benchmark(Description = "mbi: held-storage deck, parse once + alter delvto, one worker per core")]
    public int MbiAllCores() => MonteCarloRunner.RunDies(_held, 1, _sigmas, Dies, Environment.ProcessorCount).Count(o => !o.Failed);

    [Benchmark(Description = "mbi: held storage, drivers replayed from the nominal die's recording (mc's default), one worker per core")]
    public int MbiReplayedAllCores() => MonteCarloRunner.RunDies(_replayed, 1, _sigmas, Dies, Environment.ProcessorCount).Count(o => !o.Failed);

    [Benchmark(Description = "mbi: a whole run of Dies dies as mc makes it: the nominal die recording its drivers, then the dies replayed, one worker per core")]
    public int MbiReplayedWholeRun()
    {
        var engine = Mbi.Circuit.Engine.NgSpiceEngine.Start(); // worker 0 after the recording; the pool disposes it
        var replay = new Mbi.Circuit.Transient.RowSimulator(engine, _held.Recording()).RunAndRecord().Replay;
        return MonteCarloRunner.RunDies(_held.WithReplay(replay), 1, _sigmas, Dies, Environment.ProcessorCount, engine).Count(o => !o.Failed);
    }

    [Benchmark(Description = "mbi: held-storage deck, parse once + alter delvto, 1 worker")]
    public int MbiOneWorker() => MonteCarloRunner.RunDies(_held, 1, _sigmas, Dies, 1).Count(o => !o.Failed);

    private int PlainNgspice(string which)
    {
        int ok = 0;
        for (int die = 0; die < Dies; die++)
        {
            var start = new ProcessStartInfo("ngspice", ["-b", DeckPath(which, die)])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("ngspice could not be started");
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            _ = error.Result;
            // A die counts only when ngspice measured every cycle's sum lines.
            if (process.ExitCode == 0 && Regex.IsMatch(output, $@"^sln_{_held.Timings.Count - 1}\s+=", RegexOptions.Multiline)) ok++;
        }
        if (ok != Dies) throw new InvalidOperationException($"plain ngspice finished {ok} of {Dies} dies ({which} deck)");
        return ok;
    }
}
