using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Mbi.Circuit.Engine;
using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Transient;

namespace Mbi.Bench.Circuit;

/// <summary>
/// Monte Carlo throughput on a 32-column row: <see cref="Dies"/> dies, each read at the 1-bit levels
/// 0, 8, 16 and 32 with fresh delta-Vth (sigma 60 mV) on all 514 transistors. Compared:
/// naive (one instance; every (die, level) is its own netlist, parsed afresh, one cycle after the
/// operating point), one worker (Mbi's path: one transient per die running the levels as consecutive
/// cycles after a warm-up cycle, the netlist parsed once and only delvto altered per die), and all
/// cores (the same on one private ngspice copy per core).
/// Run: <c>dotnet run -c Release --project bench -- --filter '*MonteCarlo*'</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class MonteCarloBenchmarks
{
    /// <summary>
    /// Each operation takes seconds, so a few monitored iterations suffice; in-process, because on a
    /// loaded 2-core machine generating and building the boilerplate project timed out.
    /// </summary>
    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1)
            .WithWarmupCount(1).WithIterationCount(3).WithToolchain(InProcessEmitToolchain.Instance));
    }

    public const int Dies = 4;
    private static readonly int[] Levels = [0, 8, 16, 32];
    private RowBench _bench = null!;
    private RowBench[] _singleLevel = null!;
    private NgSpiceEngine _engine = null!;
    private RowSimulator _simulator = null!;
    private RowSimulator[] _naive = null!;
    private readonly double[] _shifts = new double[32 * 16 + 2];

    [GlobalSetup]
    public void Setup()
    {
        var staircase = new Staircase(32);
        var technology = Technology.Ptm16Lp();
        var cycles = Levels.Select(level => staircase.Program.Cycles[level]).ToArray();
        _bench = new RowBench(technology, new ArrayDesign(), new RowProgram(staircase.Program.Key, cycles));
        _singleLevel = cycles.Select(c => new RowBench(technology, new ArrayDesign(), new RowProgram(staircase.Program.Key, [c]), warmUp: false)).ToArray();
        _engine = NgSpiceEngine.Start();
        _simulator = new RowSimulator(_engine, _bench);
        _naive = _singleLevel.Select(b => new RowSimulator(_engine, b)).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();

    [Benchmark(Baseline = true, Description = "naive: fresh parse per (die, level), 1 instance")]
    public double NaiveFreshParse()
    {
        double sum = 0;
        for (int die = 0; die < Dies; die++)
        {
            VthDraws.Fill(1, die, 0.06, _shifts);
            foreach (var level in _naive) sum += level.RunFreshlyParsed(_shifts).SumVolts(0);
        }
        return sum;
    }

    [Benchmark(Description = "levels as cycles, parse once + alter delvto, 1 worker")]
    public double OneWorker()
    {
        double sum = 0;
        for (int die = 0; die < Dies; die++)
        {
            VthDraws.Fill(1, die, 0.06, _shifts);
            sum += _simulator.Run(_shifts).SumVolts(1);
        }
        return sum;
    }

    [Benchmark(Description = "levels as cycles, parse once + alter delvto, all cores")]
    public int AllCores() =>
        MonteCarloRunner.RunDies(_bench, 1, 0.06, Dies, Environment.ProcessorCount).Count(o => !o.Failed);
}
