using Mbi.Core.Errors;

namespace Mbi.Circuit.Adc;

/// <summary>
/// The transistor-level SAR ADC on the sum lines (docs/adc.md). It digitises the average
/// (V_SLP + V_SLN) / 2 by bottom-plate sampling on a split capacitive DAC: every DAC capacitor is two
/// halves, one sampling SLP and one SLN, on a common top plate, so the charge left on the top plate after
/// sampling is set by the average with no averaging switch. The code counts LSBs down from the level-0
/// voltage, like <see cref="SumLineAdc"/>: code = round((top - avg) / lsb), clamped to 0..2^bits - 1.
/// Devices are PTM 16 nm LP (|Vth| about 0.69 V at VDD 0.9 V), so the sampling switches are bootstrapped
/// (gate = input + VDD): a transmission gate at 0.46 V measures 4.5 MOhm per um here.
/// </summary>
internal sealed record SarAdcDesign
{
    public SarAdcDesign()
    {
    }

    /// <summary>Resolution (the paper: 5).</summary>
    public int Bits { get; init; } = 5;

    /// <summary>
    /// The level-0 value of the average (V_SLP + V_SLN) / 2: 0.899 V on the row bench (docs/circuit.md,
    /// "level 0: V_SLP / V_SLN 0.8990 / 0.8990 V").
    /// </summary>
    public double InputTopVolts { get; init; } = 0.899;

    /// <summary>One code step of the average: half the 27.52 mV nominal 1-bit step of V_SLP + V_SLN.</summary>
    public double InputLsbVolts { get; init; } = 0.01376;

    /// <summary>
    /// The DAC's unit capacitor (weight 1 LSB, split into two halves of Cu/2). 0.5 fF is a usual MOM unit;
    /// kT/C on the 33 fF total is 0.35 mV rms, 0.03 LSB. Capacitor mismatch is not modelled.
    /// </summary>
    public double UnitCapacitanceFarads { get; init; } = 0.5e-15;

    /// <summary>The SAR clock period: one bit decision per period (reset half, evaluate half).</summary>
    public double ClockPeriodSeconds { get; init; } = 2e-9;

    /// <summary>Rise and fall time of the ideal clock and sequencer sources.</summary>
    public double EdgeSeconds { get; init; } = 20e-12;

    /// <summary>StrongARM input pair width and length (sized up from minimum: LP devices are slow).</summary>
    public double ComparatorInputWidthMeters { get; init; } = 1e-6;
    public double ComparatorInputLengthMeters { get; init; } = 32e-9;
    public double ComparatorTailWidthMeters { get; init; } = 1e-6;
    public double ComparatorLatchWidthMeters { get; init; } = 0.5e-6;
    public double ComparatorResetWidthMeters { get; init; } = 0.3e-6;

    /// <summary>
    /// Each bottom-plate sampling switch (NMOS, bootstrapped gate). Wide because even a bootstrapped gate
    /// only reaches about 0.75 V over its source, near this technology's body-effected Vth.
    /// </summary>
    public double SamplingSwitchWidthMeters { get; init; } = 1e-6;

    /// <summary>The bootstrap capacitor that lifts each sampling gate to about input + VDD.</summary>
    public double BootstrapCapacitanceFarads { get; init; } = 40e-15;

    /// <summary>The bootstrap's charge and pass transistors (the pull-down pair is minimum logic size).</summary>
    public double BootstrapSwitchWidthMeters { get; init; } = 1e-6;

    /// <summary>
    /// Clock periods of sampling: the bottom plates must settle from VDD to the input through switches
    /// whose overdrive is small (one period left a 15% gain error at 2 ns; measured, docs/adc.md).
    /// </summary>
    public int SamplingPeriods { get; init; } = 3;

    /// <summary>Clock periods in one conversion: clear, sample, then one per bit.</summary>
    public int PeriodsPerConversion => Bits + 1 + SamplingPeriods;

    /// <summary>Conversion time including the sampling period.</summary>
    public double ConversionSeconds => PeriodsPerConversion * ClockPeriodSeconds;

    /// <summary>
    /// Total bottom-plate-sampled capacitance, both halves: Cu x VDD / lsb, so that one unit of DAC
    /// charge (Cu x VDD) equals one LSB of input charge. The binary DAC (2^bits - 1 units) is part of it;
    /// the rest is a sampling-only capacitor whose bottom plate goes to VDD after sampling.
    /// </summary>
    public double SampledCapacitanceFarads(double vddVolts) => UnitCapacitanceFarads * vddVolts / InputLsbVolts;

    /// <summary>The capacitance each sum line samples onto: half of <see cref="SampledCapacitanceFarads"/>.</summary>
    public double SamplingCapacitancePerLineFarads(double vddVolts) => SampledCapacitanceFarads(vddVolts) / 2;

    /// <summary>The sampling-only capacitor of each half (sampled capacitance per half minus the DAC half).</summary>
    public double ExtraCapacitancePerHalfFarads(double vddVolts) =>
        SamplingCapacitancePerLineFarads(vddVolts) - ((1 << Bits) - 1) * UnitCapacitanceFarads / 2;

    /// <summary>
    /// The comparator's reference (a DC rail, it drives one gate). After sampling the top plate sits at
    /// X = VDD + g (VDD - avg) - D s with D the DAC code, s = g x lsb and g = C_sampled / C_top (just under 1);
    /// the SAR keeps the largest D with X >= Vref, which is round((top - avg) / lsb) when
    /// Vref = VDD + g (VDD - top) - s / 2, with g = <see cref="TopPlateGain"/>.
    /// </summary>
    public double ComparatorReferenceVolts(double vddVolts) =>
        vddVolts + TopPlateGain * (vddVolts - InputTopVolts) - TopPlateGain * InputLsbVolts / 2 + ReferenceTrimVolts;

    /// <summary>
    /// A one-time trim of the reference for the nominal die's systematic comparator offset (residual
    /// kickback and charge-injection mismatch between the top plate and the held reference). MEASURED:
    /// without it every code 1..31 of the 32-code ramp read one low (docs/adc.md); the trim is one top-plate
    /// LSB, -g x lsb. A real SAR trims its offset the same way (a reference or comparator trim DAC).
    /// </summary>
    public double ReferenceTrimVolts { get; init; } = -0.66 * 0.01376;

    /// <summary>
    /// g = C_sampled / C_top. MEASURED, not derived: the MSB trial moves the top plate by 145.5 mV where
    /// 16 Cu x VDD / C_sampled would be 220 mV, so the top plate carries about 49.5 fF in all (g = 0.66;
    /// the 17 fF beyond the 32.7 fF of capacitors is not accounted for by the devices on the node and is
    /// an open question, docs/adc.md). g scales input and DAC alike, so codes depend on it only through
    /// the reference's half-LSB term and the size of the kickback relative to an LSB.
    /// </summary>
    public double TopPlateGain { get; init; } = 0.66;

    /// <summary>The capacitor the reference is held on while the comparator evaluates: the top plate's total (C_sampled / g).</summary>
    public double ReferenceHoldCapacitanceFarads(double vddVolts) => SampledCapacitanceFarads(vddVolts) / TopPlateGain;

    /// <summary>Checks every value once (call before writing a deck).</summary>
    public SarAdcDesign Validated(double vddVolts)
    {
        if (Bits is < 2 or > 8) throw BadInputException.For("SAR ADC bits", Bits, "between 2 and 8 (the transistor-level bench is written for small SARs)", "5");
        Positive("SAR ADC input LSB", InputLsbVolts, "0.01376");
        Positive("SAR ADC input top", InputTopVolts, "0.899");
        Positive("SAR ADC unit capacitance", UnitCapacitanceFarads, "0.5e-15");
        Positive("SAR ADC clock period", ClockPeriodSeconds, "2e-9");
        Positive("SAR ADC clock edge", EdgeSeconds, "20e-12");
        if (SamplingPeriods is < 1 or > 8) throw BadInputException.For("SAR ADC sampling periods", SamplingPeriods, "between 1 and 8", "2");
        if (EdgeSeconds * 10 > ClockPeriodSeconds)
            throw BadInputException.For("SAR ADC clock edge", EdgeSeconds, "at most a tenth of the clock period", "20e-12");
        Positive("comparator input width", ComparatorInputWidthMeters, "1e-6");
        Positive("comparator input length", ComparatorInputLengthMeters, "32e-9");
        Positive("comparator tail width", ComparatorTailWidthMeters, "1e-6");
        Positive("comparator latch width", ComparatorLatchWidthMeters, "0.5e-6");
        Positive("comparator reset width", ComparatorResetWidthMeters, "0.3e-6");
        Positive("sampling switch width", SamplingSwitchWidthMeters, "0.2e-6");
        Positive("bootstrap capacitance", BootstrapCapacitanceFarads, "40e-15");
        Positive("bootstrap switch width", BootstrapSwitchWidthMeters, "1e-6");
        if (!(TopPlateGain > 0 && TopPlateGain <= 1)) throw BadInputException.For("SAR ADC top-plate gain", TopPlateGain, "in (0, 1]", "0.66");
        if (InputTopVolts > vddVolts + 1e-9 || InputTopVolts - ((1 << Bits) - 0.5) * InputLsbVolts < 0)
            throw BadInputException.For("SAR ADC input range", $"{InputTopVolts} V down {(1 << Bits)} LSB of {InputLsbVolts} V",
                "inside 0..VDD", "top 0.899 V, LSB 0.01376 V");
        if (ExtraCapacitancePerHalfFarads(vddVolts) <= 0)
            throw BadInputException.For("SAR ADC input LSB", InputLsbVolts,
                $"below VDD / 2^bits = {vddVolts / (1 << Bits)} V (the DAC's full scale cannot exceed VDD)", "0.01376");
        return this;
    }

    private static void Positive(string name, double value, string example)
    {
        if (!(value > 0) || !double.IsFinite(value)) throw BadInputException.For(name, value, "a positive finite number", example);
    }
}
