using Mbi.Core.Errors;

namespace Mbi.Circuit.Adc;

/// <summary>
/// The 5-bit (by default) ADC that digitises V_SLP + V_SLN as a distance code. It is a mid-tread
/// quantiser counting LSBs down from the level-0 voltage: code = round((top - v) / lsb + offset + inl),
/// clamped to [0, 2^bits - 1]. With top = the nominal level-0 sum and lsb = the nominal one-level step,
/// level d reads code d and a readout is wrong once variation moves it by half a step: the paper's
/// "28 mV is enough for a 5-bit ADC" in those terms. Offset and a bow-shaped INL (peak in LSB at
/// mid-scale, zero at both ends) model a real converter.
/// </summary>
public sealed record SumLineAdc
{
    /// <summary>An ADC whose code 0 is centred on <paramref name="topVolts"/> (the level-0 sum) with steps of <paramref name="lsbVolts"/>.</summary>
    public SumLineAdc(int bits, double topVolts, double lsbVolts, double offsetLsb = 0, double inlPeakLsb = 0)
    {
        if (bits is < 1 or > 16) throw BadInputException.For("adc.bits", bits, "between 1 and 16", "5");
        if (!(lsbVolts > 0) || !double.IsFinite(lsbVolts))
            throw BadInputException.For("ADC LSB", lsbVolts, "a positive voltage (the nominal staircase must fall with distance)", "0.028");
        if (!double.IsFinite(offsetLsb)) throw BadInputException.For("adc.offset_lsb", offsetLsb, "a finite number of LSB", "0.2");
        if (!double.IsFinite(inlPeakLsb)) throw BadInputException.For("adc.inl_peak_lsb", inlPeakLsb, "a finite number of LSB", "0.3");
        Bits = bits; TopVolts = topVolts; LsbVolts = lsbVolts; OffsetLsb = offsetLsb; InlPeakLsb = inlPeakLsb;
    }

    /// <summary>Resolution in bits.</summary>
    public int Bits { get; }
    /// <summary>V_SLP + V_SLN read as code 0 (the nominal level-0 sum), in volts.</summary>
    public double TopVolts { get; }
    /// <summary>One code step in volts (the nominal one-level step of the staircase).</summary>
    public double LsbVolts { get; }
    /// <summary>Offset of every code transition, in LSB.</summary>
    public double OffsetLsb { get; }
    /// <summary>Integral non-linearity: the bow's peak at mid-scale, in LSB.</summary>
    public double InlPeakLsb { get; }
    /// <summary>The largest code, 2^Bits - 1.</summary>
    public int MaxCode => (1 << Bits) - 1;

    /// <summary>
    /// Relative error of each DAC capacitor (index i: the capacitor of weight 2^i), or null for exact binary weights.
    /// Set by <see cref="AdcMismatch.Apply"/>.
    /// </summary>
    public IReadOnlyList<double>? CapacitorErrors { get; private init; }

    /// <summary>This ADC with offset <paramref name="offsetLsb"/> and DAC capacitor errors <paramref name="capacitorErrors"/> (one per bit, LSB first).</summary>
    public SumLineAdc WithMismatch(double offsetLsb, IReadOnlyList<double> capacitorErrors)
    {
        if (capacitorErrors.Count != Bits) throw new ArgumentException($"{capacitorErrors.Count} capacitor errors for a {Bits}-bit ADC", nameof(capacitorErrors));
        if (!double.IsFinite(offsetLsb)) throw BadInputException.For("ADC offset", offsetLsb, "a finite number of LSB", "0.2");
        for (int i = 0; i < Bits; i++)
            if (!double.IsFinite(capacitorErrors[i]) || capacitorErrors[i] <= -1)
                throw BadInputException.For("ADC capacitor error", capacitorErrors[i], "a relative error above -1", "0.01");
        return new SumLineAdc(Bits, TopVolts, LsbVolts, offsetLsb, InlPeakLsb) { CapacitorErrors = [.. capacitorErrors] };
    }

    /// <summary>The code for a sum-line voltage, and whether it was clamped at either end of the range.</summary>
    public (int Code, bool Saturated) Convert(double sumVolts)
    {
        double x = (TopVolts - sumVolts) / LsbVolts + OffsetLsb;
        double u = 2 * x / MaxCode - 1;
        x += InlPeakLsb * (1 - u * u);
        if (CapacitorErrors is { } errors) return Successive(x, errors);
        double rounded = Math.Round(x, MidpointRounding.AwayFromZero);
        if (rounded < 0) return (0, true);
        if (rounded > MaxCode) return (MaxCode, true);
        return ((int)rounded, false);
    }

    /// <summary>
    /// The SAR's binary search with DAC weights 2^i (1 + e_i), x in LSB (offset and INL applied): MSB first, bit i is kept
    /// while x + 1/2 (the reference's half-LSB) reaches the weights kept so far plus its own. With every e_i = 0 this is the
    /// rounding of <see cref="Convert"/> exactly. Saturated: x below code 0's lower edge, or beyond the top code's upper
    /// edge (all weights plus one LSB).
    /// </summary>
    private (int Code, bool Saturated) Successive(double x, IReadOnlyList<double> errors)
    {
        double level = x + 0.5, kept = 0, full = 1;
        int code = 0;
        for (int i = Bits - 1; i >= 0; i--)
        {
            double weight = (1L << i) * (1 + errors[i]);
            full += weight;
            if (level >= kept + weight) { kept += weight; code |= 1 << i; }
        }
        return (code, level < 0 || level >= full);
    }
}
