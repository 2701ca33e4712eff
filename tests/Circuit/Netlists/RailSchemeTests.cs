using Mbi.Tests;
using System.Text.RegularExpressions;
using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.Netlists;

[TestFixture]
public sealed class RailSchemeTests
{
    private static readonly Technology Ptm = Technology.Ptm16Lp();

    private static RowProgram ShortProgram(int columns, int cycles)
    {
        var staircase = new Staircase(columns);
        return new RowProgram(staircase.Program.Key, staircase.Program.Cycles.Take(cycles).ToArray());
    }

    [Test]
    public void When_WithinVdd_Expect_NoBoostedRailNoLevelShifterAndNoLevelOutsideZeroToVdd()
    {
        var bench = new RowBench(Ptm, new ArrayDesign { Columns = 4, Rails = RailScheme.WithinVdd }, ShortProgram(4, 3));
        string text = bench.Write();
        Assert.That(bench.Rails.Select(r => r.Source), Has.None.AnyOf("vpgneg", "vshpos", "vshneg"));
        Assert.That(bench.Rails.Where(r => r.Generator == Circuit.Energy.RailGenerator.ChargePump), Is.Empty, "no charge pump");
        Assert.That(text, Does.Not.Contain("_xa "), "no level shifter (cross-coupled pair)");
        // every DC source and every PWL point within 0..VDD
        var levels = Regex.Matches(text, @"^v\S+ \S+ 0 DC (\S+)$", RegexOptions.Multiline).Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(levels, Is.All.InRange(0.0, Ptm.VddVolts));
        Assert.That(text, Does.Not.Contain(" -0.6"));
    }

    [Test]
    public void When_Boosted_Expect_TheBoostedRailsAndTheirPumps()
    {
        var bench = new RowBench(Ptm, new ArrayDesign { Columns = 4 }, ShortProgram(4, 3));
        string text = bench.Write();
        Assert.That(text, Does.Contain("vpgneg pgneg 0 DC -0.6").And.Contain("vshpos shpos 0 DC 1.5").And.Contain("vshneg shneg 0 DC -0.6"));
        Assert.That(bench.Rails.Count(r => r.Generator == Circuit.Energy.RailGenerator.ChargePump), Is.EqualTo(3));
    }

    [Test]
    public void When_WidthRatiosSet_Expect_PrechargeAndShareDevicesWiderAndTheirPelgromAreaWithThem()
    {
        var design = new ArrayDesign { Columns = 4, PrechargeWidthRatio = 4, ShareWidthRatio = 2 };
        var bench = new RowBench(Ptm, design, ShortProgram(4, 2));
        string text = bench.Write();
        Assert.That(text, Does.Match(@"(?m)^mpb0 bl0 pg pr0 vdd \S+ w=1.28E-07 "));
        Assert.That(text, Does.Match(@"(?m)^mtn0 bl0 shn slp 0 \S+ w=6.4E-08 "));
        Assert.That(text, Does.Match(@"(?m)^mpsp slp pg pr0 vdd \S+ w=1.28E-07 "));
        var mpb = bench.Devices.Single(d => d.InstancePath == "mpb0");
        Assert.That(mpb.GateAreaSquareMeters(Ptm), Is.EqualTo(4 * Ptm.WidthMeters * Ptm.LengthMeters).Within(1e-30));
        // the draw order is unchanged: the same number of devices as at ratio 1
        Assert.That(bench.Devices, Has.Count.EqualTo(new RowBench(Ptm, new ArrayDesign { Columns = 4 }, ShortProgram(4, 2)).Devices.Count));
    }

    [TestCase("Boosted", 1.5, true)]
    [TestCase("WithinVdd", 0.9, false)]
    public void When_GateStressOfDefaultLevels_Expect_VddPlusBoostOnlyWhenBoosted(string scheme, double volts, bool exceeds)
    {
        var rails = Enum.Parse<RailScheme>(scheme);
        var stress = GateStress.Of(Ptm, new ArrayDesign { Rails = rails });
        // exact sums of the design's levels (0.9 + 0.6); 1e-12 V only absorbs floating-point rounding
        Assert.That(stress.MaxGateSourceVolts, Is.EqualTo(volts).Within(1e-12));
        Assert.That(stress.MaxGateDrainVolts, Is.EqualTo(volts).Within(1e-12));
        Assert.That(stress.ExceedsVdd, Is.EqualTo(exceeds));
        Assert.That(stress.Describe(), Does.Contain("max |Vgs|").And.Contain(rails == RailScheme.Boosted ? "boosted rails" : "within 0..VDD"));
    }

    [TestCase(0.0)]
    [TestCase(17.0)]
    [TestCase(double.NaN)]
    public void When_WidthRatioOutOfRange_Expect_BadInputNamingTheField(double ratio)
    {
        var e = Assert.Throws<BadInputException>(() => new ArrayDesign { PrechargeWidthRatio = ratio }.Validated());
        Assert.That(e!.Message, Does.Contain("array.precharge_width_ratio").And.Contain("between 1 and 16"));
        e = Assert.Throws<BadInputException>(() => new ArrayDesign { ShareWidthRatio = ratio }.Validated());
        Assert.That(e!.Message, Does.Contain("array.share_width_ratio"));
    }

    [Test]
    public void When_RailsOrProtocolUndefined_Expect_BadInputListingTheChoices()
    {
        var e = Assert.Throws<BadInputException>(() => new ArrayDesign { Rails = (RailScheme)7 }.Validated());
        Assert.That(e!.Message, Does.Contain("array.rails").And.Contain("within-vdd"));
        e = Assert.Throws<BadInputException>(() => new ArrayDesign { ScanProtocol = (ScanProtocol)7 }.Validated());
        Assert.That(e!.Message, Does.Contain("array.scan_protocol").And.Contain("static-per-node"));
    }

    /// <summary>The value changes of a PWL source's waveform in the deck (continuation lines joined).</summary>
    private static int Transitions(string deck, string source)
    {
        var m = Regex.Match(deck, "^" + Regex.Escape(source) + @" \S+ 0 PWL\(([^)]*)\)", RegexOptions.Multiline);
        Assert.That(m.Success, Is.True, source);
        var numbers = m.Groups[1].Value.Replace("\n+", " ").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => double.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        int changes = 0;
        for (int i = 3; i < numbers.Length; i += 2) if (numbers[i] != numbers[i - 2]) changes++;
        return changes;
    }

    [Test]
    public void When_StaticScanProtocol_Expect_QueryLinesSwitchOnlyWhereTheQueryChangesAndTheRowSelectOpensEachWindow()
    {
        // warm-up copy of level 0, then 1-bit levels 0, 1, 2: column 0 flips at level 1, column 1 at level 2
        var program = ShortProgram(4, 3);
        var statics = new RowBench(Ptm, new ArrayDesign { Columns = 4, ScanProtocol = ScanProtocol.StaticPerNode }, program);
        var toggled = new RowBench(Ptm, new ArrayDesign { Columns = 4 }, program);
        string s = statics.Write(), t = toggled.Write();
        Assert.That(Transitions(s, "vin_dq0") + Transitions(s, "vin_dqb0"), Is.EqualTo(2), "column 0: ql and qlb swap once");
        Assert.That(Transitions(s, "vin_dq1") + Transitions(s, "vin_dqb1"), Is.EqualTo(2));
        Assert.That(Transitions(s, "vin_dq2") + Transitions(s, "vin_dqb2"), Is.EqualTo(0), "column 2 never changes");
        Assert.That(Transitions(t, "vin_dq2") + Transitions(t, "vin_dqb2"), Is.EqualTo(8), "toggled: a rise and a fall in each of 4 cycles");
        // the read word line: opened and closed once per cycle (static); toggled it starts selected and is deselected per share
        Assert.That(Transitions(s, "vin_drwl"), Is.EqualTo(8));
        Assert.That(Transitions(t, "vin_drwl"), Is.EqualTo(7));
        Assert.That(statics.ComparisonsPerQueryDrive, Is.EqualTo(32));
        Assert.That(toggled.ComparisonsPerQueryDrive, Is.EqualTo(1));
        Assert.That(statics.IsQueryRail("vqdrv") && statics.IsQueryRail("vin_dqb3") && !statics.IsQueryRail("vin_drwl"), Is.True);
    }

    /// <summary>
    /// The computed bound against the simulated waveforms: the largest |Vg - Vs| and |Vg - Vd| of every precharge PMOS
    /// and transmission-gate device of a 4-column bench over three cycles.
    /// </summary>
    [TestCase("Boosted")]
    [TestCase("WithinVdd")]
    public void When_BenchSimulated_Expect_LargestGateVoltageOfArrayPeripheryMatchesTheComputedBound(string scheme)
    {
        var rails = Enum.Parse<RailScheme>(scheme);
        using var engine = TestAssets.StartNgspice();
        var design = new ArrayDesign { Columns = 4, Rails = rails };
        var bench = new RowBench(Ptm, design, ShortProgram(4, 3));
        engine.Load(bench.WriteForMetering());
        engine.Execute("run");
        try
        {
            double[] V(string node) => engine.RequireVector(node);
            double worst = 0;
            string where = "";
            double[] time = V("time");
            void Pair(string g, string other)
            {
                double[] gate = V(g), node = V(other);
                for (int i = 0; i < gate.Length; i++)
                    if (Math.Abs(gate[i] - node[i]) > worst)
                    {
                        worst = Math.Abs(gate[i] - node[i]);
                        where = $"{g} {gate[i]:F3} V against {other} {node[i]:F3} V at {time[i] * 1e9:F3} ns";
                    }
            }
            for (int c = 0; c < 4; c++)
                foreach (string gate in new[] { "pg", "shn", "shp" })
                {
                    Pair(gate, $"bl{c}"); Pair(gate, $"blb{c}");
                }
            foreach (string gate in new[] { "shn", "shp" }) { Pair(gate, "slp"); Pair(gate, "sln"); }
            Pair("pg", "pr0");
            TestContext.Out.WriteLine($"{scheme}: largest gate-to-terminal voltage {worst:F4} V: {where}");
            var stress = GateStress.Of(Ptm, design);
            double railLevel = Math.Max(stress.MaxGateSourceVolts, stress.MaxGateDrainVolts);
            // The rail-level figure is reached, and exceeded only by the drivers' edge overshoot: the last inverter's
            // input edge couples through its gate-drain capacitance onto the line (measured here: the PMOS transmission-gate
            // line to -0.695 V boosted, +0.960 V within VDD, i.e. 95 mV and 60 mV). GateStress states it as up to
            // EdgeOvershootVolts; the window is [rail level - 5 mV, rail level + that].
            Assert.That(worst, Is.InRange(railLevel - 0.005, railLevel + GateStress.EdgeOvershootVolts), where);
        }
        finally
        {
            engine.Execute("destroy all");
        }
    }
}
