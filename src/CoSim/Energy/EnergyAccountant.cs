using Mbi.Circuit.Engine;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.CoSim.Mapping;
using Mbi.Core.Errors;
using Mbi.Core.Randomness;

namespace Mbi.CoSim.Energy;

/// <summary>
/// Energy of one 32x32 comparison (one row of one split array), by component, averaged over a mapping's splits:
/// the ADC and logic models plus the array's supply energy by category (<see cref="ArrayEnergy"/>).
/// </summary>
/// <param name="RowDecoderJoules">The row decoder (VDD rail and address inputs) per row access, from the periphery bench; the
/// selected row's driver is the array's row select.</param>
public sealed record ComparisonEnergy(double AdcJoules, ArrayEnergy Array, double LogicJoules, double RowSeconds,
    double AdcConversionSeconds, IReadOnlyDictionary<int, RowEnergy> RowEnergyByPrecision, double RowDecoderJoules = 0)
{
    /// <summary>ADC + array + logic + row decoder: one comparison's energy, in joules.</summary>
    public double TotalJoules => AdcJoules + Array.TotalJoules + LogicJoules + RowDecoderJoules;

    /// <summary>Former grouping kept for the CLI's table (see <see cref="ArrayEnergy.RowActivationJoules"/>).</summary>
    public double RowActivationJoules => Array.RowActivationJoules;
    /// <summary>Former grouping: precharge-gate drivers and precharge rails.</summary>
    public double ColumnPrechargeJoules => Array.ColumnPrechargeJoules;
    /// <summary>Former grouping: the transmission-gate drivers.</summary>
    public double ChargeSumJoules => Array.ChargeSumJoules;

    /// <summary>Row cycle (precharge, evaluate, share, edges) plus the ADC conversion, scanned serially.</summary>
    public double SecondsPerRow => RowSeconds + AdcConversionSeconds;
}

/// <summary>What the lookups actually made cost, per inference.</summary>
public sealed record InferenceEnergy(double Images, double SplitComparisonsPerImage, double RowsPerImage, double LookupsPerImage,
    double LevelsPerLookup, double EnergyPerInferenceJoules, double LatencySeconds);

/// <summary>
/// The energy/latency accountant: ngspice supply energy (positive-only, per rail, through each rail's generator) of a row comparison at each precision the mapping
/// uses (seeded random keys, queries with about a quarter of the columns differing, as near matches do),
/// plus the ADC (published model) and the digital weighting/summing/minimum (per-operation energies), from
/// <see cref="EnergyConfig"/>. Per inference it multiplies by the split comparisons the lookups really made.
/// </summary>
public static class EnergyAccountant
{
    private static readonly ulong Stream = SeededRandom.StreamId("mbi.cosim.energy-rows");

    /// <param name="decks">Where to save each simulated deck (energy-p{bits}.cir, runnable with ngspice -b); null: none.</param>
    public static ComparisonEnergy PerComparison(ArrayMapping mapping, EnergyConfig config, Technology technology, ArrayDesign design,
        ulong seed, int cycles = 8, DeckFolder? decks = null)
    {
        var byPrecision = new Dictionary<int, RowEnergy>();
        using (var engine = NgSpiceEngine.Start())
        {
            foreach (int p in mapping.Splits.Select(s => s.BitsPerElement).Distinct().Order())
                byPrecision[p] = RowEnergyMeter.Measure(engine, technology, design, Program(design.Columns, p, seed, cycles),
                    decks, $"energy-p{p}.cir");
        }
        var array = ArrayEnergy.Zero;
        foreach (var split in mapping.Splits) array = array.Plus(byPrecision[split.BitsPerElement].Array);
        int n = mapping.SplitCount;
        double logic = config.LogicPerSplitComparisonJoules + config.LogicPerRowJoules / n;
        return new ComparisonEnergy(config.AdcEnergyJoules, array.Times(1.0 / n), logic, design.CycleSeconds, config.AdcConversionSeconds, byPrecision);
    }

    /// <summary>Writes the decks <see cref="PerComparison"/> simulates (energy-p{bits}.cir, runnable with ngspice -b) without running them.</summary>
    public static void SaveDecks(ArrayMapping mapping, Technology technology, ArrayDesign design, ulong seed, int cycles, DeckFolder decks)
    {
        foreach (int p in mapping.Splits.Select(s => s.BitsPerElement).Distinct().Order())
            decks.Save($"energy-p{p}.cir", new RowBench(technology, design, Program(design.Columns, p, seed, cycles)).WriteForMetering());
    }

    /// <summary>Energy and latency per image from the lookups counted over <paramref name="images"/> images: split comparisons x energy per comparison, rows scanned x seconds per row.</summary>
    public static InferenceEnergy PerInference(ComparisonEnergy comparison, int images, long lookups, long levels, long rowsScanned, long splitComparisons)
    {
        double perImage = splitComparisons / (double)images;
        double rowsPerImage = rowsScanned / (double)images;
        return new InferenceEnergy(images, perImage, rowsPerImage, lookups / (double)images, levels / (double)lookups,
            perImage * comparison.TotalJoules, rowsPerImage * comparison.SecondsPerRow);
    }

    /// <summary>The default share of query columns that differ from the key (a near match).</summary>
    public const double TypicalFlipFraction = 0.25;

    /// <param name="flipFraction">Probability that a query column differs from the key (the band's 10 / 25 / 50 %).</param>
    internal static RowProgram Program(int columns, int p, ulong seed, int cycles, double flipFraction = TypicalFlipFraction)
    {
        if (!(flipFraction >= 0 && flipFraction <= 1)) throw BadInputException.For("flip fraction", flipFraction, "between 0 and 1", "0.25");
        var random = new SeededRandom(seed, Stream, (ulong)p);
        var key = new bool[columns];
        for (int c = 0; c < columns; c++) key[c] = random.NextDouble() < 0.5;
        var list = new List<RowCycle>();
        for (int i = 0; i < cycles; i++)
        {
            var q = (bool[])key.Clone();
            for (int c = 0; c < columns; c++) if (random.NextDouble() < flipFraction) q[c] = !q[c];
            list.Add(new RowCycle(p, q));
        }
        return new RowProgram(key, list);
    }
}
