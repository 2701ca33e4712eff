using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Mapping;

namespace Mbi.Bench.CoSim;

/// <summary>
/// One 32-column row read on a 60 mV die: the compact model (cached per-cell drops, charge sharing, ADC)
/// against an ngspice row transient of the same key, query and delta-Vth draws. Target (issue 5): the compact
/// model >= 10^4 x faster. Both read one row; the spice path includes its netlist write and parse, as a
/// circuit-in-the-loop lookup would.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class CompactVsSpiceBenchmarks
{
    private CompactArrayModel _compact = null!;
    private SpiceArrayModel _spice = null!;
    private readonly ulong[] _keys = new ulong[32];
    private readonly int[] _codes = new int[1];
    private ArraySplit _split = null!;
    private ulong _query;

    [GlobalSetup]
    public void Setup()
    {
        var calibration = CompactCalibration.LoadOrCharacterise(Technology.Ptm16Lp(), new ArrayDesign(), 2, BenchPaths.Cache, Environment.ProcessorCount);
        _compact = new CompactArrayModel(calibration, 5, seed: 1, die: 0, sigmaVolts: 0.060);
        _spice = new SpiceArrayModel(Technology.Ptm16Lp(), new ArrayDesign(), calibration, 5, seed: 1, die: 0, sigmaVolts: 0.060);
        var random = new global::Mbi.Core.Randomness.SeededRandom(2);
        for (int r = 0; r < _keys.Length; r++) _keys[r] = random.NextUInt64() & 0xFFFF_FFFF;
        _query = (_keys[0] ^ (random.NextUInt64() & random.NextUInt64())) & 0xFFFF_FFFF;
        _split = new ArraySplit(0, KeyComponent.Hidden, 0, 32, 1, 1, ColumnCoding.Binary, 32);
        _compact.SumVolts(new ArrayId(0, 0), _split, _keys, 0, _query); // draws the array once, as a lookup's first read does
    }

    [GlobalCleanup]
    public void Cleanup() => _spice.Dispose();

    [Benchmark(Baseline = true, Description = "ngspice row transient")]
    public double SpiceRow() => _spice.SumVolts(new ArrayId(0, 0), _split, _keys[0], 0, [_query])[0];

    [Benchmark(Description = "compact model row")]
    public int CompactRow()
    {
        _compact.Read(new ArrayId(0, 0), _split, _keys.AsSpan(0, 1), _query, _codes);
        return _codes[0];
    }
}

/// <summary>
/// In-process runs: the suites need ngspice, models/ and MNIST from the repository, and on a shared 2-core
/// machine BenchmarkDotNet's per-benchmark rebuild of the boilerplate project timed out (2 min).
/// </summary>
public class InProcessConfig : ManualConfig
{
    public InProcessConfig()
    {
        AddJob(Job.Default.WithWarmupCount(1).WithIterationCount(5).WithToolchain(InProcessEmitToolchain.Instance));
    }
}
