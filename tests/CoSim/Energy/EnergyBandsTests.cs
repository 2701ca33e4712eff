using System.Globalization;
using Mbi.Algorithm.Memorization;
using Mbi.Circuit.Adc;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Periphery;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Energy;
using Mbi.CoSim.Mapping;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.CoSim.Tests.Energy;

[TestFixture]
public sealed class EnergyBandsTests
{
    private static readonly ArrayEnergy Unit = new(QueryDriverJoules: 100e-15, RowSelectJoules: 10e-15, CellJoules: 1e-15, LogicInputJoules: 2e-15,
        PrechargeGateDriverJoules: 60e-15, PrechargeRailJoules: 30e-15, ShareDriverJoules: 150e-15, UnselectedRowJoules: 0);

    /// <summary>Hand-set points: every figure below is arithmetic on these, so the expected values are exact up to double rounding.</summary>
    internal static BandMeasurements Points() => new()
    {
        Typical = Unit,
        FlipLow = Unit with { QueryDriverJoules = 80e-15, PrechargeRailJoules = 20e-15 },
        FlipHigh = Unit with { QueryDriverJoules = 140e-15, PrechargeRailJoules = 45e-15 },
        WireLow = Unit.Times(0.9),
        WireHigh = Unit.Times(1.1),
        Hot = Unit.Times(1.05),
        HotCelsius = 85,
        PumpedTypical = ArrayEnergy.Zero with { PrechargeGateDriverJoules = 20e-15, ShareDriverJoules = 90e-15 },
        PumpedIdeal = ArrayEnergy.Zero with { PrechargeGateDriverJoules = 15e-15, ShareDriverJoules = 54e-15 },
        Floor = ArrayEnergy.Zero with { QueryDriverJoules = 50e-15, PrechargeGateDriverJoules = 5e-15, ShareDriverJoules = 20e-15 },
        PumpEfficiency = 0.5, FlipLowFraction = 0.1, FlipTypicalFraction = 0.25, FlipHighFraction = 0.5, WireLowFactor = 0.7, WireHighFactor = 1.3, Cycles = 8,
        DecoderLowJoules = 5e-15, DecoderTypicalJoules = 6e-15, DecoderHighJoules = 7e-15, DecoderFloorJoules = 0,
        AdcSpiceJoules = 350e-15, AdcSpiceSeconds = 18e-9, AdcSpiceConversions = 8,
        Leakage =
        [
            new(27, false, 3e-12, 0.6e-9, 2.5e-12), new(27, true, 150e-12, 48e-9, 140e-12), new(85, false, 20e-12, 3.8e-9, 18e-12),
            new(85, true, 180e-12, 53e-9, 170e-12),
        ],
        ValueReadLowJoules = 90e-15, ValueReadTypicalJoules = 100e-15, ValueReadHighJoules = 110e-15, ValueReadHotJoules = 104e-15, ValueReadFloorJoules = 40e-15,
        ValueReadSeconds = 1.5e-9, ValueReadColumns = 76,
        MeasuredSeconds = 1,
    };

    private static readonly InferenceCounts Counts = new(SplitComparisonsPerImage: 2600, RowsPerImage: 520, StoredRows: 100_000, Splits: 5, Columns: 32, RowsPerArray: 32,
        ValueRows: 90_000, ValueBits: 76, ValueReadsPerImage: 5);

    private static EnergyBands Compute(AdcModel adc = AdcModel.Spice) =>
        EnergyBandCalculator.Compute(Points(), EnergyConfig.Load(), adc, 5, 16, Counts, 5.27e-9, 27, true, 0);

    [Test]
    public void When_FactorsMovedOneAtATime_Expect_MinAndMaxAreTypicalPlusTheSignedDeltas()
    {
        var query = Compute().PerComparison.Single(c => c.Name == "query drivers");
        // flip: -20 / +40 fJ; wire: -10 / +10 fJ; no pumped part
        Assert.That(query.TypicalJoules, Is.EqualTo(100e-15).Within(1e-27));
        Assert.That(query.MinJoules, Is.EqualTo(70e-15).Within(1e-27));
        Assert.That(query.MaxJoules, Is.EqualTo(150e-15).Within(1e-27));
        Assert.That(query.MinSetBy, Does.Contain("flip 10").And.Contain("wire x0.7"));

        var share = Compute().PerComparison.Single(c => c.Name == "share drivers");
        // wire -/+15 fJ; pumps: ideal 54 - 90 = -36 fJ, worst 90 x 0.5 / 0.3 - 90 = +60 fJ; flip unchanged
        Assert.That(share.MinJoules, Is.EqualTo(150e-15 - 15e-15 - 36e-15).Within(1e-27));
        Assert.That(share.MaxJoules, Is.EqualTo(150e-15 + 15e-15 + 60e-15).Within(1e-27));
    }

    [Test]
    public void When_LearnedGateWithImageCheck_Expect_ItsBandInTheDynamicTotalAtTheValueStoresReadPerBit()
    {
        var counts = Counts with { Vote = 5, ValueReadsPerImage = 25, HiddenBits = 64 };
        var config = EnergyConfig.Load();
        var without = EnergyBandCalculator.Compute(Points(), config, AdcModel.Spice, 5, 16, counts, 5.27e-9, 27, true, 0, learnedGate: true);
        var with = EnergyBandCalculator.Compute(Points(), config, AdcModel.Spice, 5, 16, counts, 5.27e-9, 27, true, 0, learnedGate: true,
            imageCheck: ImageCheckCost.Linear(784, 10, 8));
        Assert.That(without.ImageCheck, Is.Null);
        var check = with.ImageCheck!;
        // Typical: the per-op model at the typical clock factor, reads at the value store's typical 100 fJ / 76 bits.
        Assert.That(check.TypicalJoules, Is.EqualTo(config.Logic.ImageCheckPerImageJoules(7840, 10, 784, 8, 32, 32, 100e-15 / 76)).Within(1e-9).Percent);
        Assert.That(check.TypicalSetBy, Does.Contain("fixed-point check").And.Contain("7,840 8-bit weights, 10 32-bit biases, 10 32-bit scales"));
        Assert.That(check.MinJoules, Is.LessThan(check.TypicalJoules));
        Assert.That(check.MaxJoules, Is.GreaterThan(check.TypicalJoules));
        Assert.That(with.PerInferenceDynamic.TypicalJoules - without.PerInferenceDynamic.TypicalJoules, Is.EqualTo(check.TypicalJoules).Within(1e-9).Percent);
        Assert.That(with.PerInferenceTotal.TypicalJoules - without.PerInferenceTotal.TypicalJoules, Is.EqualTo(check.TypicalJoules).Within(1e-6).Percent);
        Assert.Throws<ArgumentException>(() => EnergyBandCalculator.Compute(Points(), config, AdcModel.Spice, 5, 16, counts, 5.27e-9, 27, true, 0,
            imageCheck: ImageCheckCost.Linear(784, 10, 8)), "an image check without the learned gate");
    }

    [Test]
    public void When_TheCheckIsFloat32_Expect_ItsWeightsPricedAt32BitsAndTheLineSaysSo()
    {
        var counts = Counts with { Vote = 5, ValueReadsPerImage = 25, HiddenBits = 64 };
        var config = EnergyConfig.Load();
        var bands = EnergyBandCalculator.Compute(Points(), config, AdcModel.Spice, 5, 16, counts, 5.27e-9, 27, true, 0, learnedGate: true,
            imageCheck: ImageCheckCost.Linear(784, 10, 32));
        var check = bands.ImageCheck!;
        Assert.That(check.TypicalJoules, Is.EqualTo(config.Logic.ImageCheckPerImageJoules(7840, 10, 784, 32, 32, 0, 100e-15 / 76)).Within(1e-9).Percent);
        Assert.That(check.TypicalSetBy, Does.Contain("float32 check").And.Contain("7,850 32-bit float weights and biases").And.Contain("lower bound"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageCheckCost.Linear(784, 10, 16));
    }

    [TestCase(AdcModel.Spice)]
    [TestCase(AdcModel.NeuroSim)]
    [TestCase(AdcModel.Survey)]
    public void When_AdcModelChosen_Expect_TypicalIsItAndTheBandSpansAllThree(AdcModel model)
    {
        var bands = Compute(model);
        var adc = bands.PerComparison.Single(c => c.Name == "ADC");
        double neuro = AdcEnergyModel.NeuroSim(5, 16).EnergyJoules, survey = AdcEnergyModel.Survey(5).EnergyJoules;
        double typical = model switch { AdcModel.Spice => 350e-15, AdcModel.NeuroSim => neuro, _ => survey };
        Assert.That(adc.TypicalJoules, Is.EqualTo(typical));
        Assert.That(adc.MinJoules, Is.EqualTo(neuro));
        Assert.That(adc.MaxJoules, Is.EqualTo(survey));
        double conversion = model == AdcModel.Spice ? 18e-9 : 6e-9;
        Assert.That(bands.LatencySeconds, Is.EqualTo(520 * (5.27e-9 + conversion) + 5 * 1.5e-9).Within(1e-18),
            "rows scanned serially, each a cycle plus the chosen ADC's conversion, then each lookup's value read");
    }

    [Test]
    public void When_LeakageBanded_Expect_KeyCellsDecodersAndValueCellsTimesLatencyAtEachCorner()
    {
        var bands = Compute();
        double cells = 100_000.0 * 5 * 32, arrays = 3125.0 * 5, values = 90_000.0 * 76, latency = bands.LatencySeconds;
        var l = bands.PerInferenceLeakage;
        Assert.That(l.MinJoules, Is.EqualTo((cells * 3e-12 + arrays * 0.6e-9 + values * 2.5e-12) * latency).Within(1e-9).Percent);
        Assert.That(l.TypicalJoules, Is.EqualTo((cells * 150e-12 + arrays * 48e-9 + values * 140e-12) * latency).Within(1e-9).Percent);
        Assert.That(l.MaxJoules, Is.EqualTo((cells * 180e-12 + arrays * 53e-9 + values * 170e-12) * latency).Within(1e-9).Percent);
        var v = bands.ValueStoreLeakage;
        Assert.That(v.TypicalJoules, Is.EqualTo(values * 140e-12 * latency).Within(1e-9).Percent, "the value store: rows x value bits 6T cells");
        Assert.That(bands.PerInference, Does.Contain(v), "the value store's leakage is a component of the inference's total");
        Assert.That(bands.PerInferenceTotal.TypicalJoules,
            Is.EqualTo(bands.PerComparisonTotal.TypicalJoules * 2600 + 5 * 100e-15 + bands.GateLogic.TypicalJoules + l.TypicalJoules).Within(1e-9).Percent);
    }

    [Test]
    public void When_ValueRowsRead_Expect_ReadsTimesMeasuredReadInTheDynamicEnergyAndItsFloorCarried()
    {
        var bands = Compute();
        var read = bands.ValueStoreRead;
        Assert.That(read.TypicalJoules, Is.EqualTo(5 * 100e-15).Within(1e-9).Percent, "one value row read per lookup, 5 lookups");
        Assert.That(read.MinJoules, Is.EqualTo(5 * 90e-15).Within(1e-9).Percent);
        Assert.That(read.MaxJoules, Is.EqualTo(5 * 110e-15).Within(1e-9).Percent);
        Assert.That(read.FloorJoules, Is.EqualTo(5 * 40e-15).Within(1e-9).Percent);
        Assert.That(bands.PerInferenceDynamic.TypicalJoules,
            Is.EqualTo(bands.PerComparisonTotal.TypicalJoules * 2600 + read.TypicalJoules + bands.GateLogic.TypicalJoules).Within(1e-9).Percent);
        Assert.That(bands.PerInference, Does.Contain(read));
        var wire = bands.Sensitivity.Single(s => s.Factor == "wire capacitance");
        Assert.That(wire.PerInferenceHighJoules - wire.PerComparisonHighJoules * 2600,
            Is.EqualTo(5 * 110e-15 + bands.GateLogic.TypicalJoules + bands.PerInferenceLeakage.TypicalJoules).Within(1e-6).Percent);
    }

    [Test]
    public void When_FiveKeysVote_Expect_FiveReadsPerLookupAndTheVoteLogicPerOperationInTheDynamicEnergy()
    {
        var logic = EnergyConfig.Load().Logic;
        var counts = Counts with { ValueReadsPerImage = 25, Vote = 5, HiddenBits = 64 };
        var bands = EnergyBandCalculator.Compute(Points(), EnergyConfig.Load(), AdcModel.Spice, 5, 16, counts, 5.27e-9, 27, true, 0);
        Assert.That(bands.ValueStoreRead.TypicalJoules, Is.EqualTo(25 * 100e-15).Within(1e-9).Percent, "5 lookups x 5 value rows");
        var vote = bands.VoteLogic!;
        double perLookup = 5 * logic.Multiply8Joules + 64 * 5 * logic.Add16Joules + 4 * 25 * logic.Add16Joules
            + 5 * 76 * logic.RegisterBitJoules * (1 + logic.ClockNetworkFactor);
        double insert = 5 * logic.Add16Joules + 5 * LogicEnergyModel.VoteEntryBits * logic.RegisterBitJoules * (1 + logic.ClockNetworkFactor);
        double rows = 520 / 5.0, inserts = LogicEnergyModel.ExpectedVoteInserts(5, rows);
        Assert.That(vote.TypicalJoules, Is.EqualTo(5 * (perLookup + inserts * insert)).Within(1e-9).Percent);
        Assert.That(vote.MinJoules, Is.EqualTo(5 * (perLookup + 5 * insert)).Within(1e-9).Percent, "only the first k rows enter");
        Assert.That(vote.MaxJoules, Is.EqualTo(5 * (perLookup + rows * insert)).Within(1e-9).Percent, "every row enters");
        Assert.That(bands.PerInferenceDynamic.TypicalJoules,
            Is.EqualTo(bands.PerComparisonTotal.TypicalJoules * 2600 + 25 * 100e-15 + vote.TypicalJoules + bands.GateLogic.TypicalJoules).Within(1e-9).Percent);
        Assert.That(Compute().VoteLogic, Is.Null, "the paper's single nearest key has no vote logic");
    }

    [TestCase(2, 4)]
    [TestCase(5, 104)]
    [TestCase(5, 5)]
    [TestCase(32, 224)]
    public void When_RowsScannedInRandomOrder_Expect_ExpectedInsertsAreKPlusTheSumOfKOverI(int k, int rows)
    {
        // Row i (i > k) is among the k smallest of the first i with probability k / i.
        double expected = k + Enumerable.Range(k + 1, Math.Max(0, rows - k)).Sum(i => (double)k / i);
        Assert.That(LogicEnergyModel.ExpectedVoteInserts(k, rows), Is.EqualTo(expected).Within(1e-3).Percent);
        Assert.That(LogicEnergyModel.ExpectedVoteInserts(1, rows), Is.EqualTo(0), "one key: the running minimum, already priced per row");
    }

    [TestCase(0.0)]
    [TestCase(10.0)]
    public void When_MixedGatePriced_Expect_OneLogicBandPerInferenceFromTheModelInTheDynamicEnergy(double agreementWeight)
    {
        var config = EnergyConfig.Load();
        var counts = Counts with { ValueReadsPerImage = 25, Vote = 5, HiddenBits = 64 };
        var bands = EnergyBandCalculator.Compute(Points(), config, AdcModel.Spice, 5, 16, counts, 5.27e-9, 27, true, 0, agreementWeight);
        var gate = bands.GateLogic;
        bool agreement = agreementWeight > 0;
        Assert.That(gate.Name, Is.EqualTo("gate logic"));
        Assert.That(gate.Group, Is.EqualTo("logic"));
        Assert.That(bands.PerInference, Does.Contain(gate));
        Assert.That(bands.AgreementWeight, Is.EqualTo(agreementWeight));
        // 5 lookups per image (25 value reads / a vote of 5); exact up to double rounding
        Assert.That(gate.TypicalJoules, Is.EqualTo(config.Logic.GatePerImageJoules(5, 64, agreement)).Within(1e-9).Percent);
        Assert.That(gate.MinJoules, Is.EqualTo((config.Logic with { ClockNetworkFactor = EnergyBandCalculator.ClockFactorLow }).GatePerImageJoules(5, 64, agreement))
            .Within(1e-9).Percent, "no data dependence: only the clock network's share of the registers moves the band");
        Assert.That(gate.MaxJoules, Is.EqualTo((config.Logic with { ClockNetworkFactor = EnergyBandCalculator.ClockFactorHigh }).GatePerImageJoules(5, 64, agreement))
            .Within(1e-9).Percent);
        Assert.That(gate.FloorJoules, Is.EqualTo(0));
        Assert.That(gate.FloorLines, Does.Contain("floor not asserted"));
        Assert.That(gate.TypicalSetBy, agreement ? Does.Contain("agreement weight L = 10") : Does.Not.Contain("agreement"));
        Assert.That(bands.PerInferenceDynamic.TypicalJoules, Is.EqualTo(bands.PerComparisonTotal.TypicalJoules * 2600 + 25 * 100e-15
            + bands.VoteLogic!.TypicalJoules + gate.TypicalJoules).Within(1e-9).Percent);
        var clock = bands.Sensitivity.Single(s => s.Factor == "logic clock network");
        Assert.That(clock.PerInferenceHighJoules - clock.PerComparisonHighJoules * 2600,
            Is.EqualTo(25 * 100e-15 + bands.VoteLogic.TypicalJoules + gate.MaxJoules + bands.PerInferenceLeakage.TypicalJoules).Within(1e-9).Percent,
            "the clock-network row moves the gate's registers with the per-comparison logic's");
    }

    [Test]
    public void When_GateWeighsTheAgreement_Expect_MoreThanTheDistanceGateAloneAndTheVoteUnchanged()
    {
        var counts = Counts with { ValueReadsPerImage = 25, Vote = 5, HiddenBits = 64 };
        var plain = EnergyBandCalculator.Compute(Points(), EnergyConfig.Load(), AdcModel.Spice, 5, 16, counts, 5.27e-9, 27, true, 0);
        var weighted = EnergyBandCalculator.Compute(Points(), EnergyConfig.Load(), AdcModel.Spice, 5, 16, counts, 5.27e-9, 27, true, 0, agreementWeight: 10);
        Assert.That(weighted.GateLogic.TypicalJoules, Is.GreaterThan(plain.GateLogic.TypicalJoules));
        Assert.That(weighted.VoteLogic, Is.EqualTo(plain.VoteLogic), "the vote's own logic does not depend on the gate");
        Assert.That(weighted.PerInferenceTotal.TypicalJoules - plain.PerInferenceTotal.TypicalJoules,
            Is.EqualTo(weighted.GateLogic.TypicalJoules - plain.GateLogic.TypicalJoules).Within(1e-6).Percent, "the agreement arithmetic is all that changes");
    }

    [TestCase(1, 10.0, "0 with a vote of 1")]
    [TestCase(5, -1.0, "between 0 and")]
    [TestCase(5, double.NaN, "between 0 and")]
    public void When_AgreementWeightOutOfRangeOrWithoutAVote_Expect_BadInputNamingIt(int vote, double weight, string words)
    {
        var counts = Counts with { ValueReadsPerImage = 5 * vote, Vote = vote, HiddenBits = 64 };
        Assert.That(() => EnergyBandCalculator.Compute(Points(), EnergyConfig.Load(), AdcModel.Spice, 5, 16, counts, 5.27e-9, 27, true, 0, weight),
            Throws.InstanceOf<Mbi.Core.Errors.BadInputException>().With.Message.StartsWith("agreement_weight was").And.Message.Contains(words));
    }

    [Test]
    public void When_TableValuesWiderThanTheMeasuredRead_Expect_RefusedNotRescaled()
    {
        var counts = Counts with { ValueBits = 80 };
        Assert.That(() => EnergyBandCalculator.Compute(Points(), EnergyConfig.Load(), AdcModel.Spice, 5, 16, counts, 5.27e-9, 27, true, 0),
            Throws.InstanceOf<Mbi.Core.Errors.SimulationFailedException>().With.Message.Contains("76-bit"));
    }

    [Test]
    public void When_DesignSetsTheValueRead_Expect_ItsTimingOnTheArraysRowsAndTheTablesBitsAndAnotherCacheKey()
    {
        var spec = new GlimpseKeySpec(patchSize: 1, scales: 1, scaleFactor: 2, patchBits: 2, hiddenBits: 4, locationLevels: 3, glimpses: 1);
        var design = new ArrayDesign { Columns = 8, Rows = 16 };
        var mapping = new ArrayMapping(spec, ColumnCoding.Binary, columns: 8);
        var technology = Technology.Ptm16Lp();
        var longer = new ValueReadDesign { WordLineSeconds = 0.4e-9, SenseSeconds = 1e-9, Rows = 999, Columns = 999 };
        var read = EnergyBandMeasurement.ValueReadOf(design, longer, mapping);
        Assert.That(read, Is.EqualTo(longer with { Rows = 16, Columns = LookupTable.ValueBitsOf(spec) }), "the rows and columns are the array's and the table's");
        Assert.That(EnergyBandMeasurement.ValueBench(technology, design, longer, mapping).Design, Is.EqualTo(read), "the bench measures what the report records");
        string key = EnergyBandMeasurement.CacheKey(mapping, technology, design, new ValueReadDesign(), 1, 2, 1);
        Assert.That(EnergyBandMeasurement.CacheKey(mapping, technology, design, new ValueReadDesign { Rows = 7 }, 1, 2, 1), Is.EqualTo(key),
            "rows and columns given with the value read are not used");
        Assert.That(EnergyBandMeasurement.CacheKey(mapping, technology, design, longer, 1, 2, 1), Is.Not.EqualTo(key));
    }

    [Test]
    public void When_SensitivityTabulated_Expect_EachRowMovesOnlyItsFactor()
    {
        var bands = Compute();
        double typical = bands.PerComparisonTotal.TypicalJoules;
        var flip = bands.Sensitivity.Single(s => s.Factor == "flip fraction");
        Assert.That(flip.PerComparisonLowJoules - typical, Is.EqualTo(-30e-15).Within(1e-27), "flip 10 %: query -20 fJ, precharge rails -10 fJ");
        Assert.That(flip.PerComparisonHighJoules - typical, Is.EqualTo(55e-15).Within(1e-27));
        var temperature = bands.Sensitivity.Single(s => s.Factor == "temperature");
        Assert.That(temperature.PerComparisonLowJoules, Is.EqualTo(typical), "the low side is the design's own temperature (27 C)");
        Assert.That(temperature.PerComparisonHighJoules - typical, Is.EqualTo(0.05 * Unit.TotalJoules).Within(1e-27), "the array re-measured at 85 C");
        Assert.That(temperature.PerInferenceHighJoules, Is.GreaterThan(temperature.PerInferenceLowJoules));
        var hotLeak = Points().LeakageAt(85, true);
        double hotLeakage = (100_000.0 * 5 * 32 * hotLeak.CellPowerWatts + 3125.0 * 5 * hotLeak.DecoderPowerWatts + 90_000.0 * 76 * hotLeak.ValueCellPowerWatts) * bands.LatencySeconds;
        Assert.That(temperature.PerInferenceHighJoules,
            Is.EqualTo(temperature.PerComparisonHighJoules * 2600 + 5 * 104e-15 + bands.GateLogic.TypicalJoules + hotLeakage).Within(1e-9).Percent,
            "85 C: the array and the value read re-measured hot, and every cell's hot leakage");
        Assert.That(bands.Sensitivity.Select(s => s.Factor), Is.SupersetOf(new[]
            { "wire capacitance", "flip fraction", "evaluation window", "ADC model", "charge-pump efficiency", "temperature" }));
    }

    [Test]
    public void When_BandWouldBeUnordered_Expect_BadInputNamingTheComponent()
    {
        var bad = new ComponentBand("x", "array", 2e-15, 1e-15, 3e-15, "", "", "", 0, "");
        Assert.That(() => bad.Validated(), Throws.InstanceOf<Mbi.Core.Errors.BadInputException>().With.Message.Contains("'x'"));
    }

    /// <summary>
    /// The whole report on a small design (<see cref="SmallDesignBands"/>: 8 columns, 2 cycles, a key of 1 two-bit patch
    /// element, 4 hidden bits and a 3-level location, so both precisions run): every component is non-negative,
    /// min &lt;= typical &lt;= max, and no component's min lies below the C V^2 of the lines it switches. About three minutes
    /// of ngspice on a 2-core machine, started when the run begins.
    /// </summary>
    [Test]
    public void When_SmallDesignMeasured_Expect_EveryComponentOrderedNonNegativeAndAboveItsCVSquaredFloor()
    {
        TestAssets.RequireNgspice();
        var spec = SmallDesignBands.Spec;
        var design = SmallDesignBands.Design;
        var mapping = SmallDesignBands.Mapping;
        var (m, stages) = SmallDesignBands.Result();
        foreach (string stage in stages) TestContext.Out.WriteLine(stage);
        var counts = new InferenceCounts(100, 20, 1000, mapping.SplitCount, design.Columns, design.Rows, 900, LookupTable.ValueBitsOf(spec), 5);
        var bands = EnergyBandCalculator.Compute(m, EnergyConfig.Load(), AdcModel.Spice, 5, 16, counts, design.CycleSeconds, 27, true, 0);
        var inv = CultureInfo.InvariantCulture;
        foreach (var c in bands.PerComparison.Concat(bands.PerInference).Append(bands.PerComparisonTotal).Append(bands.PerInferenceTotal))
        {
            TestContext.Out.WriteLine(string.Create(inv, $"{c.Name,-24} {c.MinJoules:E3} {c.TypicalJoules:E3} {c.MaxJoules:E3} floor {c.FloorJoules:E3}"));
            Assert.That(c.MinJoules, Is.GreaterThanOrEqualTo(0), c.Name);
            Assert.That(c.MinJoules, Is.LessThanOrEqualTo(c.TypicalJoules), c.Name);
            Assert.That(c.TypicalJoules, Is.LessThanOrEqualTo(c.MaxJoules), c.Name);
            // A full charge-discharge of C costs C V^2 from the rails whatever the driver; the floors count only the
            // explicit line capacitors (wire), not the devices' gates, so they are lower bounds.
            Assert.That(c.MinJoules, Is.GreaterThanOrEqualTo(c.FloorJoules), $"{c.Name}: min below the C V^2 of its lines");
        }
        Assert.That(bands.PerComparison.Where(c => c.FloorJoules > 0).Select(c => c.Name),
            Is.SupersetOf(new[] { "query drivers", "row select", "precharge gate drivers", "share drivers" }));
        Assert.That(bands.PerComparison.Select(c => c.Group).Distinct(), Is.SupersetOf(new[] { "drivers", "peripherals", "ADC", "logic" }));
        Assert.That(bands.PerInference.Select(c => c.Group), Does.Contain("leakage").And.Contain("value store"));
        Assert.That(bands.ValueStoreRead.FloorJoules, Is.GreaterThan(0), "the value read's word line and bitlines carry a C V^2 floor");
        Assert.That(m.PumpedIdeal.TotalJoules, Is.LessThan(m.PumpedTypical.TotalJoules), "an ideal pump draws less than the design's 0.5-efficient one");
    }
}
