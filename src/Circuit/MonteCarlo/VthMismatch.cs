using System.Globalization;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.Core.Errors;

namespace Mbi.Circuit.MonteCarlo;

/// <summary>
/// How large each device's random Vth mismatch is: either one sigma for every device (today's default,
/// 60 mV), or Pelgrom's law sigma_i = A_VT / sqrt(W_i L_i m_i) from each device's drawn size, so a wider
/// read stack is studied with its smaller mismatch. 60 mV at the minimum 32 nm x 16 nm device is
/// A_VT = 60 mV x sqrt(32 nm x 16 nm) = 1.36 mV.um, inside the 1-1.5 mV.um range the issue quotes for
/// 16/14 nm (a range not re-derived here from a primary source: see docs/technology.md).
/// </summary>
/// <param name="SigmaVthVolts">Used when <paramref name="PelgromAvtVoltMeters"/> is null.</param>
/// <param name="PelgromAvtVoltMeters">A_VT in V.m (1 mV.um = 1e-9 V.m); null: one sigma for all.</param>
internal sealed record VthMismatch(double SigmaVthVolts, double? PelgromAvtVoltMeters = null)
{
    /// <summary>The A_VT that gives 60 mV at the PTM 16 nm minimum device (1.357 mV.um).</summary>
    public static readonly double AvtFor60mVAtMinimumDevice = 0.060 * Math.Sqrt(32e-9 * 16e-9);

    public VthMismatch Validated()
    {
        if (PelgromAvtVoltMeters is double avt)
        {
            if (!(avt > 0) || avt > 10e-9)
                throw BadInputException.For("PelgromAvtVoltMeters", (avt * 1e9).ToString("G4", CultureInfo.InvariantCulture) + " mV.um",
                    "> 0 and <= 10 mV.um (1 mV.um = 1e-9 V.m)", "1.36 mV.um, which is 60 mV at W=32 nm, L=16 nm");
        }
        else VthDraws.Validate(SigmaVthVolts);
        return this;
    }

    /// <summary>Each device's sigma(Vth), in draw order.</summary>
    public double[] SigmasFor(IReadOnlyList<DeviceRef> devices, Technology technology)
    {
        Validated();
        var sigmas = new double[devices.Count];
        for (int i = 0; i < sigmas.Length; i++)
        {
            if (PelgromAvtVoltMeters is not double avt) { sigmas[i] = SigmaVthVolts; continue; }
            double area = devices[i].GateAreaSquareMeters(technology);
            if (!(area > 0) || devices[i].Multiplier < 1)
                throw BadInputException.For($"device {devices[i].InstancePath} size", area, "a positive W L and a multiplier >= 1", "W=32nm, L=16nm, m=1");
            sigmas[i] = avt / Math.Sqrt(area);
        }
        return sigmas;
    }

    /// <summary>Die <paramref name="die"/>'s shifts for a bench (the same draws the Monte Carlo runner uses).</summary>
    public void Fill(RowBench bench, ulong seed, long die, Span<double> destination) =>
        VthDraws.Fill(seed, die, SigmasFor(bench.Devices, bench.Technology), destination);

    /// <summary>What goes into a run's fingerprint: the plain sigma form is unchanged from before Pelgrom.</summary>
    public string Fingerprint => PelgromAvtVoltMeters is double avt
        ? "sigma " + SigmaVthVolts.ToString("R", CultureInfo.InvariantCulture) + "\navt " + avt.ToString("R", CultureInfo.InvariantCulture)
        : "sigma " + SigmaVthVolts.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>e.g. "sigma(Vth) 60.0 mV" or "A_VT 1.36 mV.um (Pelgrom)".</summary>
    public override string ToString() => PelgromAvtVoltMeters is double a
        ? $"A_VT {(a * 1e9).ToString("G3", CultureInfo.InvariantCulture)} mV.um (Pelgrom)"
        : $"sigma(Vth) {Core.Units.Engineering.Format(SigmaVthVolts, "V")}";
}
