using Mbi.Circuit.Adc;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.Core.Errors;

namespace Mbi.Circuit.MonteCarlo;

/// <summary>One Monte Carlo run: how many dies, the seed, sigma(Vth), the design and the ADC.</summary>
public sealed record MonteCarloSettings
{
    /// <summary>The transistor technology every die is simulated in.</summary>
    public required Technology Technology { get; init; }
    /// <summary>The array design and timing of the row bench.</summary>
    public ArrayDesign Design { get; init; } = new();
    /// <summary>Monte Carlo dies, 1..1000000 (the nominal die is extra).</summary>
    public int Samples { get; init; } = 200;
    /// <summary>Seed of the delta-Vth draws: die i depends only on (Seed, i).</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Standard deviation of every device's delta-Vth, in volts (default 60 mV); unused when <see cref="PelgromAvtVoltMeters"/> is set.</summary>
    public double SigmaVthVolts { get; init; } = 0.060;
    /// <summary>
    /// Pelgrom coefficient A_VT in V.m (1 mV.um = 1e-9 V.m): when set, each device's sigma(Vth) is
    /// A_VT / sqrt(W L m) from its size and <see cref="SigmaVthVolts"/> is not used. Null: one sigma for all.
    /// </summary>
    public double? PelgromAvtVoltMeters { get; init; }
    /// <summary>
    /// Folder that receives every deck the run simulates (nominal.cir and die-NNNNNN.cir, each runnable
    /// unchanged with <c>ngspice -b</c>); null: none written. Dies read back from a journal are not re-written.
    /// </summary>
    public string? SaveDecksDirectory { get; init; }

    /// <summary>
    /// The order each die reads its levels in: one at a time (<see cref="MonteCarlo.ReadOrder.Staircase"/>, default) or a random
    /// permutation within each mode drawn from <see cref="Seed"/> (<see cref="MonteCarlo.ReadOrder.Random"/>), which shows what a
    /// read carries from the level read before it. Results are reported per level either way.
    /// </summary>
    public ReadOrder ReadOrder { get; init; } = ReadOrder.Staircase;

    /// <summary>
    /// How the dies drive their lines: the driver chains replayed from the nominal die's recording (<see cref="DriverSimulation.Replayed"/>,
    /// default) or simulated in every die. The nominal die always simulates them.
    /// </summary>
    public DriverSimulation Drivers { get; init; } = DriverSimulation.Replayed;

    internal VthMismatch Mismatch => new(SigmaVthVolts, PelgromAvtVoltMeters);
    /// <summary>Worker engines (one private ngspice copy each); 0 = one per core.</summary>
    public int Workers { get; init; }
    /// <summary>ADC resolution in bits (the design file's adc.bits).</summary>
    public int AdcBits { get; init; } = 5;
    /// <summary>ADC offset in LSB (adc.offset_lsb).</summary>
    public double AdcOffsetLsb { get; init; }
    /// <summary>ADC INL bow peak in LSB (adc.inl_peak_lsb).</summary>
    public double AdcInlPeakLsb { get; init; }
    /// <summary>Std. deviation of the comparator offset per die, in LSB (adc.comparator_offset_sigma_lsb; <see cref="AdcMismatch"/>).</summary>
    public double AdcComparatorOffsetSigmaLsb { get; init; } = AdcDesign.DefaultComparatorOffsetSigmaLsb;
    /// <summary>Pelgrom coefficient of the CDAC's capacitors in sqrt(F) (adc.capacitor_mismatch_root_farads).</summary>
    public double AdcCapacitorMismatchRootFarads { get; init; } = AdcDesign.DefaultCapacitorMismatchRootFarads;
    /// <summary>The CDAC's unit capacitor in farads (adc.unit_capacitance_farads).</summary>
    public double AdcUnitCapacitanceFarads { get; init; } = new AdcDesign().UnitCapacitanceFarads;
    /// <summary>The SPICE SAR's clock period (adc.sar_clock_period_seconds): not used by the Monte Carlo's ADC, carried so the design it records is the one it was given.</summary>
    public double AdcSarClockPeriodSeconds { get; init; } = AdcDesign.DefaultSarClockPeriodSeconds;
    /// <summary>
    /// Journal of finished dies (<see cref="DieJournal"/>): dies already in it are read back instead of
    /// simulated, new ones are appended as they finish. Null: no journal.
    /// </summary>
    public string? JournalPath { get; init; }
    /// <summary>Discard an existing journal instead of resuming from it.</summary>
    public bool FreshJournal { get; init; }
    /// <summary>Simulate only the dies this shard owns (<see cref="MonteCarlo.Shard"/>); the result holds only those. Null: all dies.</summary>
    public Shard? Shard { get; init; }

    /// <summary>Checks every value once (names the parameter or design field); returns this.</summary>
    public MonteCarloSettings Validated()
    {
        Design.Validated();
        if (Samples < 1 || Samples > 1_000_000) throw BadInputException.For("samples", Samples, "between 1 and 1000000", "200");
        Mismatch.Validated();
        if (Workers < 0 || Workers > 256) throw BadInputException.For("workers", Workers, "between 0 (one per core) and 256", "0");
        Adc.Validated();
        if (!Enum.IsDefined(Drivers)) throw BadInputException.For("drivers", Drivers, "replayed or simulated", "replayed");
        if (!Enum.IsDefined(ReadOrder)) throw BadInputException.For("read order", ReadOrder, "staircase or random", "random");
        _ = new Staircase(Design.Columns); // the staircase needs column pairs: an odd count fails here, before any die runs
        return this;
    }

    /// <summary>The ADC fields as the design file's adc section (whose ranges they are checked against).</summary>
    public AdcDesign Adc => new()
    {
        Bits = AdcBits, OffsetLsb = AdcOffsetLsb, InlPeakLsb = AdcInlPeakLsb, ComparatorOffsetSigmaLsb = AdcComparatorOffsetSigmaLsb,
        CapacitorMismatchRootFarads = AdcCapacitorMismatchRootFarads, UnitCapacitanceFarads = AdcUnitCapacitanceFarads,
        SarClockPeriodSeconds = AdcSarClockPeriodSeconds,
    };

    /// <summary>Worker engines the run will start: <see cref="Workers"/> (0: one per core), at most one per die.</summary>
    public int EffectiveWorkers => Math.Max(1, Math.Min(Workers == 0 ? Environment.ProcessorCount : Workers, Samples));
}
