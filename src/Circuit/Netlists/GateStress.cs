using Mbi.Circuit.Models;

namespace Mbi.Circuit.Netlists;

/// <summary>
/// The largest gate-oxide voltages a design puts on the row bench's devices, from its drive levels: every gate is
/// driven rail to rail, and every source/drain of the array stays within 0..VPmax. With boosted rails the precharge
/// PMOS (gate at -boost, source at VPmax) and the transmission gates (NMOS gate at VDD + boost over a discharged
/// bitline at 0 V, PMOS gate at -boost under VPmax), and the last inverters and level shifters of their drivers
/// (rail to rail across VDD + boost), see more than VDD; within 0..VDD nothing exceeds max(VDD, VPmax). These are rail
/// levels: on a simulated 4-column bench the drivers' edges overshoot them by 95 mV (boosted) and 60 mV (within VDD),
/// the last inverter's input edge coupling through its gate-drain capacitance (tests: RailSchemeTests); reports say so.
/// </summary>
/// <param name="Rails">The design's rail scheme.</param>
/// <param name="MaxGateSourceVolts">Largest |Vgs| on any device.</param>
/// <param name="MaxGateDrainVolts">Largest |Vgd| on any device.</param>
/// <param name="SetBy">The device that sets it, e.g. "precharge PMOS (gate -600 mV, source 900 mV)".</param>
/// <param name="VddVolts">The thin-oxide devices' nominal supply, the level a reliability engineer compares against.</param>
internal sealed record GateStress(RailScheme Rails, double MaxGateSourceVolts, double MaxGateDrainVolts, string SetBy, double VddVolts)
{
    /// <summary>Largest edge overshoot beyond the rail levels measured on the row bench's control lines (95 mV, boosted).</summary>
    public const double EdgeOvershootVolts = 0.12;

    /// <summary>True when some device sees more than VDD across its oxide (at rail levels).</summary>
    public bool ExceedsVdd => Math.Max(MaxGateSourceVolts, MaxGateDrainVolts) > VddVolts + 1e-12;

    public static GateStress Of(Technology technology, ArrayDesign design)
    {
        double vdd = technology.VddVolts, vp = design.VpMaxVolts;
        double pgLow = design.PrechargeGateLowVolts, share = design.ShareOverdriveVolts;
        // (|Vgs| max, |Vgd| max, device): gates swing between their rails; array nodes stay within 0..VPmax.
        var candidates = new List<(double Vgs, double Vgd, string Device)>
        {
            (vp - pgLow, Math.Max(vp - pgLow, vdd), $"precharge PMOS (gate {Level(pgLow)}, source {Level(vp)})"),
            (vdd + share, Math.Max(vdd + share, vp), $"transmission-gate NMOS (gate {Level(vdd + share)}, bitline at 0 V)"),
            (vp + share, Math.Max(vp + share, vdd), $"transmission-gate PMOS (gate {Level(-share)}, bitline at {Level(vp)})"),
            (vdd - pgLow, vdd - pgLow, $"precharge-gate driver ({Level(pgLow)}..{Level(vdd)} rails)"),
            (vdd + share, vdd + share, $"transmission-gate drivers ({Level(-share)}..{Level(vdd + share)} rails)"),
            (Math.Max(vdd, vp), Math.Max(vdd, vp), "cells, query and row-select lines (0..VDD, array nodes 0..VPmax)"),
        };
        var worst = candidates.MaxBy(c => Math.Max(c.Vgs, c.Vgd));
        return new GateStress(design.Rails, candidates.Max(c => c.Vgs), candidates.Max(c => c.Vgd), worst.Device, vdd);
    }

    /// <summary>One line for a report: "max |Vgs| 1.50 V, |Vgd| 1.50 V on 900 mV devices (boosted rails: precharge PMOS ...)".</summary>
    public string Describe() =>
        $"gate overdrive: max |Vgs| {Level(MaxGateSourceVolts)}, max |Vgd| {Level(MaxGateDrainVolts)} on {Level(VddVolts)} thin-oxide devices " +
        $"({(Rails == RailScheme.Boosted ? "boosted rails" : "rails within 0..VDD")}; set by the {SetBy}; rail levels, the drivers' edges overshoot them by up to ~0.1 V)" +
        (ExceedsVdd ? "; above VDD: not a reliability-qualified operating point" : "");

    private static string Level(double volts) => Core.Units.Engineering.Format(volts, "V");
}
