using Mbi.Core.Randomness;

namespace Mbi.Circuit.Adc;

/// <summary>
/// Per-die, per-ADC static mismatch of the SAR ADC (docs/adc.md): the comparator's input-referred offset and the CDAC's
/// capacitor errors, drawn from SeededRandom(seed, stream "mbi.circuit.adc.mismatch", die x 2^32 + adc), so ADC a of
/// die d depends only on (seed, d, a): shards, workers and resumed runs see the same ADC. Draw order: the offset's unit
/// normal, then one per DAC capacitor from the LSB (weight 1) up to the MSB, always all of them, so that setting one sigma
/// to zero does not move the other's draws. With both sigmas zero the ADC is returned unchanged (the same codes, bit
/// for bit, as before the mismatch existed).
/// <para>
/// Offset: sigma <see cref="ComparatorOffsetSigmaLsb"/> in LSB of the 1-bit staircase's ADC (the LSB docs/adc.md measured
/// it in); it is a voltage at the comparator, so an ADC with a smaller LSB (2-bit elements: half) sees it as more LSB.
/// Capacitors: DAC capacitor i is 2^i unit capacitors of <see cref="UnitCapacitanceFarads"/>, each with relative error
/// sigma_u = A_C / sqrt(C_u) (Pelgrom's law for capacitors, <see cref="CapacitorMismatchRootFarads"/> = A_C), so its
/// relative error has sigma_u / sqrt(2^i). Left out: the gain error of the total sampled capacitance and the mismatch
/// between the SLP and SLN halves of each capacitor (both second order next to these two), and kT/C noise (0.03 LSB).
/// </para>
/// </summary>
public sealed record AdcMismatch(double ComparatorOffsetSigmaLsb, double CapacitorMismatchRootFarads, double UnitCapacitanceFarads)
{
    /// <summary>The random stream of the ADC draws.</summary>
    public static readonly ulong Stream = SeededRandom.StreamId("mbi.circuit.adc.mismatch");

    /// <summary>No mismatch: every ADC is the nominal one.</summary>
    public static AdcMismatch None { get; } = new(0, 0, 0.5e-15);

    /// <summary>True when neither the offset nor the capacitors vary.</summary>
    public bool IsZero => ComparatorOffsetSigmaLsb == 0 && CapacitorMismatchRootFarads == 0;

    /// <summary>Relative sigma of one unit capacitor, A_C / sqrt(C_u).</summary>
    public double UnitCapacitorSigma => CapacitorMismatchRootFarads / Math.Sqrt(UnitCapacitanceFarads);

    /// <summary>
    /// The comparator offset of unit normal <paramref name="z"/> in LSB of an ADC whose LSB is <paramref name="adcLsbVolts"/>:
    /// sigma is counted in LSB of <paramref name="referenceLsbVolts"/> (the 1-bit staircase's), the offset being a voltage.
    /// The one offset model of Mbi: per die and ADC here, per readout in `mbi tail`.
    /// </summary>
    public static double OffsetLsb(double sigmaLsb, double z, double referenceLsbVolts, double adcLsbVolts) =>
        sigmaLsb * z * referenceLsbVolts / adcLsbVolts;

    /// <summary>The index of ADC <paramref name="adc"/> of die <paramref name="die"/> in the stream.</summary>
    public static ulong DrawIndex(long die, uint adc) => ((ulong)(uint)die << 32) | adc;

    /// <summary>
    /// ADC <paramref name="adc"/> of die <paramref name="die"/>: <paramref name="nominal"/> with its drawn offset and capacitor
    /// errors; <paramref name="referenceLsbVolts"/> is the LSB the offset's sigma is counted in (the 1-bit staircase's). The
    /// nominal ADC itself when the mismatch is zero.
    /// </summary>
    public SumLineAdc Apply(SumLineAdc nominal, double referenceLsbVolts, ulong seed, long die, uint adc)
    {
        if (IsZero) return nominal;
        var random = new SeededRandom(seed, Stream, DrawIndex(die, adc));
        double offsetLsb = OffsetLsb(ComparatorOffsetSigmaLsb, random.NextGaussian(), referenceLsbVolts, nominal.LsbVolts);
        var errors = new double[nominal.Bits];
        double unit = UnitCapacitorSigma;
        for (int i = 0; i < errors.Length; i++) errors[i] = unit / Math.Sqrt(1L << i) * random.NextGaussian();
        return nominal.WithMismatch(nominal.OffsetLsb + offsetLsb, errors);
    }
}
