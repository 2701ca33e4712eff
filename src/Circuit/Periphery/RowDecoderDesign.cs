using Mbi.Core.Errors;

namespace Mbi.Circuit.Periphery;

/// <summary>
/// Sizing of the row decoder bench, in multiples of the minimum inverter (NMOS W = technology width, PMOS 2W).
/// The driver must hold the selected source line near ground while up to 2 x columns bitlines discharge into it,
/// hence its default strength of 8.
/// </summary>
internal sealed record RowDecoderDesign
{
    /// <summary>Address buffers, predecoder output inverters and the row's first inverter.</summary>
    public int BufferStrength { get; init; } = 2;
    /// <summary>The source-line driver inverter.</summary>
    public int DriverStrength { get; init; } = 8;

    public RowDecoderDesign Validated()
    {
        if (BufferStrength is < 1 or > 64) throw BadInputException.For("buffer strength", BufferStrength, "between 1 and 64", "2");
        if (DriverStrength is < 1 or > 256) throw BadInputException.For("driver strength", DriverStrength, "between 1 and 256", "8");
        return this;
    }
}
