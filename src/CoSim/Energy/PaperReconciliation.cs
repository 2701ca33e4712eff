using System.Text.Json;
using Mbi.Core.Errors;
using Mbi.CoSim.Reports;

namespace Mbi.CoSim.Energy;

/// <summary>One way to read the paper's 4.7 pJ per comparison, and what Mbi's measured design gives when read the same way.</summary>
internal sealed record ReconciliationScenario(string Name, string Assumption, double PaperPerCountedComparisonJoules,
    double MbiPerCountedComparisonJoules, double PaperPerInferenceJoules, double MbiPerInferenceJoules);

/// <summary>
/// The assumptions of config/presets/paper-4p7pj.json (section "reconciliation"): each scenario changes one thing
/// and reproduces about 4.7 pJ per comparison; Mbi's measured per-row energy is then put through the same change.
/// Scenarios: (1) a whole node scan (32 rows) counted as one comparison; (2) a pJ-class conversion per comparison in
/// place of the cited SAR model's; (3) a larger bitline load, the precharge and charge-sum energies scaled linearly
/// with the bitline capacitance (energy = C V^2 at fixed swing; arithmetic, not re-simulated).
/// </summary>
internal sealed record PaperReconciliation
{
    public required double PaperJoulesPerComparison { get; init; }
    public required double PaperComparisonsPerInference { get; init; }
    public required int RowsPerCountedComparison { get; init; }
    public required double AdcJoulesPerConversion { get; init; }
    public required double BitlineCapacitanceFarads { get; init; }
    public required double MbiBitlineCapacitanceFarads { get; init; }

    public static PaperReconciliation Load(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            if (root.GetProperty("format").GetString() != "mbi-energy-preset" || root.GetProperty("version").GetInt32() != 1)
                throw new InvalidOperationException("format is not mbi-energy-preset version 1");
            var r = root.GetProperty("reconciliation");
            var preset = new PaperReconciliation
            {
                PaperJoulesPerComparison = PaperFigures.EnergyPerComparisonJoules,
                PaperComparisonsPerInference = PaperFigures.Glimpses * PaperFigures.TreeLevels * PaperFigures.KeysPerNode * PaperFigures.Splits,
                RowsPerCountedComparison = r.GetProperty("rows_per_counted_comparison").GetInt32(),
                AdcJoulesPerConversion = r.GetProperty("adc_joules_per_conversion").GetDouble(),
                BitlineCapacitanceFarads = r.GetProperty("bitline_capacitance_farads").GetDouble(),
                MbiBitlineCapacitanceFarads = r.GetProperty("mbi_bitline_capacitance_farads").GetDouble(),
            };
            if (preset.RowsPerCountedComparison < 1 || !(preset.AdcJoulesPerConversion > 0) || !(preset.BitlineCapacitanceFarads > 0) || !(preset.MbiBitlineCapacitanceFarads > 0))
                throw new InvalidOperationException("rows_per_counted_comparison must be >= 1 and every energy and capacitance > 0");
            return preset;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            throw new FileFormatException(path, e.Message, "restore config/presets/paper-4p7pj.json from git and edit only the values");
        }
    }

    /// <summary>
    /// The scenarios for Mbi's measured comparison (one split row: ADC, array, logic) and the split comparisons Mbi's
    /// lookups made per inference. Scenario 1 does not change any energy, only what is called one comparison.
    /// </summary>
    public IReadOnlyList<ReconciliationScenario> Scenarios(ComparisonEnergy mbi, double mbiSplitComparisonsPerInference)
    {
        if (!(mbiSplitComparisonsPerInference > 0)) throw BadInputException.For("split comparisons per inference", mbiSplitComparisonsPerInference, "> 0", "2800");
        double row = mbi.TotalJoules;
        double paperInference = PaperJoulesPerComparison * PaperComparisonsPerInference;
        double mbiInference = row * mbiSplitComparisonsPerInference;
        int n = RowsPerCountedComparison;
        double adcRow = row - mbi.AdcJoules + AdcJoulesPerConversion;
        double scale = BitlineCapacitanceFarads / MbiBitlineCapacitanceFarads;
        double lineRow = row + (mbi.ColumnPrechargeJoules + mbi.ChargeSumJoules) * (scale - 1);
        return
        [
            new("as published", "4.7 pJ per 32x32 row comparison, 5 x 3.5 x 32 x 5 comparisons per inference",
                PaperJoulesPerComparison, row, paperInference, mbiInference),
            new($"node scan = one comparison", $"the 4.7 pJ is a whole {n}-row node scan; the paper's x32 then counts each row's energy {n} times",
                PaperJoulesPerComparison, n * row, paperInference / n, mbiInference),
            new("pJ-class ADC", $"one conversion costs {AdcJoulesPerConversion * 1e12:G3} pJ instead of the cited SAR model's {mbi.AdcJoules * 1e15:G3} fJ",
                PaperJoulesPerComparison, adcRow, paperInference, adcRow * mbiSplitComparisonsPerInference),
            new("larger bitline load", $"bitlines of {BitlineCapacitanceFarads * 1e15:G3} fF instead of {MbiBitlineCapacitanceFarads * 1e15:G3} fF (precharge and charge sum scaled by C)",
                PaperJoulesPerComparison, lineRow, paperInference, lineRow * mbiSplitComparisonsPerInference),
        ];
    }
}
