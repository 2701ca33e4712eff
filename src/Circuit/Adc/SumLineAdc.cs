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
internal sealed record SumLineAdc
{
    public SumLineAdc(int bits, double topVolts, double lsbVolts, double offsetLsb = 0, double inlPeakLsb = 0)
    {
        if (bits is < 1 or > 16) throw BadInputException.For("adc.bits", bits, "between 1 and 16", "5");
        if (!(lsbVolts > 0) || !double.IsFinite(lsbVolts))
            throw BadInputException.For("ADC LSB", lsbVolts, "a positive voltage (the nominal staircase must fall with distance)", "0.028");
        if (!double.IsFinite(offsetLsb)) throw BadInputException.For("adc.offset_lsb", offsetLsb, "a finite number of LSB", "0.2");
        if (!double.IsFinite(inlPeakLsb)) throw BadInputException.For("adc.inl_peak_lsb", inlPeakLsb, "a finite number of LSB", "0.3");
        Bits = bits; TopVolts = topVolts; LsbVolts = lsbVolts; OffsetLsb = offsetLsb; InlPeakLsb = inlPeakLsb;
    }

    public int Bits { get; }
    public double TopVolts { get; }
    public double LsbVolts { get; }
    public double OffsetLsb { get; }
    public double InlPeakLsb { get; }
    public int MaxCode => (1 << Bits) - 1;

    /// <summary>The code for a sum-line voltage, and whether it was clamped at either end of the range.</summary>
    public (int Code, bool Saturated) Convert(double sumVolts)
    {
        double x = (TopVolts - sumVolts) / LsbVolts + OffsetLsb;
        double u = 2 * x / MaxCode - 1;
        x += InlPeakLsb * (1 - u * u);
        double rounded = Math.Round(x, MidpointRounding.AwayFromZero);
        if (rounded < 0) return (0, true);
        if (rounded > MaxCode) return (MaxCode, true);
        return ((int)rounded, false);
    }
}
