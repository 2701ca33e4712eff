using System.Text;
using Mbi.Circuit.Energy;
using Mbi.Circuit.Models;

namespace Mbi.Circuit.Netlists;

/// <summary>
/// A CMOS driver for one control line: a chain of inverters sized by fan-out about 4 from a minimum
/// inverter (NMOS W, PMOS 2W) to the line's load, powered from DC rails. A line that swings beyond
/// 0..VDD (a boosted line) first passes a cross-coupled level shifter powered from VDD and the boosted
/// rail, and its chain is powered from the boosted rails. The input is an ideal 0..VDD logic signal.
/// </summary>
/// <param name="Name">Prefix of the chain's instances and internal nodes (e.g. "dq3").</param>
/// <param name="Output">The line it drives.</param>
/// <param name="LoadFarads">The line's total load (gates on it plus wire) used for sizing.</param>
/// <param name="High">Rail node of the chain's PMOS sources (and bodies).</param>
/// <param name="Low">Rail node of the chain's NMOS sources (and bodies): "0" or a negative rail.</param>
/// <param name="Shifter">None, high-side (output 0..High) or low-side (output Low..VDD).</param>
/// <param name="LogicRail">The VDD-domain rail of the shifter's input side (unused without a shifter).</param>
internal sealed record DriverChain(string Name, string Output, double LoadFarads, string High, string Low,
    LevelShift Shifter = LevelShift.None, string LogicRail = "")
{
    /// <summary>Width of the shifter's input pair, in minimum widths (it must overpower the cross-coupled pair).</summary>
    private const double ShifterInputWidths = 8;
    /// <summary>Length of the shifter's cross-coupled pair, in minimum lengths (weak, so the flip is quick).</summary>
    private const double ShifterLatchLengths = 3;

    public string Input => Name + "_in";

    /// <summary>The independent source of the chain's ideal logic input.</summary>
    public string InputSource => "vin_" + Name;

    /// <summary>The logic input as a metered rail: the gate that would drive it pays for the first inverter's input.</summary>
    public MeteredRail InputRail => new(InputSource, Input, "0", double.NaN, SupplyCategory.LogicInputs, RailGenerator.LogicGate, 1);

    /// <summary>
    /// Writes the ideal 0..VDD logic input: the line's level sequence from <paramref name="initiallyHigh"/> through
    /// <paramref name="edges"/> (each a ramp of <paramref name="edgeSeconds"/>), complemented when the chain inverts.
    /// </summary>
    public void WriteInput(StringBuilder t, double vdd, double minimumGateFarads, bool initiallyHigh, IEnumerable<(double Time, bool High)> edges,
        double edgeSeconds)
    {
        bool invert = Inverting(minimumGateFarads);
        double Level(bool high) => high ^ invert ? vdd : 0;
        var points = new List<(double, double)> { (0, Level(initiallyHigh)) };
        bool state = initiallyHigh;
        foreach (var (time, high) in edges)
        {
            Spice.Step(points, time, Level(state), Level(high), edgeSeconds);
            state = high;
        }
        Spice.Pwl(t, InputSource, Input, "0", points);
    }

    /// <summary>Number of inverters: round(log4(load / minimum inverter input)), at least 1.</summary>
    public int Stages(double minimumGateFarads) =>
        Math.Max(1, (int)Math.Round(Math.Log(LoadFarads / (3 * minimumGateFarads)) / Math.Log(4)));

    /// <summary>True when the logic input must be the complement of the line (an odd number of inverters).</summary>
    public bool Inverting(double minimumGateFarads) => Stages(minimumGateFarads) % 2 == 1;

    /// <summary>Writes the shifter (if any) and the chain; returns the transistor count.</summary>
    public int Write(StringBuilder t, Technology technology, double minimumGateFarads)
    {
        int devices = 0;
        string chainInput = Input;
        double w = technology.WidthMeters, l = technology.LengthMeters;
        if (Shifter != LevelShift.None)
        {
            string inb = Name + "_inb", a = Name + "_la", b = Name + "_lb";
            Fet(t, $"m{Name}_ip", $"{inb} {Input} {LogicRail} {LogicRail}", true, technology, 2 * w, l);
            Fet(t, $"m{Name}_in", $"{inb} {Input} 0 0", false, technology, w, l);
            if (Shifter == LevelShift.HighSide)
            {
                // b follows the input: input high pulls a low, which turns b's PMOS on to the boosted rail.
                Fet(t, $"m{Name}_sa", $"{a} {Input} 0 0", false, technology, ShifterInputWidths * w, l);
                Fet(t, $"m{Name}_sb", $"{b} {inb} 0 0", false, technology, ShifterInputWidths * w, l);
                Fet(t, $"m{Name}_xa", $"{a} {b} {High} {High}", true, technology, w, ShifterLatchLengths * l);
                Fet(t, $"m{Name}_xb", $"{b} {a} {High} {High}", true, technology, w, ShifterLatchLengths * l);
            }
            else
            {
                // b follows the input: input low pulls a high, which turns b's NMOS on to the negative rail.
                Fet(t, $"m{Name}_sa", $"{a} {Input} {LogicRail} {LogicRail}", true, technology, ShifterInputWidths * w, l);
                Fet(t, $"m{Name}_sb", $"{b} {inb} {LogicRail} {LogicRail}", true, technology, ShifterInputWidths * w, l);
                Fet(t, $"m{Name}_xa", $"{a} {b} {Low} {Low}", false, technology, w, ShifterLatchLengths * l);
                Fet(t, $"m{Name}_xb", $"{b} {a} {Low} {Low}", false, technology, w, ShifterLatchLengths * l);
            }
            devices += 6;
            chainInput = b;
        }
        int n = Stages(minimumGateFarads);
        double effort = Math.Pow(LoadFarads / (3 * minimumGateFarads), 1.0 / n);
        for (int k = 0; k < n; k++)
        {
            string input = k == 0 ? chainInput : $"{Name}_{k}";
            string output = k == n - 1 ? Output : $"{Name}_{k + 1}";
            double size = Math.Max(1, Math.Pow(effort, k));
            Fet(t, $"m{Name}_p{k}", $"{output} {input} {High} {High}", true, technology, 2 * size * w, l);
            Fet(t, $"m{Name}_n{k}", $"{output} {input} {Low} {Low}", false, technology, size * w, l);
            devices += 2;
        }
        return devices;
    }

    private static void Fet(StringBuilder t, string name, string nodes, bool pmos, Technology technology, double width, double length)
    {
        t.Append(name).Append(' ').Append(nodes).Append(' ').Append(pmos ? technology.PmosModel : technology.NmosModel)
         .Append(" w=").Append(Spice.Num(width)).Append(" l=").Append(Spice.Num(length)).Append(' ').Append(technology.DeviceFlags).Append('\n');
    }
}

/// <summary>Level shifter in front of a driver chain.</summary>
internal enum LevelShift { None, HighSide, LowSide }
