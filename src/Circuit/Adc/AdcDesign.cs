using Mbi.Circuit.Design;
using Mbi.Core.Errors;
using Mbi.Core.Units;

namespace Mbi.Circuit.Adc;

/// <summary>
/// The sum-line ADC of a design: resolution and the static errors applied to every readout
/// (see <see cref="SumLineAdc"/>). Ranges are declared here, once.
/// </summary>
public sealed record AdcDesign
{
    /// <summary>The design file section these fields live in.</summary>
    public const string Section = "adc";

    /// <summary>ADC resolution in bits, 1..16 (default 5, the paper's).</summary>
    public int Bits { get; init; } = 5;
    /// <summary>Offset of every code transition, in LSB.</summary>
    public double OffsetLsb { get; init; }
    /// <summary>Integral non-linearity: bow peak at mid-scale, in LSB.</summary>
    public double InlPeakLsb { get; init; }

    /// <summary>
    /// Std. deviation of the comparator's input-referred offset, drawn per die and per ADC (<see cref="AdcMismatch"/>), in
    /// LSB of the 1-bit staircase's ADC; 0..64. Default 0: the default design assumes an offset-cancelled comparator
    /// (auto-zero or a foreground trim; its residual is not modelled), because uncalibrated the SPICE SAR's minimum-device
    /// comparator under the project's sigma(Vth) = 60 mV on every device has 11.1 LSB (docs/adc.md, "Comparator offset":
    /// 100.8 mV at the comparator over 47 dies, 11.1 LSB of 9.1 mV), which reads about 95 % of 1-bit codes wrong (docs/adc.md).
    /// Set this field to what a design's calibration leaves, or 11.1 for the uncalibrated comparator.
    /// </summary>
    public double ComparatorOffsetSigmaLsb { get; init; } = DefaultComparatorOffsetSigmaLsb;

    /// <summary>Default of <see cref="ComparatorOffsetSigmaLsb"/>: 0, an offset-cancelled comparator (docs/adc.md).</summary>
    public const double DefaultComparatorOffsetSigmaLsb = 0;

    /// <summary>
    /// Pelgrom coefficient of the CDAC's capacitors, A_C in sqrt(F): one capacitor C has relative error sigma(dC/C) =
    /// A_C / sqrt(C); drawn per die and per ADC (<see cref="AdcMismatch"/>); 0..1e-8. Default 3.16e-10 = 1 % x sqrt(1 fF):
    /// the order reported for sub-femtofarad metal-fringe (MOM) capacitors in nanometre CMOS (V. Tripathi, B. Murmann,
    /// "Mismatch Characterization of Small Metal Fringe Capacitors", IEEE TCAS-I 61(8), 2014; M. Omran et al.,
    /// "Matching Properties of Femtofarad and Sub-Femtofarad MOM Capacitors", IEEE TCAS-I 63(6), 2016), about 1.4 % for
    /// the 0.5 fF unit of <see cref="UnitCapacitanceFarads"/>.
    /// </summary>
    public double CapacitorMismatchRootFarads { get; init; } = DefaultCapacitorMismatchRootFarads;

    /// <summary>Default of <see cref="CapacitorMismatchRootFarads"/>: 1 % at 1 fF.</summary>
    public const double DefaultCapacitorMismatchRootFarads = 3.1622776601683794e-10;

    /// <summary>The CDAC's unit capacitor (weight 1 LSB), in farads: 0.5 fF, Mbi's SPICE SAR's (<see cref="SarAdcDesign.UnitCapacitanceFarads"/>).</summary>
    public double UnitCapacitanceFarads { get; init; } = 0.5e-15;

    /// <summary>
    /// The SPICE SAR ADC's clock period, in seconds: one bit decision per period, a conversion is
    /// <see cref="SarAdcDesign.PeriodsPerConversion"/> periods (9 at 5 bits), so the row's ADC time and the latency grow with it.
    /// 0.2 ns..100 ns (the clock's 20 ps edges must stay a tenth of a period). Default 2 ns, which converts every code at TT
    /// and at SS 27 C but not at SS 85 C, where 3 ns does (docs/energy/ss-corner/). Optional in the file: at the default the
    /// field is left out, so designs written before it existed keep their text and hash (<see cref="DesignFile"/>).
    /// </summary>
    public double SarClockPeriodSeconds { get; init; } = DefaultSarClockPeriodSeconds;

    /// <summary>Default of <see cref="SarClockPeriodSeconds"/>: 2 ns, the SPICE SAR's clock before the field existed.</summary>
    public const double DefaultSarClockPeriodSeconds = 2e-9;

    /// <summary>The transistor-level SAR this section's clock runs (the bench's other sizes are its defaults).</summary>
    internal SarAdcDesign SarAdc => new() { ClockPeriodSeconds = SarClockPeriodSeconds };

    /// <summary>The per-die mismatch these fields describe.</summary>
    public AdcMismatch Mismatch => new(ComparatorOffsetSigmaLsb, CapacitorMismatchRootFarads, UnitCapacitanceFarads);

    /// <summary>Checks every field once; a message names the design-file field (e.g. adc.bits). Returns this.</summary>
    public AdcDesign Validated()
    {
        if (Bits is < 1 or > 16) throw BadInputException.For(DesignField.Name(Section, nameof(Bits)), Bits, "between 1 and 16", "5");
        if (!double.IsFinite(OffsetLsb) || Math.Abs(OffsetLsb) > 8)
            throw BadInputException.For(DesignField.Name(Section, nameof(OffsetLsb)), OffsetLsb, "between -8 and 8 LSB", "0.2");
        if (!double.IsFinite(InlPeakLsb) || Math.Abs(InlPeakLsb) > 8)
            throw BadInputException.For(DesignField.Name(Section, nameof(InlPeakLsb)), InlPeakLsb, "between -8 and 8 LSB", "0.3");
        if (!double.IsFinite(ComparatorOffsetSigmaLsb) || ComparatorOffsetSigmaLsb < 0 || ComparatorOffsetSigmaLsb > 64)
            throw BadInputException.For(DesignField.Name(Section, nameof(ComparatorOffsetSigmaLsb)), ComparatorOffsetSigmaLsb, "between 0 and 64 LSB", "11.1");
        if (!double.IsFinite(CapacitorMismatchRootFarads) || CapacitorMismatchRootFarads < 0 || CapacitorMismatchRootFarads > 1e-8)
            throw BadInputException.For(DesignField.Name(Section, nameof(CapacitorMismatchRootFarads)), CapacitorMismatchRootFarads,
                "between 0 and 1e-8 sqrt(F) (1e-8: 32 % at 1 fF)", "3.16e-10");
        if (!double.IsFinite(UnitCapacitanceFarads) || UnitCapacitanceFarads < 1e-17 || UnitCapacitanceFarads > 1e-12)
            throw BadInputException.For(DesignField.Name(Section, nameof(UnitCapacitanceFarads)), UnitCapacitanceFarads, "between 10 aF and 1 pF", "5e-16");
        if (!(SarClockPeriodSeconds >= 0.2e-9 && SarClockPeriodSeconds <= 100e-9))
            throw BadInputException.For(DesignField.Name(Section, nameof(SarClockPeriodSeconds)), Engineering.Format(SarClockPeriodSeconds, "s"),
                $"between {Engineering.Format(0.2e-9, "s")} and {Engineering.Format(100e-9, "s")}", "3ns");
        return this;
    }
}
