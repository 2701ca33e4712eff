using System.Diagnostics;
using System.Globalization;
using Mbi.Algorithm.Memorization;
using Mbi.Circuit.Engine;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Periphery;
using Mbi.CoSim.Energy;
using Mbi.CoSim.Mapping;
using Mbi.Tests;

namespace Mbi.CoSim.Tests.Energy;

/// <summary>
/// The energy bands' ngspice points of a small design (8 columns, 2 cycles, a key of 1 two-bit patch element, 4 hidden
/// bits and a 3-level location, so both precisions run) that EnergyBandsTests checks: 12 metered row transients, 3 decoder
/// scans, 4 whole-row value reads, a SAR conversion and the leakage points, one after another on one engine (181 s on the
/// 2-core VM at load 6-10: rows 40 s, decoder 40 s, value reads 96 s, the rest 5 s). The longest single measurement of
/// this assembly after ReproduceTests' chain; its fixture sorts in the middle, so it used to start only once
/// ReproduceTests had finished and end the run alone. <see cref="Start"/>, called when the run begins
/// (<see cref="Tests.LongestMeasurementsFirst"/>), runs it on a thread of its own; <see cref="Result"/> waits for it.
/// A filtered run that leaves EnergyBandsTests out still starts it, and abandons it when the test host exits
/// (checked: such a run passes and exits at once; TempCopies deletes the engine's library copy on exit), at the cost
/// of the CPU it used meanwhile.
/// </summary>
internal static class SmallDesignBands
{
    public static readonly GlimpseKeySpec Spec = new(patchSize: 1, scales: 1, scaleFactor: 2, patchBits: 2, hiddenBits: 4, locationLevels: 3, glimpses: 1);
    public static readonly ArrayDesign Design = new() { Columns = 8 };
    public static readonly ArrayMapping Mapping = new(Spec, ColumnCoding.Binary, columns: 8);
    private static readonly BackgroundNgspice<(BandMeasurements Points, IReadOnlyList<string> Stages)> Run = new(Measure);

    /// <summary>Starts the measurement on a thread-pool thread, once; does nothing where ngspice is missing (EnergyBandsTests reports the skip).</summary>
    public static void Start() => Run.Start();

    /// <summary>The measured points and each stage's start time (started now if <see cref="Start"/> was not called); a failure is rethrown here.</summary>
    public static (BandMeasurements Points, IReadOnlyList<string> Stages) Result() => Run.Result();

    private static (BandMeasurements, IReadOnlyList<string>) Measure()
    {
        var stages = new StageClock();
        var points = EnergyBandMeasurement.Measure(Mapping, Technology.Ptm16Lp(), Design, new ValueReadDesign(), seed: 1, cycles: 2, adcConversions: 1, stages);
        return (points, stages.Lines);
    }

    /// <summary>Each measurement stage with the seconds since the measurement began: where the minutes go.</summary>
    private sealed class StageClock : IProgress<string>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get { lock (_lines) return [.. _lines, string.Create(CultureInfo.InvariantCulture, $"{_clock.Elapsed.TotalSeconds,7:F1} s  done")]; }
        }

        public void Report(string value)
        {
            lock (_lines) _lines.Add(string.Create(CultureInfo.InvariantCulture, $"{_clock.Elapsed.TotalSeconds,7:F1} s  {value}"));
        }
    }
}
