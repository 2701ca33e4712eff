using Mbi.Circuit.Design;
using Mbi.Core.Errors;

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

    /// <summary>Checks every field once; a message names the design-file field (e.g. adc.bits). Returns this.</summary>
    public AdcDesign Validated()
    {
        if (Bits is < 1 or > 16) throw BadInputException.For(DesignField.Name(Section, nameof(Bits)), Bits, "between 1 and 16", "5");
        if (!double.IsFinite(OffsetLsb) || Math.Abs(OffsetLsb) > 8)
            throw BadInputException.For(DesignField.Name(Section, nameof(OffsetLsb)), OffsetLsb, "between -8 and 8 LSB", "0.2");
        if (!double.IsFinite(InlPeakLsb) || Math.Abs(InlPeakLsb) > 8)
            throw BadInputException.For(DesignField.Name(Section, nameof(InlPeakLsb)), InlPeakLsb, "between -8 and 8 LSB", "0.3");
        return this;
    }
}
