using System.Globalization;
using Mbi.Circuit.Energy;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.Circuit.Tests.Energy;

[TestFixture]
public sealed class SupplyMeterTests
{
    [Test]
    public void When_InverterTogglesKnownCapacitorFromDcRail_Expect_CVSquaredPerCycleWithin5Percent()
    {
        using var engine = TestAssets.StartNgspice();
        var tech = Technology.Ptm16Lp();
        const double load = 100e-15, period = 10e-9, edge = 10e-12;
        const int cycles = 4;
        double vdd = tech.VddVolts;
        // A 16x inverter (about 1 fF of its own drain capacitance, 1% of the load) on a 100 fF capacitor; the
        // input edges are fast (10 ps) so the short-circuit current is small. One warm-up cycle is not metered.
        var inv = CultureInfo.InvariantCulture;
        string deck = string.Join('\n',
            "* inverter toggling a known capacitor",
            tech.ModelCardForNetlist,
            string.Create(inv, $"vrail rail 0 DC {vdd}"),
            string.Create(inv, $"vin in 0 PULSE(0 {vdd} {period / 2} {edge} {edge} {period / 2 - edge} {period})"),
            string.Create(inv, $"mp out in rail rail {tech.PmosModel} w={32 * tech.WidthMeters} l={tech.LengthMeters} {tech.DeviceFlags}"),
            string.Create(inv, $"mn out in 0 0 {tech.NmosModel} w={16 * tech.WidthMeters} l={tech.LengthMeters} {tech.DeviceFlags}"),
            string.Create(inv, $"cload out 0 {load}"),
            string.Create(inv, $".tran 10p {(cycles + 1) * period}"),
            ".end");
        engine.Load(deck);
        engine.Execute("run");
        var rail = new MeteredRail("vrail", "rail", "0", vdd, SupplyCategory.QueryDrivers, RailGenerator.Supply, 1);
        var energy = SupplyMeter.Measure([rail], engine.RequireVector, vdd, Enumerable.Range(2, 2 * cycles + 1).Select(h => h * period / 2).ToArray())[0];

        // Each charge-discharge cycle draws Q = C V from the rail at V: C V^2 (half stored, half lost in the PMOS).
        // 5% covers the inverter's own drain and gate-drain capacitance (about 1%), short-circuit current and leakage.
        double expected = cycles * load * vdd * vdd;
        TestContext.Out.WriteLine($"C V^2 x {cycles} = {expected:E4} J, metered {energy.DrawnJoules:E4} J ({energy.DrawnJoules / expected - 1:P2}), sunk {energy.SunkJoules:E3} J");
        Assert.That(energy.DrawnJoules, Is.EqualTo(expected).Within(5).Percent);
        Assert.That(energy.DrawnJoules, Is.GreaterThanOrEqualTo(0.99 * expected), "below C V^2 would mean the meter misses charge");
    }

    [Test]
    public void When_TwoBitRowBenchMetered_Expect_NoRailNegativeAndTheHalfRailsSunkChargeNotCredited()
    {
        using var engine = TestAssets.StartNgspice();
        var bench = SmallTwoBitBench();
        engine.Load(bench.WriteForMetering());
        engine.Execute("run");
        var rails = SupplyMeter.Measure(bench.Rails, engine.RequireVector, bench.Technology.VddVolts, bench.MeteringWindows);

        Assert.That(rails, Has.Count.EqualTo(bench.Rails.Count));
        foreach (var r in rails)
        {
            TestContext.Out.WriteLine($"{r.Rail.Source,-10} {r.Rail.Category,-22} {r.Rail.Generator,-16} delivered {r.DeliveredJoules:E3} sunk {r.SunkJoules:E3} drawn {r.DrawnJoules:E3}");
            Assert.That(r.DrawnJoules, Is.GreaterThanOrEqualTo(0), r.Rail.Source);
            Assert.That(r.DeliveredJoules, Is.GreaterThanOrEqualTo(0), r.Rail.Source);
        }
        // The VPmax/2 rail (LSB columns) takes charge back when a bitline shares above it; a net V x I
        // integral would credit it. Its sunk energy is real and reported, never subtracted.
        var half = rails.Single(r => r.Rail.Source == "vpr1");
        Assert.That(half.Rail.Generator, Is.EqualTo(RailGenerator.LinearRegulator));
        Assert.That(half.SunkJoules, Is.GreaterThan(0));
        // A linear regulator draws VDD x Q for Q delivered at VPmax/2: twice the energy it delivers.
        // 1e-3 relative: both integrals use the same samples, so only rounding differs.
        Assert.That(half.DrawnJoules, Is.EqualTo(2 * half.DeliveredJoules).Within(1e-3).Percent);
        var pump = rails.Single(r => r.Rail.Source == "vshpos");
        Assert.That(pump.DrawnJoules, Is.EqualTo(pump.DeliveredJoules / bench.Design.ChargePumpEfficiency).Within(1e-9).Percent);
    }

    [Test]
    public void When_IdealLogicRampChargesCapacitor_Expect_VddTimesChargeNotTheAdiabaticHalf()
    {
        using var engine = TestAssets.StartNgspice();
        const double load = 10e-15, vdd = 0.9;
        // An ideal source ramping a capacitor delivers only C V^2 / 2 (adiabatic) and takes it back on the fall;
        // a net V x I meter reports 0, a positive-only one C V^2 / 2. Counted as a VDD gate's charge: C V^2.
        string deck = string.Join('\n', "* ideal ramp on a capacitor",
            string.Create(CultureInfo.InvariantCulture, $"vin in 0 PWL(0 0 1n 0 1.5n {vdd} 3n {vdd} 3.5n 0 5n 0)"),
            string.Create(CultureInfo.InvariantCulture, $"c1 in 0 {load}"), ".tran 10p 5n", ".end");
        engine.Load(deck);
        engine.Execute("run");
        var rail = new MeteredRail("vin", "in", "0", double.NaN, SupplyCategory.LogicInputs, RailGenerator.LogicGate, 1);
        var energy = SupplyMeter.Measure([rail], engine.RequireVector, vdd, [0, 2.5e-9, 5e-9])[0];
        // 0.5%: trapezoidal integration of a linear ramp current is exact up to ngspice's own charge tolerance
        Assert.That(energy.DrawnJoules, Is.EqualTo(load * vdd * vdd).Within(0.5).Percent);
        Assert.That(energy.DeliveredJoules, Is.EqualTo(0.5 * load * vdd * vdd).Within(0.5).Percent);
        Assert.That(energy.SunkJoules, Is.EqualTo(0.5 * load * vdd * vdd).Within(0.5).Percent, "the fall's return is reported, not credited");
    }

    [Test]
    public void When_RailVoltageGiven_Expect_GeneratorFromVdd()
    {
        Assert.That(MeteredRail.GeneratorFor(0.9, 0.9), Is.EqualTo(RailGenerator.Supply));
        Assert.That(MeteredRail.GeneratorFor(0.45, 0.9), Is.EqualTo(RailGenerator.LinearRegulator));
        Assert.That(MeteredRail.GeneratorFor(1.5, 0.9), Is.EqualTo(RailGenerator.ChargePump));
        Assert.That(MeteredRail.GeneratorFor(-0.6, 0.9), Is.EqualTo(RailGenerator.ChargePump));
    }

    /// <summary>8 columns of 2-bit elements, 3 queries at distances 0, max and mixed.</summary>
    internal static RowBench SmallTwoBitBench()
    {
        bool[] key = [true, false, true, true, false, false, true, false];
        bool[][] queries = [[.. key], key.Select(b => !b).ToArray(), [false, false, true, false, true, false, true, true]];
        var program = new RowProgram(key, queries.Select(q => new RowCycle(2, q)).ToArray());
        return new RowBench(Technology.Ptm16Lp(), new ArrayDesign(), program);
    }
}
