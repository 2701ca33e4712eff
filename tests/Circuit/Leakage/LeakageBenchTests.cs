using Mbi.Circuit.Leakage;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.Core.Errors;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.Circuit.Tests.Leakage;

[TestFixture]
public sealed class LeakageBenchTests
{
    private static readonly ArrayDesign Design = new();
    private readonly Dictionary<(double, bool), IReadOnlyList<LeakageResult>> _results = [];
    // The 6T value-store cell under the same conditions, measured in the same ngspice session.
    private readonly Dictionary<(double, bool), IReadOnlyList<LeakageResult>> _sixT = [];

    [OneTimeSetUp]
    public void MeasureHoldCell()
    {
        using var engine = TestAssets.StartNgspice();
        foreach (bool tunnelling in new[] { false, true })
        {
            var technology = Technology.Ptm16Lp() with { GateTunneling = tunnelling };
            var cell = LeakageCell.TenTransistorHold(technology, Design);
            foreach (double celsius in new[] { 27.0, 85.0 })
            {
                var states = LeakageBench.Measure(engine, technology, cell, celsius);
                _results[(celsius, tunnelling)] = states;
                _sixT[(celsius, tunnelling)] = LeakageBench.Measure(engine, technology, LeakageCell.SixTransistorHold(technology), celsius);
                TestContext.Progress.WriteLine($"10T hold, {celsius} C, tunnelling {(tunnelling ? "on" : "off")}: mean {LeakageBench.MeanPowerWatts(states):G4} W; "
                    + string.Join("; ", states.Select(s => $"{s.State} {s.PowerWatts:G4} W (" + string.Join(", ", s.Rails.Select(r => $"{r.Node} {r.CurrentAmperes:G3} A")) + ")")));
            }
        }
    }

    [Test]
    public void When_CellHeld_Expect_BothStoredValuesToHold()
    {
        // LeakageBench.Measure throws if a storage node moves by more than 10% of VDD; here: q is the stored value within 50 mV.
        foreach (var states in _results.Values)
        {
            Assert.That(states.Single(s => s.State == "k=1").StorageVolts["q"], Is.EqualTo(0.9).Within(0.05));
            Assert.That(states.Single(s => s.State == "k=0").StorageVolts["q"], Is.EqualTo(0).Within(0.05));
        }
    }

    [Test]
    public void When_Heated_Expect_SubthresholdLeakageToRiseSeveralFold()
    {
        // Subthreshold current rises with temperature (lower Vth, larger kT/q): from 27 C to 85 C a bulk LP device's off
        // current rises by roughly 3-20x; the bounds are that band, wide because the card's temperature coefficients set it.
        double cool = LeakageBench.MeanPowerWatts(_results[(27, false)]);
        double hot = LeakageBench.MeanPowerWatts(_results[(85, false)]);
        Assert.That(hot / cool, Is.InRange(3.0, 20.0));
    }

    [Test]
    public void When_GateTunnellingOn_Expect_MoreLeakageAtEveryTemperature()
    {
        foreach (double celsius in new[] { 27.0, 85.0 })
            Assert.That(LeakageBench.MeanPowerWatts(_results[(celsius, true)]), Is.GreaterThan(LeakageBench.MeanPowerWatts(_results[(celsius, false)])));
    }

    [Test]
    public void When_CellHeld_Expect_PicowattClassPowerFromRealRails()
    {
        // A few minimum LP devices off at 0.9 V leak pA each: the cell's power must be between 0.1 pW and 1 nW, and every
        // rail's delivered power is non-negative by construction (sinks are not credited).
        foreach (var states in _results.Values)
            foreach (var s in states)
            {
                Assert.That(s.PowerWatts, Is.InRange(1e-13, 1e-9));
                Assert.That(s.Rails, Has.All.Matches<RailLeakage>(r => r.DeliveredWatts >= 0));
            }
    }

    [Test]
    public void When_AValueStoreCellIsHeld_Expect_ItsStorageCoreToLeakNoMoreThanTheDistanceCell()
    {
        // The value store (each LUT row's next hidden state, location and class) is outside the energy account; this
        // compares what one of its 6T cells leaks with the 10T key cell, at both temperatures, tunnelling on and off.
        foreach (var ((celsius, tunnelling), six) in _sixT)
        {
            double p6 = LeakageBench.MeanPowerWatts(six), p10 = LeakageBench.MeanPowerWatts(_results[(celsius, tunnelling)]);
            TestContext.Progress.WriteLine($"6T hold, {celsius} C, tunnelling {(tunnelling ? "on" : "off")}: mean {p6:G4} W (10T: {p10:G4} W, ratio {p6 / p10:F3})");
            Assert.That(p6, Is.InRange(1e-14, 1e-9), "picowatt class from real rails");
            Assert.That(p6, Is.LessThanOrEqualTo(p10 * 1.0001), "a subset of the 10T cell's devices, bitlines at VDD instead of VPmax");
            Assert.That(six.SelectMany(r => r.Rails), Has.All.Matches<RailLeakage>(r => r.DeliveredWatts >= 0));
        }
    }

    [Test]
    public void When_PortHasNoRole_Expect_BadInput()
    {
        var cell = LeakageCell.TenTransistorHold(Technology.Ptm16Lp(), Design);
        var biases = cell.Biases.Where(b => b.Key != "sl").ToDictionary(b => b.Key, b => b.Value);
        var e = Assert.Throws<BadInputException>(() => (cell with { Biases = biases }).Validated());
        Assert.That(e!.Message, Does.Contain("'sl'").And.Contain("exactly one"));
    }

    [Test]
    public void When_InferenceLeaks_Expect_CellsTimesPowerTimesTimeTimesUngatedShare()
    {
        var energy = new LeakageEnergy { Cells = 42e6, CellPowerWatts = 3.3e-12, PeripheryPowerWatts = 1e-9, InferenceSeconds = 6.5e-6, PowerGatingFraction = 0.25 }.Validated();
        Assert.That(energy.CellJoules, Is.EqualTo(42e6 * 3.3e-12 * 6.5e-6 * 0.75).Within(1e-9).Percent);
        Assert.That(energy.TotalJoules, Is.EqualTo(energy.CellJoules + 6.5e-15).Within(1e-9).Percent);
        Assert.Throws<BadInputException>(() => (energy with { PowerGatingFraction = 1 }).Validated());
    }
}
