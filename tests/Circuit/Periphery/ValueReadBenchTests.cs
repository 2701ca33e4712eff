using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Mbi.Circuit.Energy;
using Mbi.Circuit.Models;
using Mbi.Circuit.Periphery;
using Mbi.Core.Errors;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.Circuit.Tests.Periphery;

[TestFixture]
public sealed class ValueReadBenchTests
{
    private static readonly ValueReadDesign Design = new();
    private ValueReadBench _bench = null!;
    private ValueReadEnergy _energy = null!;
    private ValueReadBench _wideBench = null!;
    private ValueReadEnergy _wide = null!;
    private ValueReadEnergy _tall = null!;

    [OneTimeSetUp]
    public void ReadTheColumn()
    {
        using var engine = TestAssets.StartNgspice();
        _bench = new ValueReadBench(Technology.Ptm16Lp(), Design);
        string? dump = Environment.GetEnvironmentVariable("MBI_DUMP_DECKS");
        if (dump is not null) File.WriteAllText(Path.Combine(dump, "valueread.cir"), _bench.Write());
        _energy = ValueReadMeter.Measure(engine, _bench);
        // The same column in a row twice as wide (the row lines' loads double) and on a bitline twice as tall; two metered
        // reads (a 1 and a 0) each, enough for a mean over both stored values.
        _wideBench = new ValueReadBench(Technology.Ptm16Lp(), Design with { Columns = 2 * Design.Columns }, reads: 2);
        _wide = ValueReadMeter.Measure(engine, _wideBench);
        _tall = ValueReadMeter.Measure(engine, new ValueReadBench(Technology.Ptm16Lp(), Design with { Rows = 2 * Design.Rows }, reads: 2));
        foreach (var (name, e) in new[] { ("default", _energy), ("2x columns", _wide), ("2x rows", _tall) })
            TestContext.Progress.WriteLine($"value read, {name} ({e.Rows} rows x {e.Columns} columns, cycle {e.CycleSeconds * 1e9:G3} ns): " +
                $"per row read {e.JoulesPerRowRead:G4} J = row lines {e.RowLinesJoules:G4} J (word line {e.WordLineJoules:G4}, precharge gate {e.PrechargeGateJoules:G4}, sense enable {e.SenseEnableJoules:G4}) " +
                $"+ {e.Columns} x {e.PerColumnJoules:G4} J (precharge {e.PrechargeJoulesPerColumn:G4}, sense amp {e.SenseAmpJoulesPerColumn:G4}, cells {e.CellJoulesPerColumn:G4}); " +
                $"floors: word line {e.WordLineFloorJoules:G4} J, row lines {e.RowLinesFloorJoules:G4} J, bitline restore {e.BitlineRestoreFloorJoules:G4} J per column, row {e.FloorJoulesPerRowRead:G4} J; " +
                $"swing {e.SmallestSwingVolts * 1e3:F1}-{e.SwingVolts.Max() * 1e3:F1} mV; reads " +
                string.Join("", e.DecidedBits.Select(b => b is null ? "?" : b.Value ? "1" : "0")) + $" (expected {string.Join("", e.ExpectedBits.Select(b => b ? "1" : "0"))}); " +
                "rails " + string.Join(", ", e.JoulesPerReadByRail.Select(r => $"{r.Key} {r.Value:G3}")) +
                $"; sunk (not credited) {e.SunkJoulesPerReadByRail.Values.Sum():G3} J");
    }

    [Test]
    public void When_ColumnRead_Expect_EveryStoredValueReadAndKept()
    {
        Assert.That(_energy.ExpectedBits, Is.EqualTo(new[] { false, true, false, true }));
        Assert.That(_energy.DecidedBits, Is.EqualTo(_energy.ExpectedBits.Select(b => (bool?)b)));
        Assert.That(_energy.StoredDataHeld, Is.True, "no read may flip a cell");
        Assert.That(_energy.AllReadsCorrect && _wide.AllReadsCorrect && _tall.AllReadsCorrect, Is.True);
        Assert.That(_energy.RequireCorrect(), Is.SameAs(_energy));
    }

    [Test]
    public void When_ColumnRead_Expect_ASwingTheLatchCanResolveAndNoMore()
    {
        // About 5 uA of read current into some 3 fF for the word line's pulse: 0.1 to 0.3 V, enough above a latch's offset
        // (tens of mV) and well short of a full swing, whose restore would cost several times more.
        Assert.That(_energy.SwingVolts, Has.All.InRange(0.1, 0.3));
    }

    [Test]
    public void When_DeckWritten_Expect_EverySourceAMeteredRail()
    {
        string deck = _bench.Write();
        Assert.DoesNotThrow(() => DeckSources.RequireMetered(deck, _bench.Rails, "value read deck"));
        Assert.That(DeckSources.Names(deck), Is.EquivalentTo(_bench.Rails.Select(r => r.Source)), "every rail is in the deck once");
    }

    [TestCase("vsneaky bl 0 DC 0.9", "vsneaky")]
    [TestCase("isneaky 0 bl DC 1u", "isneaky")]
    [TestCase("bsneaky bl 0 V=0.9", "bsneaky")]
    [TestCase("esneaky bl 0 vcell 0 1", "esneaky")]
    public void When_DeckHasAnUnmeteredSource_Expect_Refused(string line, string name)
    {
        string deck = _bench.Write().Replace(".end\n", line + "\n.end\n", StringComparison.Ordinal);
        var e = Assert.Throws<SimulationFailedException>(() => DeckSources.RequireMetered(deck, _bench.Rails, "value read deck"));
        Assert.That(e!.Message, Does.Contain(name).And.Contain("every source must be a metered rail"));
    }

    [Test]
    public void When_ColumnRead_Expect_EveryRailToDrawAndSinkNonNegativeEnergy()
    {
        foreach (var e in new[] { _energy, _wide, _tall })
        {
            Assert.That(e.JoulesPerReadByRail.Values, Has.All.GreaterThanOrEqualTo(0.0));
            Assert.That(e.SunkJoulesPerReadByRail.Values, Has.All.GreaterThanOrEqualTo(0.0));
        }
        Assert.That(_energy.JoulesPerReadByRail.Keys, Is.EquivalentTo(_bench.Rails.Select(r => r.Source)));
    }

    [Test]
    public void When_ColumnRead_Expect_RowLinesAboveTheirCV2Floors()
    {
        // Each read raises one word line, the precharge gate and sense enable once: their rails must deliver at least the
        // explicit loads' C VDD^2 (the drivers' own and the simulated column's gates add to it), and no more than 5x (a bound
        // that catches shoot-through or a line charged twice).
        foreach (var e in new[] { _energy, _wide, _tall })
        {
            Assert.That(e.WordLineJoules, Is.GreaterThan(e.WordLineFloorJoules).And.LessThan(5 * e.WordLineFloorJoules));
            Assert.That(e.RowLinesJoules, Is.GreaterThan(e.RowLinesFloorJoules).And.LessThan(5 * e.RowLinesFloorJoules));
        }
    }

    [Test]
    public void When_ColumnRead_Expect_EachColumnAboveItsBitlineRestoreFloor()
    {
        // The discharged bitline's wire alone must be restored by the swing seen at the sense instant: C_BL VDD dV per column
        // (junctions, the latch's nodes and the discharge after the sense instant add to it).
        foreach (var e in new[] { _energy, _wide, _tall })
        {
            Assert.That(e.PerColumnJoules, Is.GreaterThan(e.BitlineRestoreFloorJoules));
            Assert.That(e.JoulesPerRowRead, Is.GreaterThan(e.FloorJoulesPerRowRead));
        }
    }

    [Test]
    public void When_ColumnsDoubled_Expect_RowLinesToDoubleAndTheColumnToStay()
    {
        // The row lines' loads (gates per column and wire) double; their fan-out-4 drivers scale with them, give or take a
        // stage, so 1.7-2.5x. A column's own energy does not depend on the row's width except through the word line's
        // slower edge (a slightly smaller swing): within 10%.
        Assert.That(_wide.RowLinesJoules / _energy.RowLinesJoules, Is.InRange(1.7, 2.5));
        Assert.That(_wide.PerColumnJoules / _energy.PerColumnJoules, Is.InRange(0.9, 1.1));
        Assert.That(_wide.JoulesPerRowRead / _energy.JoulesPerRowRead, Is.InRange(1.7, 2.5));
    }

    [Test]
    public void When_RowsDoubled_Expect_LessSwingButMoreChargeToRestore()
    {
        // Twice the rows double the bitline's wire and junctions (the latch's nodes and the precharge devices stay), so the
        // same pulse of cell current gives a smaller swing, by less than half; the charge the bitline loses, C_BL dV, grows
        // (the cell's current falls less than the swing does), and so do its wire's restore floor and the precharge rail.
        double ratio = _tall.MeanSwingVolts / _energy.MeanSwingVolts;
        Assert.That(ratio, Is.InRange(0.5, 0.9));
        Assert.That(_tall.BitlineRestoreFloorJoules, Is.GreaterThan(_energy.BitlineRestoreFloorJoules));
        Assert.That(_tall.PrechargeJoulesPerColumn, Is.GreaterThan(_energy.PrechargeJoulesPerColumn));
        Assert.That(_tall.JoulesPerRowRead, Is.GreaterThan(_energy.JoulesPerRowRead));
    }

    [Test]
    public void When_DeckRunByNgspiceCommandLine_Expect_SameBitlinesAndDecisions()
    {
        string ngspice = TestAssets.NgspiceCommand();
        // The short deck (two metered reads), from a folder of its own whose .spiceinit sets one thread as the engine does:
        // ngspice's default OpenMP threads busy-wait on a loaded 2-core machine (15 s instead of about 1 s measured).
        string folder = Path.Combine(Path.GetTempPath(), $"mbi-valueread-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "valueread.cir");
        File.WriteAllText(path, _wideBench.Write());
        File.WriteAllText(Path.Combine(folder, ".spiceinit"), "set num_threads=1\n");
        try
        {
            var start = new ProcessStartInfo(ngspice, ["-b", path]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.That(process.ExitCode, Is.Zero, $"ngspice -b failed: {stderr.Result}");
            var measured = Regex.Matches(output, @"^(bl|blb|d|db)_(\d+)\s*=\s*(\S+)", RegexOptions.Multiline)
                .ToDictionary(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)),
                              m => double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
            Assert.That(measured, Has.Count.EqualTo(4 * _wideBench.Cycles), output.Length > 2000 ? output[^2000..] : output);
            double half = Technology.Ptm16Lp().VddVolts / 2, worst = 0;
            for (int i = 0; i < _wideBench.Reads; i++)
            {
                int c = ValueReadBench.WarmUpCycles + i;
                // Same deck, same ngspice, same samples: .meas and the meter both interpolate linearly at sense enable's crossing
                // (measured: 0.01 uV apart); 10 uV covers .meas's 7 printed digits (0.1 uV at 0.9 V) with a wide margin.
                double swing = Math.Abs(measured[("bl", c)] - measured[("blb", c)]);
                worst = Math.Max(worst, Math.Abs(swing - _wide.SwingVolts[i]));
                Assert.That(swing, Is.EqualTo(_wide.SwingVolts[i]).Within(10e-6), $"swing, read {i}");
                bool? bit = measured[("d", c)] > half && measured[("db", c)] < half ? true : measured[("d", c)] < half && measured[("db", c)] > half ? false : null;
                Assert.That(bit, Is.EqualTo(_wide.DecidedBits[i]), $"decision, read {i}");
            }
            TestContext.Out.WriteLine($"ngspice -b vs engine: largest swing difference {worst * 1e6:F2} uV");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestCase(nameof(ValueReadDesign.Rows), 1, "value_read.rows", "between 2 and 1024")]
    [TestCase(nameof(ValueReadDesign.Columns), 0, "value_read.columns", "between 1 and 1024")]
    [TestCase(nameof(ValueReadDesign.WordLineSeconds), -1e-10, "value_read.word_line_seconds", "100ps")]
    [TestCase(nameof(ValueReadDesign.PrechargeSeconds), double.NaN, "value_read.precharge_seconds", "500ps")]
    [TestCase(nameof(ValueReadDesign.SenseNmosWidthRatio), 0.5, "value_read.sense_nmos_width_ratio", "between 1 and 64")]
    [TestCase(nameof(ValueReadDesign.CellWidthMeters), 0, "value_read.cell_width_meters", "350nm")]
    public void When_DesignValueBad_Expect_BadInputNamingTheField(string field, double value, string name, string allowed)
    {
        var design = field switch
        {
            nameof(ValueReadDesign.Rows) => Design with { Rows = (int)value },
            nameof(ValueReadDesign.Columns) => Design with { Columns = (int)value },
            nameof(ValueReadDesign.WordLineSeconds) => Design with { WordLineSeconds = value },
            nameof(ValueReadDesign.PrechargeSeconds) => Design with { PrechargeSeconds = value },
            nameof(ValueReadDesign.SenseNmosWidthRatio) => Design with { SenseNmosWidthRatio = value },
            _ => Design with { CellWidthMeters = value },
        };
        var e = Assert.Throws<BadInputException>(() => new ValueReadBench(Technology.Ptm16Lp(), design));
        Assert.That(e!.Message, Does.StartWith(name).And.Contain(allowed));
    }

    [TestCase(1)]
    [TestCase(65)]
    public void When_ReadCountOutOfRange_Expect_BadInput(int reads)
    {
        var e = Assert.Throws<BadInputException>(() => new ValueReadBench(Technology.Ptm16Lp(), Design, reads));
        Assert.That(e!.Message, Does.Contain("value read cycles").And.Contain("between 2 and 64"));
    }
}
