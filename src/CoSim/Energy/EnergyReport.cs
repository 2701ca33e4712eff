using Mbi.Circuit.Design;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Studies;

namespace Mbi.CoSim.Energy;

/// <summary>Energy and latency per comparison and per inference of the MBI arrays, beside the paper (what `mbi energy --json` prints).</summary>
internal sealed record EnergyReport(double EnergyPerComparisonJoules, double EnergyPerInferenceJoules, EnergyBreakdown Breakdown,
    double LatencyPerInferenceSeconds, double SecondsPerRow, double RowCycleSeconds, double AdcConversionSeconds,
    int Images, int Splits, double LookupsPerInference, double LevelsPerLookup, double RowsScannedPerInference,
    double SplitComparisonsPerInference, double LookupOnlyAccuracy, PaperEnergy Paper, double RatioToPaperPerComparison,
    double RatioToPaperPerInference, string Mapping, string EnergyConfig, string Lut, DesignStamp Design)
{
    /// <summary>Energy per comparison (ngspice rows of <paramref name="design"/>) and per inference from the lookups the
    /// ideal arrays make on the setup's test images; <paramref name="stamp"/> records the design in the report.</summary>
    public static EnergyReport Measure(LookupSetup setup, EnergyConfig config, CircuitDesign design, DesignStamp stamp, ulong seed,
        Mbi.Circuit.Netlists.DeckFolder? decks = null)
    {
        var comparison = EnergyAccountant.PerComparison(setup.Mapping, config, design.Technology, design.Array, seed, decks: decks);
        var ideal = VariationStudy.RunDie(setup, new IdealArrayModel(), -1, new int[setup.Test.Count], double.NegativeInfinity);
        var inference = EnergyAccountant.PerInference(comparison, setup.Test.Count, ideal.Lookups, ideal.Levels, ideal.RowsScanned, ideal.SplitComparisons);
        return EnergyReport.From(comparison, inference, config, setup, ideal.MbiAccuracy, stamp);
    }

    public static EnergyReport From(ComparisonEnergy c, InferenceEnergy i, EnergyConfig config, LookupSetup setup, double accuracy, DesignStamp design)
    {
        var paper = new PaperEnergy(config.PaperEnergyPerComparisonJoules, config.PaperEnergyPerInferenceJoules,
            config.PaperGlimpses, config.PaperTreeLevels, config.PaperKeysPerNode, config.PaperSplits);
        return new EnergyReport(c.TotalJoules, i.EnergyPerInferenceJoules,
            new EnergyBreakdown(c.AdcJoules, c.RowActivationJoules, c.ColumnPrechargeJoules, c.ChargeSumJoules, c.LogicJoules),
            i.LatencySeconds, c.SecondsPerRow, c.RowSeconds, c.AdcConversionSeconds, (int)i.Images, setup.Mapping.SplitCount,
            i.LookupsPerImage, i.LevelsPerLookup, i.RowsPerImage, i.SplitComparisonsPerImage, accuracy, paper,
            c.TotalJoules / paper.EnergyPerComparisonJoules, i.EnergyPerInferenceJoules / paper.EnergyPerInferenceJoules,
            setup.Mapping.Describe(), config.Path, setup.Source, design);
    }

    public IEnumerable<(string Name, double Joules)> BreakdownRows() =>
    [
        ("ADC", Breakdown.AdcJoules), ("row activation", Breakdown.RowActivationJoules), ("column precharge", Breakdown.ColumnPrechargeJoules),
        ("charge sum", Breakdown.ChargeSumJoules), ("logic", Breakdown.LogicJoules),
    ];
}

internal sealed record EnergyBreakdown(double AdcJoules, double RowActivationJoules, double ColumnPrechargeJoules, double ChargeSumJoules, double LogicJoules);

internal sealed record PaperEnergy(double EnergyPerComparisonJoules, double EnergyPerInferenceJoules, double Glimpses, double TreeLevels,
    double KeysPerNode, double Splits);
