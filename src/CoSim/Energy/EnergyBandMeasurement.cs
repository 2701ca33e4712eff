using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mbi.Algorithm.Memorization;
using Mbi.Circuit.Adc;
using Mbi.Circuit.Energy;
using Mbi.Circuit.Engine;
using Mbi.Circuit.Leakage;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Periphery;
using Mbi.CoSim.Mapping;
using Mbi.Core.Errors;
using Mbi.Core.IO;

namespace Mbi.CoSim.Energy;

/// <summary>
/// Measures <see cref="BandMeasurements"/> with ngspice (a small, fixed set of points: per precision the mapping uses,
/// the typical row and four one-factor points; three decoder runs; the value-store read at three wire loads and 85 C; the SPICE ADC; key-cell, decoder and value-cell leakage at 27 / 85 C and the design's
/// temperature with gate tunnelling off and on) and caches them per design hash, as the compact model's cache does.
/// </summary>
internal static class EnergyBandMeasurement
{
    public const double FlipLow = 0.10, FlipHigh = 0.50, WireLow = 0.7, WireHigh = 1.3;
    private const int Version = 4;
    public const double HotCelsius = 85;
    private static readonly int[] DecoderScan = [0, 1, 2, 3, 4, 5, 6, 7, 0];

    /// <summary>
    /// The cache name's hash: the benches' decks (the value read's timing and sizes are in its deck), the designs and the run's settings.
    /// The SPICE SAR enters only when it is not the default one (<paramref name="sarAdc"/> null or equal to it), so every key
    /// written before the SAR clock was a design field, and the shipped points found by it, stay the same.
    /// </summary>
    public static string CacheKey(ArrayMapping mapping, Technology technology, ArrayDesign design, ValueReadDesign valueRead, ulong seed, int cycles, int adcConversions,
        SarAdcDesign? sarAdc = null)
    {
        int[] precisions = Precisions(mapping);
        var reference = new RowBench(technology, design, EnergyAccountant.Program(design.Columns, precisions[^1], seed, cycles));
        string text = string.Join("|", reference.WriteForMetering(), ValueBench(technology, design, valueRead, mapping).Write(), design.ToString(), technology.Conditions.ToString(),
            string.Join(",", mapping.Splits.Select(s => s.BitsPerElement)), seed, cycles, adcConversions, Version);
        if (sarAdc is not null && sarAdc != new SarAdcDesign()) text += "|" + sarAdc;
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
    }

    /// <param name="cacheDirectory">Where the measurement is cached (energy-bands-{hash}.json); null: measure, do not cache.</param>
    /// <param name="valueRead">The value store's read (timing and sizes; its rows and columns are the array's and the table's).</param>
    /// <param name="sarAdc">The SPICE SAR (its clock is the design's adc.sar_clock_period_seconds); null: the default SAR.</param>
    public static BandMeasurements LoadOrMeasure(ArrayMapping mapping, Technology technology, ArrayDesign design, ValueReadDesign valueRead, ulong seed, int cycles,
        int adcConversions, string? cacheDirectory, IProgress<string>? progress = null, SarAdcDesign? sarAdc = null)
    {
        string? path = cacheDirectory is null ? null
            : Path.Combine(cacheDirectory, $"energy-bands-{CacheKey(mapping, technology, design, valueRead, seed, cycles, adcConversions, sarAdc)}.json");
        if (path is not null && File.Exists(path))
        {
            try
            {
                return JsonSerializer.Deserialize<BandMeasurements>(File.ReadAllText(path))
                    ?? throw new FileFormatException(path, "the file is empty", "delete it; Mbi measures again with ngspice");
            }
            catch (JsonException e)
            {
                throw new FileFormatException(path, e.Message, "delete it; Mbi measures again with ngspice");
            }
        }
        var measured = Measure(mapping, technology, design, valueRead, seed, cycles, adcConversions, progress, sarAdc);
        if (path is not null)
        {
            Directory.CreateDirectory(cacheDirectory!);
            AtomicFile.WriteAllText(path, JsonSerializer.Serialize(measured, new JsonSerializerOptions { WriteIndented = true }));
        }
        return measured;
    }

    public static BandMeasurements Measure(ArrayMapping mapping, Technology technology, ArrayDesign design, ValueReadDesign valueRead, ulong seed, int cycles,
        int adcConversions, IProgress<string>? progress = null, SarAdcDesign? sarAdc = null)
    {
        var clock = Stopwatch.StartNew();
        int n = mapping.SplitCount;
        var wireLow = technology with { WireCapacitanceFaradsPerMeter = technology.WireCapacitanceFaradsPerMeter * WireLow };
        var wireHigh = technology with { WireCapacitanceFaradsPerMeter = technology.WireCapacitanceFaradsPerMeter * WireHigh };
        using var engine = NgSpiceEngine.Start();

        var typical = new Dictionary<int, ArrayEnergy>();
        var flipLow = new Dictionary<int, ArrayEnergy>();
        var flipHigh = new Dictionary<int, ArrayEnergy>();
        var lowWire = new Dictionary<int, ArrayEnergy>();
        var highWire = new Dictionary<int, ArrayEnergy>();
        var hot = new Dictionary<int, ArrayEnergy>();
        var hotTechnology = technology.WithTemperature(HotCelsius);
        var pumped = new Dictionary<int, ArrayEnergy>();
        var ideal = new Dictionary<int, ArrayEnergy>();
        var floor = new Dictionary<int, ArrayEnergy>();
        foreach (int p in Precisions(mapping))
        {
            RowEnergy Run(Technology t, double flip, string label)
            {
                progress?.Report($"energy bands: row p={p}, {label}");
                return RowEnergyMeter.Measure(engine, new RowBench(t, design, EnergyAccountant.Program(design.Columns, p, seed, cycles, flip)));
            }
            var bench = new RowBench(technology, design, EnergyAccountant.Program(design.Columns, p, seed, cycles));
            var row = RowEnergyMeter.Measure(engine, bench);
            typical[p] = row.Array;
            (pumped[p], ideal[p]) = Pumped(bench, row, technology.VddVolts);
            floor[p] = Floor(bench, technology, design);
            flipLow[p] = Run(technology, FlipLow, "flip 10 %").Array;
            flipHigh[p] = Run(technology, FlipHigh, "flip 50 %").Array;
            lowWire[p] = Run(wireLow, EnergyAccountant.TypicalFlipFraction, "wire x0.7").Array;
            highWire[p] = Run(wireHigh, EnergyAccountant.TypicalFlipFraction, "wire x1.3").Array;
            hot[p] = technology.Conditions.TemperatureCelsius == HotCelsius ? row.Array : Run(hotTechnology, EnergyAccountant.TypicalFlipFraction, "85 C").Array;
        }
        ArrayEnergy Mean(Dictionary<int, ArrayEnergy> byP)
        {
            var sum = ArrayEnergy.Zero;
            foreach (var split in mapping.Splits) sum = sum.Plus(byP[split.BitsPerElement]);
            return sum.Times(1.0 / n);
        }

        progress?.Report("energy bands: row decoder");
        double Decoder(Technology t)
        {
            var e = RowDecoderMeter.Measure(engine, new RowDecoderBench(t, design, new RowDecoderDesign(), DecoderScan));
            return e.JoulesPerAccessByRail["vdec"] + e.AddressInputJoulesPerAccess;
        }
        double dLow = Decoder(wireLow), dTyp = Decoder(technology), dHigh = Decoder(wireHigh);

        progress?.Report("energy bands: value-store read");
        ValueReadEnergy Read(Technology t) => ValueReadMeter.Measure(engine, ValueBench(t, design, valueRead, mapping)).RequireCorrect();
        var readTyp = Read(technology);
        double readLow = Read(wireLow).JoulesPerRowRead, readHigh = Read(wireHigh).JoulesPerRowRead;
        double readHot = technology.Conditions.TemperatureCelsius == HotCelsius ? readTyp.JoulesPerRowRead : Read(hotTechnology).JoulesPerRowRead;

        progress?.Report($"energy bands: SPICE SAR ADC ({adcConversions} conversions)");
        var adc = AdcEnergyModel.Spice(engine, technology, sarAdc ?? new SarAdcDesign(), adcConversions);

        progress?.Report("energy bands: leakage");
        double designCelsius = technology.Conditions.TemperatureCelsius;
        var leakage = new List<LeakagePoint>();
        foreach (double celsius in new[] { 27.0, 85.0, designCelsius }.Distinct())
            foreach (bool tunnelling in new[] { false, true })
            {
                var t = technology with { GateTunneling = tunnelling };
                double cell = LeakageBench.MeanPowerWatts(LeakageBench.Measure(engine, t, LeakageCell.TenTransistorHold(t, design), celsius));
                double decoder = RowDecoderMeter.Leakage(engine, new RowDecoderBench(t, design, new RowDecoderDesign(), [0, 1]), celsius)
                    .Where(r => r.Node is "vdec" or "vrow").Sum(r => r.DeliveredWatts);
                double valueCell = LeakageBench.MeanPowerWatts(LeakageBench.Measure(engine, t, LeakageCell.SixTransistorHold(t), celsius));
                leakage.Add(new LeakagePoint(celsius, tunnelling, cell, decoder, valueCell));
            }

        return new BandMeasurements
        {
            Typical = Mean(typical), FlipLow = Mean(flipLow), FlipHigh = Mean(flipHigh), WireLow = Mean(lowWire), WireHigh = Mean(highWire), Hot = Mean(hot), HotCelsius = HotCelsius,
            PumpedTypical = Mean(pumped), PumpedIdeal = Mean(ideal), Floor = Mean(floor), PumpEfficiency = design.ChargePumpEfficiency,
            FlipLowFraction = FlipLow, FlipTypicalFraction = EnergyAccountant.TypicalFlipFraction, FlipHighFraction = FlipHigh,
            WireLowFactor = WireLow, WireHighFactor = WireHigh, Cycles = cycles,
            DecoderLowJoules = dLow, DecoderTypicalJoules = dTyp, DecoderHighJoules = dHigh, DecoderFloorJoules = 0,
            AdcSpiceJoules = adc.EnergyJoules, AdcSpiceSeconds = adc.ConversionSeconds, AdcSpiceConversions = adcConversions,
            Leakage = leakage,
            ValueReadLowJoules = readLow, ValueReadTypicalJoules = readTyp.JoulesPerRowRead, ValueReadHighJoules = readHigh, ValueReadHotJoules = readHot,
            ValueReadFloorJoules = readTyp.FloorJoulesPerRowRead, ValueReadSeconds = readTyp.CycleSeconds, ValueReadColumns = readTyp.Columns,
            MeasuredSeconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>
    /// The part of each category drawn through charge pumps (at the design's efficiency, as measured), and the same
    /// delivered energy through ideal pumps: a doubler's V / (2 VDD) for a positive rail, one inverting stage's |V| / VDD
    /// for a negative one (Palumbo and Pappalardo, IEEE CAS Magazine 10(1), 2010).
    /// </summary>
    internal static (ArrayEnergy Pumped, ArrayEnergy Ideal) Pumped(RowBench bench, RowEnergy row, double vdd)
    {
        var pumped = new Dictionary<SupplyCategory, double>();
        var ideal = new Dictionary<SupplyCategory, double>();
        foreach (var rail in bench.Rails.Where(r => r.Generator == RailGenerator.ChargePump))
        {
            double drawn = row.PerSourceJoules[rail.Source];
            double best = rail.Volts > 0 ? rail.Volts / (2 * vdd) : Math.Abs(rail.Volts) / vdd;
            if (!(best > 0 && best <= 1))
                throw new SimulationFailedException($"charge-pumped rail {rail.Source} at {rail.Volts} V has no ideal single-stage efficiency in (0, 1]; it must be a doubler's or one inverting stage's output.");
            best = Math.Max(best, rail.Efficiency); // never "ideal" below the design's own figure
            pumped[rail.Category] = pumped.GetValueOrDefault(rail.Category) + drawn;
            ideal[rail.Category] = ideal.GetValueOrDefault(rail.Category) + drawn * rail.Efficiency / best;
        }
        return (Of(pumped), Of(ideal));
    }

    /// <summary>C V^2 per comparison of the lines each driver category switches, from the bench's explicit line capacitors.</summary>
    internal static ArrayEnergy Floor(RowBench bench, Technology technology, ArrayDesign design)
    {
        var caps = bench.LineCapacitors;
        double vdd = technology.VddVolts;
        double query = 0;
        var cycles = bench.Program.Cycles;
        for (int i = 0; i < cycles.Count; i++)
            for (int c = 0; c < bench.Program.Columns; c++)
            {
                // toggled: one of ql/qlb rises per row; static: a line rises only where the new query's bit differs (the
                // first reported cycle follows a warm-up copy of itself)
                bool toggled = design.ScanProtocol == ScanProtocol.TogglePerRow;
                if (toggled || (i > 0 && cycles[i].Query[c] != cycles[i - 1].Query[c]))
                    query += caps[cycles[i].Query[c] ? $"ql{c}" : $"qlb{c}"] * vdd * vdd;
            }
        query /= cycles.Count * bench.ComparisonsPerQueryDrive;
        double select = design.RowSelect == RowSelect.RowGated ? caps["rwl"] * vdd * vdd : caps["sl"] * design.VpMaxVolts * design.VpMaxVolts;
        double pg = (caps["pg"] + caps.GetValueOrDefault("psl")) * Math.Pow(vdd - design.PrechargeGateLowVolts, 2);
        double share = (caps["shn"] + caps["shp"]) * Math.Pow(vdd + design.ShareOverdriveVolts, 2);
        return new ArrayEnergy(query, select, 0, 0, pg, 0, share, 0);
    }

    private static ArrayEnergy Of(Dictionary<SupplyCategory, double> d)
    {
        double G(SupplyCategory c) => d.GetValueOrDefault(c);
        return new ArrayEnergy(G(SupplyCategory.QueryDrivers), G(SupplyCategory.RowSelect), G(SupplyCategory.Cell), G(SupplyCategory.LogicInputs),
            G(SupplyCategory.PrechargeGateDrivers), G(SupplyCategory.PrechargeRails), G(SupplyCategory.ShareDrivers), G(SupplyCategory.UnselectedRows));
    }

    /// <summary>The value store's read bench: the whole row of the array that holds the LUT's values (one row per stored
    /// key, as many rows per array as the key arrays, one column per value bit), every column simulated. The one-column
    /// bench with fixed minimum-gate loads for the other columns reads 11 % low at 76 columns (its precharge-gate and
    /// sense-enable loads: real gates outdraw a minimum gate 1.7-1.9x; ValueReadBenchTests), so it is not what is priced.</summary>
    internal static ValueReadBench ValueBench(Technology technology, ArrayDesign design, ValueReadDesign valueRead, ArrayMapping mapping) =>
        new(technology, ValueReadOf(design, valueRead, mapping), simulateAllColumns: true);

    /// <summary>The value read the bands measure: the design's timing and sizes (its value_read section) on the array's rows
    /// and one column per value bit of the mapped table.</summary>
    internal static ValueReadDesign ValueReadOf(ArrayDesign design, ValueReadDesign valueRead, ArrayMapping mapping) =>
        (valueRead with { Rows = design.Rows, Columns = LookupTable.ValueBitsOf(mapping.Spec) }).Validated();

    private static int[] Precisions(ArrayMapping mapping) => mapping.Splits.Select(s => s.BitsPerElement).Distinct().Order().ToArray();
}
