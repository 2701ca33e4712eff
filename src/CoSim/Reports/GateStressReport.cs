using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.Core.Units;

namespace Mbi.CoSim.Reports;

/// <summary>
/// The gate overdrive of a run's design as its reports print it (mc summary.json, sweep, energy --json): the rail
/// scheme, the largest |Vgs| and |Vgd| any device sees, what sets them, and whether that is above the devices' VDD.
/// </summary>
internal sealed record GateStressReport(string Rails, double MaxGateSourceVolts, double MaxGateDrainVolts, double VddVolts,
    bool ExceedsVdd, string SetBy, string Summary)
{
    public static GateStressReport Of(Technology technology, ArrayDesign design)
    {
        var g = GateStress.Of(technology, design);
        return new GateStressReport(System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(g.Rails.ToString()),
            g.MaxGateSourceVolts, g.MaxGateDrainVolts, g.VddVolts, g.ExceedsVdd, g.SetBy, g.Describe());
    }

    /// <summary>"max |Vgs| 1.50 V / |Vgd| 1.50 V (boosted)": short form for tables.</summary>
    public string Short => $"max |Vgs| {Engineering.Format(MaxGateSourceVolts, "V")} / |Vgd| {Engineering.Format(MaxGateDrainVolts, "V")} ({Rails})";
}
