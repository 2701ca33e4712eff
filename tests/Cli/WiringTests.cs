using System.CommandLine;
using Mbi.Circuit.Adc;
using Mbi.Circuit.Design;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Cli.Commands;
using Mbi.CoSim.Studies;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Cli.Tests;

/// <summary>
/// The flags that wire the array scheme, operating conditions, Pelgrom mismatch, saved decks, sweep axes and the ADC
/// model into the settings records, table by table; and the bad inputs of issue #12, each one line with exit code 2.
/// Pure parsing: no simulation runs.
/// </summary>
[TestFixture]
[NonParallelizable] // the command-line cases redirect the process-wide Console
public sealed class WiringTests
{
    private static ParseResult Parse(Action<Command> addOptions, params string[] args)
    {
        var command = new Command("under-test");
        addOptions(command);
        var parse = command.Parse(args);
        Assert.That(parse.Errors, Is.Empty, string.Join("; ", parse.Errors.Select(e => e.Message)));
        return parse;
    }

    private static CircuitDesign Design(params string[] args)
    {
        var options = new CircuitOptions(defaultSamples: 2);
        return options.Settings(Parse(options.AddTo, args)).Design;
    }

    // Each flag lands in its design field in SI units. Exact equality where the engineering parser divides a decimal
    // mantissa by an exact power of ten (the expected literal is that same double); "4f" is SPICE's 4 femto.
    private static IEnumerable<TestCaseData> FlagToField()
    {
        TestCaseData Case(string flag, string value, Func<CircuitDesign, object> field, object expected) =>
            new TestCaseData(new[] { flag, value }, (Func<object, object>)(d => field((CircuitDesign)d)), expected).SetName($"When_{flag.TrimStart('-')}_{value}_Expect_{expected}");
        yield return Case("--row-select", "source-line-high", d => d.Array.RowSelect, RowSelect.SourceLineHigh);
        yield return Case("--row-select", "row-gated", d => d.Array.RowSelect, RowSelect.RowGated);
        yield return Case("--unselected-rows", "full", d => d.Array.UnselectedRows, UnselectedRows.Full);
        yield return Case("--rails", "within-vdd", d => d.Array.Rails, RailScheme.WithinVdd);
        yield return Case("--rails", "boosted", d => d.Array.Rails, RailScheme.Boosted);
        yield return Case("--scan-protocol", "static-per-node", d => d.Array.ScanProtocol, ScanProtocol.StaticPerNode);
        yield return Case("--sum-line-reset", "with-precharge", d => d.Array.SumLineReset, SumLineReset.WithPrecharge);
        yield return Case("--sum-line-reset", "until-share", d => d.Array.SumLineReset, SumLineReset.UntilShare);
        yield return Case("--precharge-width", "4", d => d.Array.PrechargeWidthRatio, 4.0);
        yield return Case("--share-width", "8", d => d.Array.ShareWidthRatio, 8.0);
        yield return Case("--precharge-time", "2ns", d => d.Array.PrechargeSeconds, 2e-9);
        yield return Case("--share-time", "4ns", d => d.Array.ShareSeconds, 4e-9);
        yield return Case("--stored-data-seed", "18446744073709551615", d => d.Array.StoredDataSeed, ulong.MaxValue);
        yield return Case("--row-gate-width", "3", d => d.Array.RowGateWidthRatio, 3.0);
        yield return Case("--adc-sampling-cap", "20fF", d => d.Array.AdcSamplingCapacitanceFarads, 20e-15);
        yield return Case("--charge-pump-efficiency", "0.8", d => d.Array.ChargePumpEfficiency, 0.8);
        yield return Case("--bitline-cap", "0", d => d.Array.BitlineCapacitanceFarads, 0.0);
        yield return Case("--bitline-cap", "4f", d => d.Array.BitlineCapacitanceFarads, 4e-15);
        yield return Case("--sumline-cap", "4fF", d => d.Array.SumLineCapacitanceFarads, 4e-15);
        yield return Case("--vp-max", "600m", d => d.Array.VpMaxVolts, 0.6);
        yield return Case("--vp-max", "600mV", d => d.Array.VpMaxVolts, 0.6);
        yield return Case("--eval-window", "3n", d => d.Array.EvalWindowSeconds, 3e-9);
        yield return Case("--eval-window", "3ns", d => d.Array.EvalWindowSeconds, 3e-9);
        yield return Case("--temp", "-40C", d => d.Technology.Conditions.TemperatureCelsius, -40.0);
        yield return Case("--temp", "-40", d => d.Technology.Conditions.TemperatureCelsius, -40.0);
        yield return Case("--temp", "125C", d => d.Technology.Conditions.TemperatureCelsius, 125.0);
        yield return Case("--corner", "ss", d => d.Technology.Conditions.Corner.Name, "SS");
        yield return Case("--corner", "FS", d => d.Technology.Conditions.Corner.Name, "FS");
        yield return Case("--vdd", "0.8V", d => d.Technology.VddVolts, 0.8);
    }

    [TestCaseSource(nameof(FlagToField))]
    public void When_FlagGiven_Expect_ItsDesignField(string[] args, Func<object, object> field, object expected) =>
        Assert.That(field(Design(args)), Is.EqualTo(expected));

    [Test]
    public void When_CornerAndTemperatureGiven_Expect_TheyTravelInTheDesignFileAndItsHash()
    {
        var hot = Design("--corner", "SS", "--temp", "125C");
        var cold = Design("--corner", "SS", "--temp", "-40C");
        Assert.That(DesignFile.Hash(hot), Is.Not.EqualTo(DesignFile.Hash(cold)));
        Assert.That(DesignFile.Hash(hot), Is.Not.EqualTo(DesignFile.Hash(new CircuitDesign())));
        var read = DesignFile.Parse(DesignFile.Text(hot), "hot.json");
        Assert.That(read.Technology.Conditions, Is.EqualTo(hot.Technology.Conditions));
        Assert.That(DesignFile.Hash(read), Is.EqualTo(DesignFile.Hash(hot)));
        Assert.That(read.Technology.ModelCardForNetlist, Does.Contain(".temp 125"), "the deck runs at the design's temperature");
    }

    [Test]
    public void When_VddGivenWithTheDefaultCard_Expect_TheDeckSupplyIsThatVoltage()
    {
        var options = new CircuitOptions(defaultSamples: 2);
        var settings = options.Settings(Parse(options.AddTo, "--vdd", "0.8V")).Settings;
        var deck = new RowBench(settings.Technology, settings.Design, new Staircase(settings.Design.Columns).Program).Write();
        Assert.That(deck, Does.Contain("vdd vdd 0 DC 0.8\n"));
    }

    [Test]
    public void When_PelgromGivenInMilliVoltMicrons_Expect_VoltMetres()
    {
        var options = new CircuitOptions(defaultSamples: 2);
        // 1 mV.um = 1e-3 V x 1e-6 m = 1e-9 V.m; the parser multiplies by 1e-9, so compare within one ulp-scale tolerance.
        foreach (string text in new[] { "1.36", "1.36mV.um" })
        {
            var settings = options.Settings(Parse(options.AddTo, "--pelgrom-avt", text)).Settings;
            Assert.That(settings.PelgromAvtVoltMeters, Is.EqualTo(1.36e-9).Within(1e-22), text);
        }
        Assert.That(options.Settings(Parse(options.AddTo)).Settings.PelgromAvtVoltMeters, Is.Null, "off by default");
    }

    [Test]
    public void When_SaveDecksGiven_Expect_AnAbsoluteFolderInTheSettings()
    {
        var options = new CircuitOptions(defaultSamples: 2);
        var settings = options.Settings(Parse(options.AddTo, "--save-decks", "decks")).Settings;
        Assert.That(settings.SaveDecksDirectory, Is.EqualTo(Path.GetFullPath("decks")));
    }

    [Test]
    public void When_DesignDescribed_Expect_TheSchemeAndNoLumpedBitlineLoad()
    {
        var options = new CircuitOptions(defaultSamples: 2);
        var (settings, _, stamp) = options.Settings(Parse(options.AddTo, "--row-select", "source-line-high", "--corner", "SS", "--temp", "-40C"));
        string text = CircuitOptions.Describe(settings, stamp);
        Assert.That(text, Does.Contain("source-line-high row select").And.Contain("SS, -40 C").And.Not.Contain("C_BL"));
    }

    [TestCase("spice", AdcModel.Spice)]
    [TestCase("NeuroSim", AdcModel.NeuroSim)]
    [TestCase("survey", AdcModel.Survey)]
    public void When_AdcModelNamed_Expect_ThatModel(string text, AdcModel expected)
    {
        var adc = AdcModelOption.Create();
        Assert.That(Parse(c => c.Options.Add(adc), "--adc", text).GetValue(adc), Is.EqualTo(expected));
    }

    [TestCase("temp=-40C,27C,125C", "temp", new[] { -40.0, 27, 125 })]
    [TestCase("vdd=0.8V,0.9V", "vdd", new[] { 0.8, 0.9 })]
    [TestCase("corner=TT,SS,FF", "corner", new[] { 0.0, 1, 2 })]
    [TestCase("row-select=row-gated,source-line-high", "row-select", new[] { 0.0, 1 })]
    [TestCase("rails=boosted,within-vdd", "rails", new[] { 0.0, 1 })]
    public void When_NewSweepAxisGiven_Expect_ItsValues(string text, string name, double[] values)
    {
        var axis = SweepCommand.ParseAxes([text]).Single();
        Assert.That(axis.Name, Is.EqualTo(name));
        Assert.That(axis.Values, Is.EqualTo(values).Within(1e-12));
    }

    [Test]
    public void When_SweepPointApplied_Expect_ConditionsAndSchemeInItsSettingsAndJournalName()
    {
        var options = new CircuitOptions(defaultSamples: 2);
        var settings = options.Settings(Parse(options.AddTo)).Settings;
        var axes = SweepCommand.ParseAxes(["corner=TT,SS", "row-select=row-gated,source-line-high"]);
        var grid = DesignSweep.Grid(axes);
        Assert.That(grid, Has.Count.EqualTo(4));
        var last = DesignSweep.Apply(settings, grid[3], axes);
        Assert.That(last.Technology.Conditions.Corner.Name, Is.EqualTo("SS"));
        Assert.That(last.Design.RowSelect, Is.EqualTo(RowSelect.SourceLineHigh));
        Assert.That(DesignSweep.JournalName(grid[3], axes), Is.EqualTo("dies_corner=SS_row-select=source-line-high.journal"));
        var temp = SweepCommand.ParseAxes(["temp=-40C,125C"]);
        Assert.That(DesignSweep.Apply(settings, DesignSweep.Grid(temp)[0], temp).Technology.Conditions.TemperatureCelsius, Is.EqualTo(-40));
    }

    [Test]
    public void When_RailsAxisApplied_Expect_EachPointsSchemeAndJournalName()
    {
        var options = new CircuitOptions(defaultSamples: 2);
        var settings = options.Settings(Parse(options.AddTo)).Settings;
        var axes = SweepCommand.ParseAxes(["rails=boosted,within-vdd"]);
        var grid = DesignSweep.Grid(axes);
        Assert.That(grid.Select(p => DesignSweep.Apply(settings, p, axes).Design.Rails), Is.EqualTo(new[] { RailScheme.Boosted, RailScheme.WithinVdd }));
        Assert.That(DesignSweep.JournalName(grid[1], axes), Is.EqualTo("dies_rails=within-vdd.journal"));
    }

    [Test]
    public void When_TheIssuesSweepGiven_Expect_NineValidPoints()
    {
        // mbi sweep --vary corner=TT,SS,FF --vary temp=-40C,27C,125C --samples 8 (issue #10), parsed and built, not run.
        var options = new CircuitOptions(defaultSamples: 20);
        var settings = options.Settings(Parse(options.AddTo, "--samples", "8")).Settings;
        var axes = SweepCommand.ParseAxes(["corner=TT,SS,FF", "temp=-40C,27C,125C"]);
        var points = DesignSweep.Grid(axes).Select(p => DesignSweep.Apply(settings, p, axes).Validated()).ToList();
        Assert.That(points.Select(p => p.Technology.Conditions.ToString()),
            Is.EqualTo(new[] { "TT, -40 C", "SS, -40 C", "FF, -40 C", "TT, 27 C", "SS, 27 C", "FF, 27 C", "TT, 125 C", "SS, 125 C", "FF, 125 C" }));
        Assert.That(points.All(p => p.Samples == 8));
    }

    [Test]
    public void When_OwnCardWithoutCornerTable_Expect_OnlyTypicalCorner()
    {
        string card = Path.Combine(Path.GetTempPath(), $"mbi-card-{Guid.NewGuid():N}.lib");
        File.WriteAllText(card, Mbi.Circuit.Models.Technology.Ptm16Lp().ModelCard);
        try
        {
            var tt = Design("--model-card", card, "--temp", "85C");
            Assert.That(tt.CornerTable, Is.Null);
            Assert.That(tt.Technology.Conditions.TemperatureCelsius, Is.EqualTo(85));
            var options = new CircuitOptions(defaultSamples: 2);
            var e = Assert.Throws<BadInputException>(() => options.Settings(Parse(options.AddTo, "--model-card", card, "--corner", "SS")));
            Assert.That(FlagNames.Message(e!), Does.StartWith("--corner was SS").And.Contain("without a corner table"));
        }
        finally { File.Delete(card); }
    }

    private static (int Exit, string Err) Run(params string[] args)
    {
        var (exit, _, err) = InProcessCli.Run(args);
        return (exit, err);
    }

    // Every bad value is one `mbi: error:` line naming the flag and the value, with the fix; exit code 2; nothing runs.
    [TestCase("mc --samples abc", "--samples was 'abc'", "whole number")]
    [TestCase("mc --samples 1.5", "--samples was '1.5'", "whole number")]
    [TestCase("mc --samples 99999999999", "--samples was 99999999999", "between 1 and 1000000")]
    [TestCase("mc --seed -1", "--seed was -1", ">= 0")]
    [TestCase("energy --rows 20k", "--rows was '20k'", "written out in digits")]
    [TestCase("infer --lut x.lut --images 10k", "--images was '10k'", "written out in digits")]
    [TestCase("mc --columns 32.5", "--columns was '32.5'", "whole number (e.g. 32)")]
    [TestCase("mc --adc-bits five", "--adc-bits was 'five'", "whole number written out in digits (e.g. 5)")]
    [TestCase("mc --temp 200C", "--temp was 200 C", "between -55 C and 150 C")]
    [TestCase("mc --temp -40K", "--temp was '-40K'", "-40C")]
    [TestCase("mc --corner XX", "--corner was XX", "TT, FF, SS, FS, SF")]
    [TestCase("mc --corner-table /no/such/corners.json", "--corner-table was /no/such/corners.json", "ptm16lp.corners.json")]
    [TestCase("mc --row-select 10t", "--row-select was '10t'", "row-gated, source-line-high")]
    [TestCase("mc --rails none", "--rails was 'none'", "boosted, within-vdd")]
    [TestCase("mc --scan-protocol once", "--scan-protocol was 'once'", "toggle-per-row, static-per-node")]
    [TestCase("mc --sum-line-reset never", "--sum-line-reset was 'never'", "until-share, with-precharge")]
    [TestCase("mc --read-order shuffled", "--read-order was 'shuffled'", "staircase, random")]
    [TestCase("sweep --vary temp=27C --drivers recorded", "--drivers was 'recorded'", "replayed, simulated")]
    [TestCase("mc --share-width 0.5", "--share-width was 0.5", "between 1 and 16")]
    [TestCase("sweep --vary rails=none", "--vary rails was none", "within-vdd")]
    [TestCase("mc --unselected-rows half", "--unselected-rows was 'half'", "merged, full")]
    [TestCase("mc --stored-data-seed -3", "--stored-data-seed was -3", ">= 0")]
    [TestCase("mc --row-gate-width 0.5", "--row-gate-width was 0.5", "between 1 and 16")]
    [TestCase("mc --charge-pump-efficiency 0", "--charge-pump-efficiency was 0", "> 0 and <= 1")]
    [TestCase("mc --adc-sampling-cap 4x", "--adc-sampling-cap was '4x'", "4f, 4fF, 4e-15")]
    [TestCase("mc --bitline-cap -1fF", "--bitline-cap was -1.00 fF", "between 0 and 10.0 pF")]
    [TestCase("mc --eval-window 3x", "--eval-window was '3x'", "3n, 3ns, 3e-9")]
    [TestCase("mc --vp-max 60q", "--vp-max was '60q'", "60m, 60mV")]
    [TestCase("mc --vdd 1.5", "--vdd was 1.50 V", "between 500 mV and 1.20 V")]
    [TestCase("mc --nmos-model nch", "--nmos-model was nch", "--model-card")]
    [TestCase("mc --pelgrom-avt 20", "--pelgrom-avt was 20 mV.um", "<= 10 mV.um")]
    [TestCase("mc --pelgrom-avt 1.36mV", "--pelgrom-avt was '1.36mV'", "1.36mV.um")]
    [TestCase("energy --adc flash", "--adc was 'flash'", "spice, neurosim or survey")]
    [TestCase("sweep --vary row-select=10t", "--vary row-select was 10t", "source-line-high")]
    [TestCase("sweep --vary corner=TT,XX", "--corner was XX", "TT, FF, SS, FS, SF")]
    public void When_BadValue_Expect_OneLineExitTwoNamingFlagValueAndFix(string commandLine, string named, string fix)
    {
        string output = Path.Combine(Path.GetTempPath(), $"mbi-wiring-{Guid.NewGuid():N}");
        string[] args = commandLine.Split(' ');
        var (exit, stderr) = Run(args[0] is "mc" or "sweep" ? [.. args, "--out", output] : args);
        Assert.That(exit, Is.EqualTo(MbiCli.UserErrorExitCode), stderr);
        var lines = stderr.Trim().Split('\n');
        Assert.That(lines, Has.Length.EqualTo(1), stderr);
        Assert.That(lines[0], Does.StartWith("mbi: error: " + named).And.Contain(fix));
        Assert.That(Directory.Exists(output), Is.False, "nothing ran");
    }
    [Test]
    public void When_AKilledRunLeftAnEngineCopyAndTheCommandIsRefused_Expect_StillOneLineAndTheCopyReclaimed()
    {
        // A killed run's ngspice copy (its pid no longer runs) is reclaimed before any circuit command, but a refused
        // command says only its error: the note is printed after a run that succeeds (CI once saw it as a second line).
        string gone = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"{Mbi.Circuit.Engine.TempCopies.Prefix}{int.MaxValue - 15}-{Guid.NewGuid():N}")).FullName;
        File.WriteAllBytes(Path.Combine(gone, "libngspice.so.0"), new byte[100]);
        string output = Path.Combine(Path.GetTempPath(), $"mbi-wiring-{Guid.NewGuid():N}");
        try
        {
            var (exit, stderr) = Run("mc", "--temp", "200C", "--out", output);
            Assert.That(exit, Is.EqualTo(MbiCli.UserErrorExitCode), stderr);
            Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1), stderr);
            Assert.That(Directory.Exists(gone), Is.False, "reclaimed all the same");
        }
        finally { if (Directory.Exists(gone)) Directory.Delete(gone, recursive: true); }
    }
}
