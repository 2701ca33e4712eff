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
/// on the die's deck as <c>mbi mc --save-decks</c> wrote it before this suite existed (100 ps maximum step,
/// ngspice's default reltol 1e-3). Every operation simulates the same <see cref="Dies"/> dies (seed 1,
/// sigma(Vth) 60 mV): plain ngspice runs them one after the other, one process per die, with its own default
/// threading (OpenMP over every core); Mbi runs them on its worker pool (one single-threaded ngspice copy per
/// core), parsed once, delvto altered per die. "plain ngspice -b, new deck" separates what the deck's new
/// options buy from what Mbi's engine handling buys.
/// Run: <c>dotnet run -c Release --project bench -- --filter '*DieSpeed*'</c> (tens of minutes; say the load).
/// </summary>
[MemoryDiagnoser]
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

    private string _folder = null!;
    private RowBench _bench = null!;
    private double[] _sigmas = null!;

    [GlobalSetup]
    public void Setup()
    {
        var technology = Technology.Ptm16Lp();
        var program = new Staircase(32).Program;
        _bench = new RowBench(technology, new ArrayDesign(), program);
        var previous = new RowBench(technology, PreviousDefault, program);
        _folder = Directory.CreateTempSubdirectory("mbi-die-speed-").FullName;
        var mismatch = new VthMismatch(0.060);
        _sigmas = mismatch.SigmasFor(_bench.Devices, technology);
        var shifts = new double[_bench.Devices.Count];
        for (int die = 0; die < Dies; die++)
        {
            mismatch.Fill(_bench, 1, die, shifts);
            File.WriteAllText(DeckPath("previous", die), previous.Write(shifts));
            File.WriteAllText(DeckPath("new", die), _bench.Write(shifts));
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    private string DeckPath(string which, int die) => Path.Combine(_folder, $"{which}-die-{die:D6}.cir");

    [Benchmark(Baseline = true, Description = "plain ngspice -b, previous default deck (100 ps, reltol 1e-3)")]
    public int PlainNgspicePreviousDeck() => PlainNgspice("previous");

    [Benchmark(Description = "plain ngspice -b, new default deck")]
    public int PlainNgspiceNewDeck() => PlainNgspice("new");

    [Benchmark(Description = "mbi: new default deck, parse once + alter delvto, one worker per core")]
    public int MbiAllCores() => MonteCarloRunner.RunDies(_bench, 1, _sigmas, Dies, Environment.ProcessorCount).Count(o => !o.Failed);

    [Benchmark(Description = "mbi: new default deck, parse once + alter delvto, 1 worker")]
    public int MbiOneWorker() => MonteCarloRunner.RunDies(_bench, 1, _sigmas, Dies, 1).Count(o => !o.Failed);

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
            if (process.ExitCode == 0 && Regex.IsMatch(output, $@"^sln_{_bench.Timings.Count - 1}\s+=", RegexOptions.Multiline)) ok++;
        }
        if (ok != Dies) throw new InvalidOperationException($"plain ngspice finished {ok} of {Dies} dies ({which} deck)");
        return ok;
    }
}
