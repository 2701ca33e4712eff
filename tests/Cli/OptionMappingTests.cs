using System.CommandLine;
using Mbi.Algorithm.Search;
using Mbi.Cli;
using Mbi.Cli.Commands;
using Mbi.Circuit.Design;
using Mbi.CoSim.Mapping;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Cli.Tests;

/// <summary>
/// Option parsing as pure functions (as BenchmarkDotNet's ConfigParserTests do): a command line in,
/// the settings record the library receives out. No simulation runs.
/// </summary>
[TestFixture]
public sealed class OptionMappingTests
{
    private static ParseResult Parse(Action<Command> addOptions, params string[] args)
    {
        var command = new Command("under-test");
        addOptions(command);
        var parse = command.Parse(args);
        Assert.That(parse.Errors, Is.Empty, string.Join("; ", parse.Errors.Select(e => e.Message)));
        return parse;
    }

    [TestCase(new string[0], Mbi.Circuit.MonteCarlo.ReadOrder.Staircase)]
    [TestCase(new[] { "--read-order", "random" }, Mbi.Circuit.MonteCarlo.ReadOrder.Random)]
    [TestCase(new[] { "--read-order", "staircase" }, Mbi.Circuit.MonteCarlo.ReadOrder.Staircase)]
    public void When_ReadOrderGiven_Expect_ItInTheSettings(string[] args, Mbi.Circuit.MonteCarlo.ReadOrder expected)
    {
        var options = new CircuitOptions(defaultSamples: 20);
        Assert.That(options.Settings(Parse(options.AddTo, args)).Settings.ReadOrder, Is.EqualTo(expected));
    }

    [TestCase(new string[0], Mbi.Circuit.MonteCarlo.DriverSimulation.Replayed)]
    [TestCase(new[] { "--drivers", "simulated" }, Mbi.Circuit.MonteCarlo.DriverSimulation.Simulated)]
    [TestCase(new[] { "--drivers", "Replayed" }, Mbi.Circuit.MonteCarlo.DriverSimulation.Replayed)]
    public void When_DriversGiven_Expect_ItInTheSettings(string[] args, Mbi.Circuit.MonteCarlo.DriverSimulation expected)
    {
        var options = new CircuitOptions(defaultSamples: 20);
        Assert.That(options.Settings(Parse(options.AddTo, args)).Settings.Drivers, Is.EqualTo(expected));
    }

    [Test]
    public void When_ContinuingWithInit_Expect_OnlyBitWidthsAndSigmaToOverrideTheStoredConfiguration()
    {
        var options = new RamModelOptions();
        var stored = Mbi.Algorithm.Ram.RamConfig.Mbi with { HiddenBits = 8 };
        var continued = options.Continuing(Parse(c => { foreach (var o in options.All) c.Options.Add(o); },
            "--hidden-bits", "1", "--sigma", "0.15", "--hidden", "256", "--glimpses", "7"), stored);
        Assert.That(continued, Is.EqualTo(stored with { HiddenBits = 1, PolicySigma = 0.15f }),
            "bit widths and sigma change no weight's shape; --hidden and --glimpses would, and are ignored with --init");
        var untouched = options.Continuing(Parse(c => { foreach (var o in options.All) c.Options.Add(o); }), stored);
        Assert.That(untouched, Is.EqualTo(stored));
    }

    [Test]
    public void When_TeacherIsOrIsNotGiven_Expect_TheDistillWeightOnlyWithATeacher()
    {
        var teacher = new TeacherOptions();
        void Add(Command c) { foreach (var o in teacher.All) c.Options.Add(o); }
        Assert.That(teacher.WeightFor(Parse(Add, "--distill-weight", "0.4")), Is.EqualTo(0f), "no --teacher: labels only");
        Assert.That(teacher.WeightFor(Parse(Add, "--teacher", "t.ram", "--distill-weight", "0.4")), Is.EqualTo(0.4f));
        Assert.That(teacher.WeightFor(Parse(Add, "--teacher", "t.ram")), Is.EqualTo(0.7f), "the documented default");
    }

    [Test]
    public void When_CircuitOptionsGiven_Expect_EveryValueInTheSettingsInSiUnits()
    {
        var options = new CircuitOptions(defaultSamples: 20);
        var settings = options.Settings(Parse(options.AddTo, "--samples", "7", "--sigma-vth", "30mV", "--eval-window", "2ns",
            "--bitline-cap", "6fF", "--sumline-cap", "2fF", "--vp-max", "0.8V", "--precharge-boost", "0.5V", "--share-boost", "0.4V",
            "--columns", "16", "--adc-bits", "6", "--seed", "9", "--workers", "2")).Settings;
        // Exact equality: the engineering parser multiplies a decimal mantissa by a power of ten, and each
        // expected literal below is the same double the parser produces (no arithmetic in between).
        Assert.That(settings.Samples, Is.EqualTo(7));
        Assert.That(settings.SigmaVthVolts, Is.EqualTo(0.030).Within(1e-15));
        Assert.That(settings.Design.EvalWindowSeconds, Is.EqualTo(2e-9).Within(1e-22));
        Assert.That(settings.Design.BitlineCapacitanceFarads, Is.EqualTo(6e-15).Within(1e-28));
        Assert.That(settings.Design.SumLineCapacitanceFarads, Is.EqualTo(2e-15).Within(1e-28));
        Assert.That(settings.Design.VpMaxVolts, Is.EqualTo(0.8).Within(1e-15));
        Assert.That(settings.Design.PrechargeBoostVolts, Is.EqualTo(0.5).Within(1e-15));
        Assert.That(settings.Design.ShareBoostVolts, Is.EqualTo(0.4).Within(1e-15));
        Assert.That(settings.Design.Columns, Is.EqualTo(16));
        Assert.That(settings.AdcBits, Is.EqualTo(6));
        Assert.That(settings.Seed, Is.EqualTo(9UL));
        Assert.That(settings.Workers, Is.EqualTo(2));
    }

    [Test]
    public void When_NoCircuitOptions_Expect_TheDefaultDesign()
    {
        var options = new CircuitOptions(defaultSamples: 20);
        var (settings, _, stamp) = options.Settings(Parse(options.AddTo));
        Assert.That(settings.Samples, Is.EqualTo(20));
        Assert.That(settings.Design, Is.EqualTo(new Mbi.Circuit.Netlists.ArrayDesign()));
        Assert.That(settings.Technology.Name, Does.Contain("PTM"));
        Assert.That(stamp.Source, Is.Null);
        Assert.That(stamp.Sha256, Is.EqualTo(DesignFile.Hash(new CircuitDesign())));
    }

    [Test]
    public void When_DesignFileAndAFlag_Expect_FileValuesWithTheFlagOverridingItsField()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mbi-cli-design-{Guid.NewGuid():N}.json");
        try
        {
            DesignFile.Write(path, new CircuitDesign { Array = new() { EvalWindowSeconds = 2e-9, BitlineCapacitanceFarads = 6e-15 } });
            var options = new CircuitOptions(defaultSamples: 20);
            var (settings, design, stamp) = options.Settings(Parse(options.AddTo, "--design", path, "--bitline-cap", "5fF"));
            Assert.That(settings.Design.EvalWindowSeconds, Is.EqualTo(2e-9), "from the file");
            Assert.That(settings.Design.BitlineCapacitanceFarads, Is.EqualTo(5e-15).Within(1e-28), "the flag wins over the file");
            Assert.That(stamp.Source, Is.EqualTo(path));
            Assert.That(stamp.Sha256, Is.EqualTo(DesignFile.Hash(design)), "the stamp records what ran, flags included");
            Assert.That(stamp.Sha256, Is.Not.EqualTo(DesignFile.Hash(DesignFile.Read(path))));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void When_FlagOutOfTheLibraryRange_Expect_CliMessageNamesTheFlag()
    {
        var options = new CircuitOptions(defaultSamples: 20);
        var parse = Parse(options.AddTo, "--eval-window", "0");
        var e = Assert.Throws<BadInputException>(() => options.Settings(parse));
        Assert.That(e!.Parameter, Is.EqualTo("array.eval_window_seconds"));
        Assert.That(FlagNames.Message(e), Does.StartWith("--eval-window was 0 s; it must be > 0"));
    }

    [Test]
    public void When_CoSimOptionsGiven_Expect_LookupSetupOptions()
    {
        var options = new CoSimOptions();
        var setup = options.Setup(Parse(options.AddTo, "--test-images", "300", "--rows", "5000", "--train-images", "1000",
            "--coding", "thermometer", "--weights", "1,2,3", "--seed", "4"));
        Assert.That(setup.TestImages, Is.EqualTo(300));
        Assert.That(setup.Rows, Is.EqualTo(5000));
        Assert.That(setup.TrainImages, Is.EqualTo(1000));
        Assert.That(setup.Coding, Is.EqualTo(ColumnCoding.Thermometer));
        Assert.That(setup.Seed, Is.EqualTo(4UL));
        Assert.That(setup.ModelPath, Is.EqualTo(CommonOptions.DefaultModel));
        Assert.That(setup.Weights, Is.Not.Null);
    }

    [Test]
    public void When_TreeFlagsGiven_Expect_TheTreeOptionsOfLookupsAndCoSim()
    {
        string[] args = ["--lut", "x.lut", "--branching", "8", "--leaf-size", "16", "--spill-neighbours", "2", "--overlap", "0.1", "--overlap-levels", "3", "--distance-budget", "224"];
        var lookup = new LookupOptions();
        var tree = lookup.Tree(Parse(lookup.AddTo, args));
        var cosim = new CoSimOptions();
        var setupTree = cosim.Setup(Parse(cosim.AddTo, args[2..])).TreeOptions(seed: 1);
        foreach (var t in new[] { tree, setupTree })
        {
            Assert.That(t.Branching, Is.EqualTo(8));
            Assert.That(t.LeafSize, Is.EqualTo(16));
            Assert.That(t.NeighbourSpill, Is.EqualTo(2));
            Assert.That(t.LeafCapacity, Is.EqualTo(32), "spilled keys fill one array");
            Assert.That(t.OverlapRatio, Is.EqualTo(0.1));
            Assert.That(t.OverlapLevels, Is.EqualTo(3));
            Assert.That(t.Budget, Is.EqualTo(224));
        }
        var plain = new CoSimOptions();
        Assert.That(plain.Setup(Parse(plain.AddTo)).TreeOptions(1), Is.EqualTo(new KMeansTreeOptions { Seed = 1 }), "default: the paper's tree");
    }

    [TestCase(new string[0], null)]
    [TestCase(new[] { "--agreement-weight", "20" }, 20.0)]
    [TestCase(new[] { "--agreement-weight", "0" }, 0.0)]
    [TestCase(new[] { "--agreement-weight", "2.5e1" }, 25.0)]
    public void When_AgreementWeightGiven_Expect_ItOrNullForTheCommandsDefault(string[] args, double? expected)
    {
        var lookup = new LookupOptions();
        Assert.That(lookup.AgreementWeight(Parse(lookup.AddTo, ["--lut", "x.lut", .. args])), Is.EqualTo(expected));
    }

    [TestCase("-1", "--agreement-weight was -1; it must be between 0 and 1000000 (e.g. 20).")]
    [TestCase("NaN", "--agreement-weight was 'NaN'; it must be a finite number between 0 and 1000000 (e.g. 20).")]
    [TestCase("twenty", "--agreement-weight was 'twenty'; it must be a finite number between 0 and 1000000 (e.g. 20).")]
    [TestCase("2e6", "--agreement-weight was 2e6; it must be between 0 and 1000000 (e.g. 20).")]
    public void When_AgreementWeightBad_Expect_OneMessageNamingTheValueAndTheRange(string text, string message)
    {
        var command = new Command("under-test");
        new LookupOptions().AddTo(command);
        var errors = command.Parse(["--lut", "x.lut", "--agreement-weight", text]).Errors.Select(e => e.Message).ToList();
        Assert.That(errors, Is.EqualTo(new[] { message }));
    }

    [TestCase(new[] { "--lut", "x.lut", "--spill-neighbours", "2" }, "--spill-neighbours", "--leaf-size")]
    [TestCase(new[] { "--lut", "x.lut", "--distance-budget", "224", "--beam", "4" }, "--beam", "--distance-budget")]
    public void When_TreeFlagsConflict_Expect_BadInputNamingTheFlags(string[] args, string flag, string other)
    {
        var lookup = new LookupOptions();
        var parse = Parse(lookup.AddTo, args);
        var e = Assert.Throws<BadInputException>(() => lookup.Check(parse));
        Assert.That(e!.Message, Does.Contain(flag).And.Contain(other));
    }

    [Test]
    public void When_CodingUnknown_Expect_MessageNamingOptionAndChoices()
    {
        var e = Assert.Throws<BadInputException>(() => CoSimOptions.ParseCoding("gray"));
        Assert.That(e!.Message, Does.Contain("--coding").And.Contain("gray").And.Contain("binary or thermometer"));
    }

    [TestCase("eval-window=1ns,2ns", "eval-window", 2)]
    [TestCase("adc-bits=4,5,6", "adc-bits", 3)]
    [TestCase("sigma-vth=0,30mV,60mV", "sigma-vth", 3)]
    public void When_VaryGiven_Expect_AxisWithParsedValues(string text, string name, int count)
    {
        var axes = SweepCommand.ParseAxes([text]);
        Assert.That(axes, Has.Count.EqualTo(1));
        Assert.That(axes[0].Name, Is.EqualTo(name));
        Assert.That(axes[0].Values, Has.Count.EqualTo(count));
    }

    [TestCase(new[] { "vth=1V" }, "NAME=v1,v2")]
    [TestCase(new[] { "row-select=10t" }, "row-gated or source-line-high")]
    [TestCase(new[] { "corner=TT,TT" }, "each value once")]
    [TestCase(new[] { "eval-window=" }, "at least one value")]
    [TestCase(new[] { "adc-bits=4.5" }, "whole numbers")]
    [TestCase(new[] { "eval-window=1ns", "eval-window=2ns" }, "two different parameters")]
    public void When_VaryMalformed_Expect_BadInputNamingVary(string[] texts, string words)
    {
        var e = Assert.Throws<BadInputException>(() => SweepCommand.ParseAxes(texts));
        Assert.That(e!.Message, Does.Contain("--vary").And.Contain(words));
    }

    [Test]
    public void When_SharedOptionsBuilt_Expect_OneDefaultEach()
    {
        // --model, --images and --workers are defined once; every command that offers them gets the same default.
        var root = MbiCli.BuildRoot();
        foreach (string name in new[] { "--model", "--images", "--workers" })
        {
            var defaults = root.Subcommands.SelectMany(c => c.Options).Where(o => o.Name == name)
                .Select(o => o.Description).Distinct().ToList();
            Assert.That(defaults, Has.Count.EqualTo(1), $"{name} is described (and defaulted) {defaults.Count} different ways: {string.Join(" | ", defaults)}");
        }
    }
}
