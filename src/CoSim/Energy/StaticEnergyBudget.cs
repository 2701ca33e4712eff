using System.Text.Json;
using Mbi.Circuit.Engine;
using Mbi.Circuit.Leakage;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Periphery;
using Mbi.Core.Errors;

namespace Mbi.CoSim.Energy;

/// <summary>The leakage settings of config/leakage.json, validated once.</summary>
internal sealed record LeakageSettings(IReadOnlyList<double> TemperaturesCelsius, double PowerGatingFraction, bool GateTunneling)
{
    public static LeakageSettings Load(string? path = null)
    {
        string file = path ?? Path.Combine(Path.GetDirectoryName(EnergyConfig.Locate(null))!, "leakage.json");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var root = doc.RootElement;
            var temperatures = root.GetProperty("temperatures_celsius").EnumerateArray().Select(t => t.GetDouble()).ToList();
            double gating = root.GetProperty("power_gating_fraction").GetDouble();
            if (temperatures.Count == 0 || temperatures.Any(t => t is < -55 or > 175))
                throw new InvalidOperationException("temperatures_celsius must list at least one temperature between -55 and 175");
            if (gating is < 0 or >= 1) throw new InvalidOperationException($"power_gating_fraction is {gating}; it must be in [0, 1)");
            return new LeakageSettings(temperatures, gating, root.GetProperty("gate_tunneling").GetBoolean());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            throw new FileFormatException(file, e.Message, "restore config/leakage.json from git and edit only the values");
        }
    }
}

/// <summary>Static energy of one inference at one temperature: every stored key cell, every array's decoder and every value cell leaking.</summary>
internal sealed record StaticEnergy(double TemperatureCelsius, bool GateTunneling, double Cells, double Arrays, double CellPowerWatts,
    double DecoderPowerWatts, double CellJoules, double PeripheryJoules, double ValueCells, double ValueCellPowerWatts, double ValueJoules)
{
    public double TotalJoules => CellJoules + PeripheryJoules + ValueJoules;
}

/// <summary>
/// Leakage per inference of a LUT mapped onto 32x32 arrays: cells = LUT rows x splits x columns, arrays =
/// ceil(rows / rows per array) x splits, each with one row decoder and its drivers, and the value store's 6T cells =
/// LUT rows x value bits. Cell and decoder static power are measured with ngspice at each temperature of
/// <see cref="LeakageSettings"/> (cells: mean over both stored values).
/// </summary>
internal static class StaticEnergyBudget
{
    public static IReadOnlyList<StaticEnergy> Measure(NgSpiceEngine engine, Technology technology, ArrayDesign design, LeakageSettings settings,
        long lutRows, int splits, double inferenceSeconds, int valueBits)
    {
        if (lutRows < 1) throw BadInputException.For("LUT rows", lutRows, ">= 1", "262853");
        if (splits < 1) throw BadInputException.For("splits", splits, ">= 1", "5");
        if (valueBits < 0) throw BadInputException.For("value bits", valueBits, ">= 0", "76");
        technology = technology with { GateTunneling = settings.GateTunneling };
        var cell = LeakageCell.TenTransistorHold(technology, design);
        var valueCell = LeakageCell.SixTransistorHold(technology);
        double valueCells = (double)lutRows * valueBits;
        var decoder = new RowDecoderBench(technology, design, new RowDecoderDesign(), [0, 1]);
        double cells = (double)lutRows * splits * design.Columns;
        double arrays = Math.Ceiling(lutRows / (double)design.Rows) * splits;
        var results = new List<StaticEnergy>();
        foreach (double celsius in settings.TemperaturesCelsius)
        {
            double cellPower = LeakageBench.MeanPowerWatts(LeakageBench.Measure(engine, technology, cell, celsius));
            double valuePower = LeakageBench.MeanPowerWatts(LeakageBench.Measure(engine, technology, valueCell, celsius));
            double decoderPower = RowDecoderMeter.Leakage(engine, decoder, celsius).Where(r => r.Node is "vdec" or "vrow").Sum(r => r.DeliveredWatts);
            var energy = new LeakageEnergy
            {
                Cells = cells, CellPowerWatts = cellPower, PeripheryPowerWatts = arrays * decoderPower, InferenceSeconds = inferenceSeconds,
                PowerGatingFraction = settings.PowerGatingFraction,
            }.Validated();
            double valueJoules = valueCells * valuePower * (1 - settings.PowerGatingFraction) * inferenceSeconds;
            results.Add(new StaticEnergy(celsius, settings.GateTunneling, cells, arrays, cellPower, decoderPower, energy.CellJoules, energy.PeripheryJoules,
                valueCells, valuePower, valueJoules));
        }
        return results;
    }
}
