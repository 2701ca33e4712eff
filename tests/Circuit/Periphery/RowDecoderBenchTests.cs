using Mbi.Circuit.Leakage;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Periphery;
using Mbi.Core.Errors;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.Circuit.Tests.Periphery;

[TestFixture]
public sealed class RowDecoderBenchTests
{
    private static readonly ArrayDesign Design = new();
    // A sequential scan of rows 0..7 and back to 0: 8 accesses, address bits toggling as in a counter.
    private static readonly int[] Scan = [0, 1, 2, 3, 4, 5, 6, 7, 0];
    private RowDecoderBench _bench = null!;
    private RowAccessEnergy _energy = null!;

    [OneTimeSetUp]
    public void RunScan()
    {
        using var engine = TestAssets.StartNgspice();
        _bench = new RowDecoderBench(Technology.Ptm16Lp(), Design, new RowDecoderDesign(), Scan);
        string? dump = Environment.GetEnvironmentVariable("MBI_DUMP_DECKS");
        if (dump is not null) File.WriteAllText(Path.Combine(dump, "rowdecoder.cir"), _bench.Write());
        _energy = RowDecoderMeter.Measure(engine, _bench);
        TestContext.Progress.WriteLine($"per access: vdec {_energy.JoulesPerAccessByRail["vdec"]:G4} J, vrow {_energy.JoulesPerAccessByRail["vrow"]:G4} J, " +
            $"vcell {_energy.JoulesPerAccessByRail["vcell"]:G4} J, vbl {_energy.JoulesPerAccessByRail["vbl"]:G4} J, inputs {_energy.AddressInputJoulesPerAccess:G4} J, " +
            $"select path {_energy.SelectPathJoules:G4} J; selected line {_energy.SelectedLineLowVolts:G3} V, released line {_energy.DeselectedLineHighVolts:G3} V");
    }

    [Test]
    public void When_RowsScanned_Expect_SelectedSourceLineGroundedAndPreviousReleased()
    {
        // Within one access the new row's source line must be near ground and the old one back near VPmax (10% margins).
        Assert.That(_energy.SelectedLineLowVolts, Is.LessThan(0.1 * Design.VpMaxVolts));
        Assert.That(_energy.DeselectedLineHighVolts, Is.GreaterThan(0.9 * Design.VpMaxVolts));
    }

    [Test]
    public void When_RowsScanned_Expect_DriverRailToDeliverAtLeastTheSourceLineWireCV2()
    {
        // Each access releases one source line from ground to VPmax: the VPmax rail must deliver at least C_wire x VPmax^2
        // (the cells' junctions and the driver's own drain add to it); no more than 20x (a bound that catches a bench that
        // charges every row, or a shoot-through fault).
        double wireCv2 = _bench.SourceLineWireFarads * Design.VpMaxVolts * Design.VpMaxVolts;
        Assert.That(_energy.JoulesPerAccessByRail["vrow"], Is.GreaterThan(wireCv2));
        Assert.That(_energy.JoulesPerAccessByRail["vrow"], Is.LessThan(20 * wireCv2));
    }

    [Test]
    public void When_RowsScanned_Expect_DecoderToDeliverAtLeastThePredecodeWiresItSwitches()
    {
        // A counter step 0->1..7->0 raises on average at least one predecode line (pa or pb): its wire C V^2 is a floor.
        double floor = _bench.PredecodeWireFarads * Technology.Ptm16Lp().VddVolts * Technology.Ptm16Lp().VddVolts;
        Assert.That(_energy.JoulesPerAccessByRail["vdec"], Is.GreaterThan(floor));
    }

    [Test]
    public void When_DecoderHeld_Expect_LeakageRisesWithTemperatureAndGateTunnelling()
    {
        using var engine = TestAssets.StartNgspice();
        double Periphery(IReadOnlyList<RailLeakage> rails) => rails.Where(r => r.Node is "vdec" or "vrow").Sum(r => r.DeliveredWatts);
        // The three points the assertions compare (an operating point each, the costliest step of this fixture):
        // 27 C and 85 C without tunnelling, and 27 C with it. 85 C with tunnelling is not compared, so not run.
        var power = new Dictionary<(double, bool), double>();
        foreach (var (celsius, tunnelling) in new[] { (27.0, false), (85.0, false), (27.0, true) })
        {
            var bench = new RowDecoderBench(Technology.Ptm16Lp() with { GateTunneling = tunnelling }, Design, new RowDecoderDesign(), Scan);
            power[(celsius, tunnelling)] = Periphery(RowDecoderMeter.Leakage(engine, bench, celsius));
        }
        TestContext.Progress.WriteLine("decoder + 32 row drivers static power: " + string.Join(", ", power.Select(p => $"{p.Key.Item1} C tunnelling {(p.Key.Item2 ? "on" : "off")} {p.Value:G4} W")));
        Assert.That(power[(27, false)], Is.GreaterThan(0));
        Assert.That(power[(85, false)], Is.GreaterThan(2 * power[(27, false)]), "subthreshold leakage at least doubles from 27 C to 85 C");
        Assert.That(power[(27, true)], Is.GreaterThan(power[(27, false)]));
    }

    [Test]
    public void When_AllCellsOfTheSelectedRowConduct_Expect_DriverToHoldTheSourceLineWithinAFewHundredMillivolts()
    {
        // 32 discharge stacks into one source line with the bitlines held at VPmax (a steady worst case: real bitlines
        // discharge and the current decays). Reported, not hidden: the row bench grounds its source line ideally.
        // Bounds: above 0 (the driver has resistance) and below 0.2 V (the stacks would lose too much drive); a 4x
        // stronger driver must lower the rise.
        using var engine = TestAssets.StartNgspice();
        int[] scan = [0, 1, 2];
        double Rise(int strength) => RowDecoderMeter.SelectedLineUnderLoadVolts(engine,
            new RowDecoderBench(Technology.Ptm16Lp(), Design, new RowDecoderDesign { DriverStrength = strength }, scan));
        double standard = Rise(8), strong = Rise(32);
        TestContext.Progress.WriteLine($"selected source line under 32 conducting cells: driver strength 8 {standard * 1e3:F1} mV, strength 32 {strong * 1e3:F1} mV");
        Assert.That(standard, Is.InRange(0.0, 0.2));
        Assert.That(strong, Is.LessThan(standard));
    }

    [TestCase(-1)]
    [TestCase(32)]
    public void When_RowAddressOutOfRange_Expect_BadInput(int row)
    {
        var e = Assert.Throws<BadInputException>(() => new RowDecoderBench(Technology.Ptm16Lp(), Design, new RowDecoderDesign(), [0, row]));
        Assert.That(e!.Message, Does.Contain("row address").And.Contain("between 0 and 31"));
    }
}
