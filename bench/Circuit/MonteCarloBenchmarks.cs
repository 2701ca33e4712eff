using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Mbi.Circuit.Engine;
using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Transient;

namespace Mbi.Bench.Circuit;

/// <summary>
/// Monte Carlo throughput: <see cref="Dies"/> dies of a 32-column row transient (the 1-bit levels 0,
/// 8, 16 and 32 after one warm-up cycle: 5 cycles), each with fresh delta-Vth (sigma 60 mV) on all 514
/// transistors. Transients per second = Dies / mean time. Compared:
/// one worker (parse once, alter delvto per die), all cores (one private ngspice copy per worker),
/// and the naive path (one instance, the die's netlist written and parsed afresh per die).
/// Run: <c>dotnet run -c Release --project bench -- --filter '*MonteCarlo*'</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class MonteCarloBenchmarks
{
    public const int Dies = 8;
    private RowBench _bench = null!;
    private NgSpiceEngine _engine = null!;
    private RowSimulator _simulator = null!;
    private readonly double[] _shifts = new double[32 * 16 + 2];

    [GlobalSetup]
    public void Setup()
    {
        var staircase = new Staircase(32);
        var cycles = new[] { 0, 8, 16, 32 }.Select(level => staircase.Program.Cycles[level]).ToArray();
        _bench = new RowBench(Technology.Ptm16Lp(), new ArrayDesign(), new RowProgram(staircase.Program.Key, cycles));
        _engine = NgSpiceEngine.Start();
        _simulator = new RowSimulator(_engine, _bench);
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();

    [Benchmark(Baseline = true, Description = "naive: fresh parse per die, 1 instance")]
    public double NaiveFreshParse()
    {
        double sum = 0;
        for (int die = 0; die < Dies; die++)
        {
            VthDraws.Fill(1, die, 0.06, _shifts);
            sum += _simulator.RunFreshlyParsed(_shifts).SumVolts(1);
        }
        return sum;
    }

    [Benchmark(Description = "parse once + alter delvto, 1 worker")]
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

    [Benchmark(Description = "parse once + alter delvto, all cores")]
    public int AllCores() =>
        MonteCarloRunner.RunDies(_bench, 1, 0.06, Dies, Environment.ProcessorCount).Count(o => !o.Failed);
}
