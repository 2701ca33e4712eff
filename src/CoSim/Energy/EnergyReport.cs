using Mbi.Algorithm.Memorization;
using Mbi.Circuit.Adc;
using Mbi.Circuit.Design;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Studies;
using Mbi.CoSim.Reports;

namespace Mbi.CoSim.Energy;

/// <summary>
/// Energy and latency per comparison and per inference of the MBI arrays, beside the paper (what `mbi energy --json`
/// prints). The top-level figures are the accountant's typical point: per comparison = array (ngspice) + row decoder
/// (ngspice) + ADC (the chosen model) + logic; per inference = split comparisons made x that + leakage. <see cref="Bands"/>
/// gives every component's min / typical / max with what sets each bound, and the sensitivity table. <see cref="AgreementWeight"/>
/// is the mixed-MBI gate's weight of the vote's agreement that the gate logic was priced for (0 = the distance gate alone).
/// <see cref="ValueRead"/> is the value-store read the bands measured: the design's value_read timing and sizes (recorded
/// here even at their defaults, which the design's content leaves out) on the array's rows and the table's value bits.
/// </summary>
internal sealed record EnergyReport(double EnergyPerComparisonJoules, double EnergyPerInferenceJoules, double DynamicPerInferenceJoules,
    double LeakagePerInferenceJoules, EnergyBreakdown Breakdown,
    double LatencyPerInferenceSeconds, double SecondsPerRow, double RowCycleSeconds, double AdcConversionSeconds, string AdcModel,
    int Images, int Splits, double LookupsPerInference, double LevelsPerLookup, double RowsScannedPerInference,
    double SplitComparisonsPerInference, long LutRows, long StoredRows, double LookupOnlyAccuracy, PaperEnergy Paper, double RatioToPaperPerComparison,
    double RatioToPaperPerInference, string Mapping, string EnergyConfig, string Lut, EnergyBands Bands, double SpiceMeasurementSeconds,
    DesignStamp Design, string ScanProtocol, string ScanProtocolNote, Reports.GateStressReport GateStress, int ValueRowsReadPerLookup,
    double AgreementWeight, Circuit.Periphery.ValueReadDesign ValueRead)
{
    /// <summary>Passes asked for per image (`energy --passes M`): every count, energy and latency per inference is the passes run (<see cref="PassesPerImage"/>); 1 = one pass.</summary>
    public int Passes { get; init; } = 1;

    /// <summary>`energy --stop-distance D`: images whose worst match distance in pass 0 is at most D ran that pass only; null: all ran every pass.</summary>
    public double? StopDistance { get; init; }

    /// <summary>`energy --stop-margin m`: an image ran no more passes once its passes' vote leader was m ahead; null: no such stop.</summary>
    public double? StopMargin { get; init; }

    /// <summary>Passes the ideal arrays really ran per image (1 to <see cref="Passes"/>; below it when an early stop closed images).</summary>
    public double PassesPerImage { get; init; } = 1;

    /// <summary>The glimpse sensor's typical energy per inference (<see cref="EnergyBands.Sensor"/>: every glimpse run reads its patches'
    /// pixels, pools them into the key's elements and codes them); part of <see cref="DynamicPerInferenceJoules"/>. 0 when not priced.</summary>
    public double SensorPerInferenceJoules => Bands.Sensor?.TypicalJoules ?? 0;

    /// <summary>Cycles per metered row transient and SAR conversions of the band measurement (part of its cache key; `mbi characterise` ships them).</summary>
    internal const int BandCycles = 8, DefaultAdcConversions = 8;

    /// <summary>Energy per comparison and per inference of <paramref name="design"/> with its bands (ngspice points measured once
    /// and cached in <paramref name="cacheDirectory"/>), from the lookups the ideal arrays make on the setup's test images.</summary>
    public static EnergyReport Measure(LookupSetup setup, EnergyConfig config, CircuitDesign design, DesignStamp stamp, ulong seed,
        AdcModel adc = Circuit.Adc.AdcModel.Spice, string? cacheDirectory = null, int adcConversions = 8, IProgress<string>? progress = null, Mbi.Circuit.Netlists.DeckFolder? decks = null,
        int vote = 1, double agreementWeight = 0, bool learnedGate = false, ImageCheckCost? imageCheck = null, PassesPlan? passes = null)
    {
        passes ??= PassesPlan.One;
        if (decks is not null) EnergyAccountant.SaveDecks(setup.Mapping, design.Technology, design.Array, seed, cycles: 8, decks);
        // The ideal arrays run the chain inference runs: with --vote k they keep the k nearest rows they compare and the
        // glimpses hand on the voted state, so the lookups (and any early stop) are the voted inference's.
        var ideal = VariationStudy.RunDie(setup, new IdealArrayModel(), -1, new int[setup.Test.Count], double.NegativeInfinity, passes, vote);
        var priced = Price(setup, config, design, seed, ideal, adc, cacheDirectory, adcConversions, progress, vote, agreementWeight, learnedGate, imageCheck);
        double passesPerImage = setup.Test.Count == 0 ? 1 : ideal.Lookups / (double)setup.Test.Count / setup.Table.Spec.Glimpses;
        return From(priced.Comparison, priced.Inference, config, setup, ideal.MbiAccuracy, stamp, priced.Bands, priced.SpiceSeconds, design, vote)
            with { Passes = passes.Passes, StopDistance = passes.StopDistance, StopMargin = passes.StopMargin, PassesPerImage = passesPerImage };
    }

    /// <summary>
    /// The accountant's typical point and bands for the lookups one die made (<paramref name="lookups"/>): what `mbi energy`
    /// reports and what `mbi cosim` and `mbi reproduce` price their lookups with, so every command quotes the same energy.
    /// </summary>
    /// <param name="vote">Value rows read per lookup (`--vote k` reads the k nearest keys' values; the vote's logic is priced per operation).</param>
    /// <param name="agreementWeight">The mixed-MBI gate's weight of the vote's agreement (0 = the distance gate alone; &gt; 0 needs a vote &gt; 1).</param>
    /// <param name="learnedGate">Price the gate logic as the learned gate instead (needs a vote &gt; 1 and agreement weight 0).</param>
    public static PricedLookups Price(LookupSetup setup, EnergyConfig config, CircuitDesign design, ulong seed, DieOutcome lookups,
        AdcModel adc = Circuit.Adc.AdcModel.Spice, string? cacheDirectory = null, int adcConversions = 8, IProgress<string>? progress = null, int vote = 1,
        double agreementWeight = 0, bool learnedGate = false, ImageCheckCost? imageCheck = null)
    {
        if (vote < 1) throw Core.Errors.BadInputException.For("vote", vote, ">= 1", "5");
        EnergyBandCalculator.CheckAgreementWeight(agreementWeight, vote);
        EnergyBandCalculator.CheckLearnedGate(learnedGate, agreementWeight, vote);
        var m = EnergyBandMeasurement.LoadOrMeasure(setup.Mapping, design.Technology, design.Array, design.ValueRead, seed, cycles: BandCycles, adcConversions,
            cacheDirectory, progress, design.Adc.SarAdc);
        var chosen = EnergyBandCalculator.Adc(m, config.AdcBits, config.TechnologyNanometers)[adc];
        int n = setup.Mapping.SplitCount;
        double logic = config.LogicPerSplitComparisonJoules + config.LogicPerRowJoules / n;
        var comparison = new ComparisonEnergy(chosen.EnergyJoules, m.Typical, logic, design.Array.CycleSeconds, chosen.ConversionSeconds,
            new Dictionary<int, RowEnergy>(), m.DecoderTypicalJoules);
        var inference = EnergyAccountant.PerInference(comparison, setup.Test.Count, lookups.Lookups, lookups.Levels, lookups.RowsScanned, lookups.SplitComparisons);
        var leakage = LeakageSettings.Load();
        var counts = new InferenceCounts(inference.SplitComparisonsPerImage, inference.RowsPerImage, setup.Mapped.StoredRows, n, design.Array.Columns, design.Array.Rows,
            setup.Tree.StoredKeys, setup.Table.StoredValueBits, inference.LookupsPerImage * vote, vote, setup.Table.Spec.HiddenBits,
            GlimpseSensorCost.Of(setup.Table.Spec));
        var bands = EnergyBandCalculator.Compute(m, config, adc, config.AdcBits, config.TechnologyNanometers, counts, design.Array.CycleSeconds,
            design.Technology.Conditions.TemperatureCelsius, leakage.GateTunneling, leakage.PowerGatingFraction, agreementWeight, learnedGate, imageCheck);
        return new PricedLookups(comparison, inference, bands, m.MeasuredSeconds);
    }

    public static EnergyReport From(ComparisonEnergy c, InferenceEnergy i, EnergyConfig config, LookupSetup setup, double accuracy, DesignStamp design,
        EnergyBands bands, double spiceSeconds, CircuitDesign circuit, int vote = 1)
    {
        var array = circuit.Array;
        string protocol = System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(array.ScanProtocol.ToString());
        string note = array.ScanProtocol == Circuit.Netlists.ScanProtocol.StaticPerNode
            ? $"query lines held static while a node's {array.Rows} rows are scanned: their drivers' energy (each bench cycle a new query) is divided by {array.Rows} per comparison; each row's select line opens its evaluation window"
            : "query lines toggled for every row: each comparison pays one rise and fall of a query line per column";
        var paper = new PaperEnergy(PaperFigures.EnergyPerComparisonJoules, PaperFigures.EnergyPerInferenceJoules,
            PaperFigures.Glimpses, PaperFigures.TreeLevels, PaperFigures.KeysPerNode, PaperFigures.Splits);
        double perInference = bands.PerInferenceTotal.TypicalJoules;
        return new EnergyReport(c.TotalJoules, perInference, bands.PerInferenceDynamic.TypicalJoules, bands.PerInferenceLeakage.TypicalJoules,
            new EnergyBreakdown(c.AdcJoules, c.RowActivationJoules, c.ColumnPrechargeJoules, c.ChargeSumJoules, c.LogicJoules, c.RowDecoderJoules),
            bands.LatencySeconds, c.SecondsPerRow, c.RowSeconds, c.AdcConversionSeconds, bands.AdcModel, (int)i.Images, setup.Mapping.SplitCount,
            i.LookupsPerImage, i.LevelsPerLookup, i.RowsPerImage, i.SplitComparisonsPerImage, setup.Table.Rows, setup.Mapped.StoredRows, accuracy, paper,
            c.TotalJoules / paper.EnergyPerComparisonJoules, perInference / paper.EnergyPerInferenceJoules,
            setup.Mapping.Describe(), config.Path, setup.Source, bands, spiceSeconds, design, protocol, note,
            Reports.GateStressReport.Of(circuit.Technology, array), vote, bands.AgreementWeight,
            EnergyBandMeasurement.ValueReadOf(array, circuit.ValueRead, setup.Mapping));
    }

}

internal sealed record EnergyBreakdown(double AdcJoules, double RowActivationJoules, double ColumnPrechargeJoules, double ChargeSumJoules, double LogicJoules,
    double RowDecoderJoules);

internal sealed record PaperEnergy(double EnergyPerComparisonJoules, double EnergyPerInferenceJoules, double Glimpses, double TreeLevels,
    double KeysPerNode, double Splits);

/// <summary>Lookups priced by the accountant: the typical comparison, the lookups' dynamic energy and latency, and the bands
/// (per inference total = dynamic + leakage).</summary>
internal sealed record PricedLookups(ComparisonEnergy Comparison, InferenceEnergy Inference, EnergyBands Bands, double SpiceSeconds)
{
    public double PerComparisonJoules => Comparison.TotalJoules;
    public double PerInferenceJoules => Bands.PerInferenceTotal.TypicalJoules;
    public double LeakagePerInferenceJoules => Bands.PerInferenceLeakage.TypicalJoules;
    /// <summary>Comparisons and value reads per inference (no leakage).</summary>
    public double DynamicPerInferenceJoules => Bands.PerInferenceDynamic.TypicalJoules;
}
