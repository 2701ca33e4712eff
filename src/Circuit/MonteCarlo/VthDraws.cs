using Mbi.Core.Errors;
using Mbi.Core.Randomness;

namespace Mbi.Circuit.MonteCarlo;

/// <summary>
/// Per-transistor threshold shifts of one die: delta-Vth ~ N(0, sigma) for every device in draw
/// order, from SeededRandom(seed, stream "mbi.circuit.delta-vth", die). Die i depends only on
/// (seed, i, device count), so runs can be split, resumed and parallelised without changing a value,
/// and the co-simulation can redraw exactly the die a Monte Carlo sample used. Shifts add to BSIM4's
/// signed vth0 (delvto), for NMOS and PMOS alike.
/// </summary>
internal static class VthDraws
{
    public static readonly ulong Stream = SeededRandom.StreamId("mbi.circuit.delta-vth");

    public static void Validate(double sigmaVolts)
    {
        if (!(sigmaVolts >= 0) || sigmaVolts > 0.5)
            throw BadInputException.For("sigma_vth_volts", Core.Units.Engineering.Format(sigmaVolts, "V"), ">= 0 V and <= 500 mV", "60mV");
    }

    /// <summary>Fills <paramref name="destination"/> (one entry per device) with die <paramref name="die"/>'s shifts.</summary>
    public static void Fill(ulong seed, long die, double sigmaVolts, Span<double> destination, ulong stream = 0)
    {
        Validate(sigmaVolts);
        var random = new SeededRandom(seed, stream == 0 ? Stream : stream, (ulong)die);
        for (int i = 0; i < destination.Length; i++) destination[i] = sigmaVolts * random.NextGaussian();
    }
}
