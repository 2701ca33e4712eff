using Mbi.Core.Errors;

namespace Mbi.Circuit.Adc;

/// <summary>Which ADC energy/latency model a report uses (docs/adc.md compares them).</summary>
public enum AdcModel
{
    /// <summary>Mbi's transistor-level SAR ADC, measured in ngspice (<see cref="SarAdcSimulator"/>).</summary>
    Spice,

    /// <summary>NeuroSim V1.3's SAR fit (Jiang et al., IEEE D&amp;T 2021): the paper's reference [9].</summary>
    NeuroSim,

    /// <summary>A Walden figure of merit from B. Murmann's ADC Performance Survey: E = FoM_W x 2^ENOB.</summary>
    Survey,
}

/// <summary>One model's figures for one conversion, with where they come from.</summary>
public sealed record AdcEstimate(AdcModel Model, double EnergyJoules, double ConversionSeconds, string Source);

/// <summary>
/// The analytic ADC models beside the SPICE one, each reproducing its published formula. The SPICE
/// estimate is built from a measured <see cref="SarAdcResult"/> with <see cref="FromSpice"/>.
/// </summary>
public static class AdcEnergyModel
{
    /// <summary>NeuroSim's 14 nm LP SAR fit: power per column = (a log2(levels) + b) uW.</summary>
    public const double NeuroSim14nmA = 0.3132, NeuroSim14nmB = 2.5681;

    /// <summary>NeuroSim's 22 nm LP SAR fit.</summary>
    public const double NeuroSim22nmA = 0.538, NeuroSim22nmB = 4.3753;

    /// <summary>Where the NeuroSim figures come from, as reports quote it.</summary>
    public const string NeuroSimSource =
        "NeuroSim V1.3 SAR ADC model (Jiang, Li, Huang, Cosemans, Catthoor, Yu, 'Analog-to-Digital Converter Design Exploration for "
        + "Compute-in-Memory Accelerators', IEEE Design & Test 39(2), 2022, early access 2021, doi 10.1109/MDAT.2021.3050715; paper ref. [9]): "
        + "P = (a bits + b) uW with the LP fits at 14 nm (a 0.3132, b 2.5681) and 22 nm (a 0.538, b 4.3753) interpolated linearly in node; "
        + "conversion time (bits + 1) ns; the column-current term is left out (the ADC samples a voltage)";

    /// <summary>
    /// The Walden FoM Mbi takes from the survey: the median FOMW_hf of the 5 single-channel (not
    /// time-interleaved) SAR ADCs with SNDR &lt;= 44 dB (ENOB &lt;= 7) published at ISSCC and the VLSI Symposium
    /// 2015-2025 (20.4, 25.4, 28.7, 40.6, 79.8 fJ/conv-step; 0.2-2.4 GS/s).
    /// </summary>
    public const double SurveyWaldenFomJoules = 28.7e-15;

    /// <summary>Where the survey figure comes from, as reports quote it.</summary>
    public const string SurveySource =
        "Walden FoM from B. Murmann, 'ADC Performance Survey 1997-2025' (github.com/bmurmann/ADC-survey, xls/ADCsurvey_latest.xlsx = rev 2025-06-09): "
        + "median FOMW_hf = 28.7 fJ/conv-step of the 5 single-channel SAR ADCs with SNDR <= 44 dB at ISSCC/VLSI 2015-2025 "
        + "(with the 21 time-interleaved ones the median is 60.9 fJ/conv-step; the best is 20.4); E = FoM_W x 2^ENOB with ENOB = bits; "
        + "the survey gives no latency for this use, so the conversion time is NeuroSim's (bits + 1) ns";

    /// <summary>NeuroSim's SAR fit at <paramref name="technologyNanometers"/> (clamped to its 14..22 nm fits).</summary>
    public static AdcEstimate NeuroSim(int bits, double technologyNanometers)
    {
        ValidateBits(bits);
        if (!(technologyNanometers > 0) || !double.IsFinite(technologyNanometers))
            throw BadInputException.For("technology node", technologyNanometers, "a positive number of nanometres", "16");
        double f = Math.Clamp((technologyNanometers - 14) / (22 - 14), 0, 1);
        double a = NeuroSim14nmA + (NeuroSim22nmA - NeuroSim14nmA) * f;
        double b = NeuroSim14nmB + (NeuroSim22nmB - NeuroSim14nmB) * f;
        double powerWatts = (a * bits + b) * 1e-6;
        double seconds = (bits + 1) * 1e-9;
        return new AdcEstimate(AdcModel.NeuroSim, powerWatts * seconds, seconds, NeuroSimSource);
    }

    /// <summary>E = FoM_W x 2^ENOB, ENOB = <paramref name="bits"/> (an ideal quantiser's).</summary>
    public static AdcEstimate Survey(int bits, double waldenFomJoules = SurveyWaldenFomJoules)
    {
        ValidateBits(bits);
        if (!(waldenFomJoules > 0) || !double.IsFinite(waldenFomJoules))
            throw BadInputException.For("Walden FoM", waldenFomJoules, "a positive energy per conversion step in joules", "28.7e-15");
        return new AdcEstimate(AdcModel.Survey, waldenFomJoules * Math.Pow(2, bits), (bits + 1) * 1e-9, SurveySource);
    }

    /// <summary>The SPICE model's figures from a measured run (mean energy over its conversions).</summary>
    internal static AdcEstimate FromSpice(SarAdcResult result, SarAdcDesign design) =>
        new(AdcModel.Spice, result.MeanEnergyJoules, result.ConversionSeconds,
            $"Mbi's transistor-level {design.Bits}-bit SAR ADC (src/Circuit/Adc/SarAdcBench.cs, docs/adc.md) in ngspice, PTM 16 nm LP: "
            + $"mean energy of {result.Codes.Count} conversions from VDD, reference, clock and sequencer sources (positive power only); "
            + $"conversion time = {design.PeriodsPerConversion} clock periods of {design.ClockPeriodSeconds * 1e9:0.###} ns including sampling");

    /// <summary>
    /// Runs the transistor-level SAR on <paramref name="conversions"/> inputs spread evenly over the codes
    /// (code centres, SLP = SLN) and returns its mean energy: the entry point for `--adc spice`. 32
    /// conversions (every code) take about 2.5 min on a loaded 2-core machine, 8 about 40 s.
    /// </summary>
    internal static AdcEstimate Spice(Engine.NgSpiceEngine engine, Models.Technology technology, SarAdcDesign design, int conversions = 32)
    {
        int codes = 1 << design.Bits;
        if (conversions < 1 || conversions > codes)
            throw BadInputException.For("SPICE ADC conversions", conversions, $"between 1 and {codes}", "32");
        var inputs = new SarAdcInput[conversions];
        for (int k = 0; k < conversions; k++)
        {
            int code = (int)((long)k * codes / conversions);
            double v = design.InputTopVolts - code * design.InputLsbVolts;
            inputs[k] = new SarAdcInput(v, v);
        }
        return FromSpice(SarAdcSimulator.Run(engine, new SarAdcBench(technology, design, inputs)), design);
    }

    /// <summary>Parses "spice", "neurosim" or "survey" (case-insensitive).</summary>
    public static AdcModel Parse(string text, string parameter) => text.ToLowerInvariant() switch
    {
        "spice" => AdcModel.Spice,
        "neurosim" => AdcModel.NeuroSim,
        "survey" => AdcModel.Survey,
        _ => throw BadInputException.For(parameter, text, "spice, neurosim or survey", "neurosim"),
    };

    private static void ValidateBits(int bits)
    {
        if (bits is < 1 or > 16) throw BadInputException.For("ADC bits", bits, "between 1 and 16", "5");
    }
}
