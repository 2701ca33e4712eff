using Mbi.Core.Errors;
using Mbi.Core.Randomness;

namespace Mbi.Circuit.MonteCarlo;

/// <summary>
/// Per-transistor threshold shifts of one die: delta-Vth ~ N(0, sigma_i) for every device in draw
/// order, from SeededRandom(seed, stream "mbi.circuit.delta-vth", die). Die i depends only on
/// (seed, i, device count), so runs can be split, resumed and parallelised without changing a value,
/// and the co-simulation can redraw exactly the die a Monte Carlo sample used. Shifts add to BSIM4's
/// signed vth0 (delvto), for NMOS and PMOS alike. sigma_i is one value for every device, or per device
/// from Pelgrom's law (<see cref="VthMismatch"/>); the unit normal draws are the same either way.
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

    /// <summary>
    /// As <see cref="Fill(ulong, long, double, Span{double}, ulong)"/> with one sigma per device: the same
    /// stream and order, so equal sigmas give bit-identical shifts.
    /// </summary>
    public static void Fill(ulong seed, long die, ReadOnlySpan<double> sigmaVolts, Span<double> destination, ulong stream = 0)
    {
        if (sigmaVolts.Length != destination.Length)
            throw new ArgumentException($"{sigmaVolts.Length} sigmas for {destination.Length} devices", nameof(sigmaVolts));
        var random = new SeededRandom(seed, stream == 0 ? Stream : stream, (ulong)die);
        for (int i = 0; i < destination.Length; i++) destination[i] = sigmaVolts[i] * random.NextGaussian();
    }
}
