using System.Text.Json;
using Mbi.Core.Errors;

namespace Mbi.CoSim.Energy;

/// <summary>
/// The user-editable per-component energies (config/energy.json): ADC model, logic per-operation energies,
/// the fallback network's MAC energy. Read once and validated. (The paper's figures are in <see cref="Reports.PaperFigures"/>.)
/// </summary>
public sealed record EnergyConfig
{
    /// <summary>Technology node the ADC and logic figures are taken at, in nanometres.</summary>
    public required double TechnologyNanometers { get; init; }
    /// <summary>ADC resolution the ADC figures are for.</summary>
    public required int AdcBits { get; init; }
    /// <summary>ADC power per column while converting, in watts.</summary>
    public required double AdcPowerWatts { get; init; }
    /// <summary>One ADC conversion, in seconds.</summary>
    public required double AdcConversionSeconds { get; init; }
    /// <summary>The per-operation logic model the two logic figures below come from.</summary>
    public required LogicEnergyModel Logic { get; init; }
    /// <summary>Digital weighting (multiply), summing (add) and their registers per split comparison, in joules.</summary>
    public required double LogicPerSplitComparisonJoules { get; init; }
    /// <summary>The running-minimum compare and its registers per row scanned, in joules.</summary>
    public required double LogicPerRowJoules { get; init; }
    /// <summary>One MAC of the fallback network (mixed MBI), in joules.</summary>
    public required double FallbackMacJoules { get; init; }
    /// <summary>The file the configuration was read from.</summary>
    public required string Path { get; init; }
    /// <summary>Energy of one ADC conversion: power x conversion time.</summary>
    public double AdcEnergyJoules => AdcPowerWatts * AdcConversionSeconds;

    /// <summary>The NeuroSim fit at this node, P = (a bits + b) uW: a and b in watts (to re-price another resolution).</summary>
    public double AdcFitSlopeWatts { get; init; }
    /// <summary>The NeuroSim fit's offset b, in watts.</summary>
    public double AdcFitOffsetWatts { get; init; }
    /// <summary>One SAR bit cycle; a conversion takes bits + 1 of them.</summary>
    public double AdcBitCycleSeconds { get; init; }

    /// <summary>
    /// The config priced for a <paramref name="bits"/>-bit ADC (the design's resolution, e.g. `--adc-bits`), from the same
    /// NeuroSim fit energy.json gives for its own resolution.
    /// </summary>
    public EnergyConfig WithAdcBits(int bits)
    {
        if (bits == AdcBits) return this;
        if (bits is < 1 or > 16) throw BadInputException.For("adc.bits", bits, "between 1 and 16", "5");
        if (AdcBitCycleSeconds <= 0)
            throw new InvalidOperationException("WithAdcBits re-prices the NeuroSim fit read from energy.json, which gives no bit cycle");
        return this with
        {
            AdcBits = bits,
            AdcPowerWatts = AdcFitSlopeWatts * bits + AdcFitOffsetWatts,
            AdcConversionSeconds = (bits + 1) * AdcBitCycleSeconds,
        };
    }

    /// <summary>Finds config/energy.json from the working directory or any parent (tests run below the repo).</summary>
    public static string Locate(string? path)
    {
        if (path is not null)
            return File.Exists(path) ? path : throw BadInputException.For("energy_config", path, "an existing JSON file", "config/energy.json");
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "config", "energy.json");
            if (File.Exists(candidate)) return candidate;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "config", "energy.json");
            if (File.Exists(candidate)) return candidate;
        }
        throw new BadInputException("config/energy.json was not found in the working directory or its parents; run from the repository root or pass --energy-config FILE.");
    }

    /// <summary>Reads and validates the configuration (<see cref="Locate"/> finds config/energy.json when <paramref name="path"/> is null).</summary>
    public static EnergyConfig Load(string? path = null)
    {
        string file = Locate(path);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var root = doc.RootElement;
            double node = Number(root, "technology_nm");
            var adc = root.GetProperty("adc");
            int bits = (int)Number(adc, "bits");
            // NeuroSim LP fits at 14 and 22 nm, interpolated linearly in node.
            double f = Math.Clamp((node - 14) / (22 - 14), 0, 1);
            double a = Lerp(Number(adc, "fit_14nm_lp_a_microwatts"), Number(adc, "fit_22nm_lp_a_microwatts"), f);
            double b = Lerp(Number(adc, "fit_14nm_lp_b_microwatts"), Number(adc, "fit_22nm_lp_b_microwatts"), f);
            double power = (a * bits + b) * 1e-6;
            double conversion = (bits + 1) * Number(adc, "ns_per_bit_cycle") * 1e-9;
            var logicJson = root.GetProperty("logic");
            var logic = LogicEnergyModel.FromJson(logicJson, node, Number);
            double scale = LogicEnergyModel.Scale(Number(logicJson, "source_node_nm"), Number(logicJson, "source_vdd_volts"), node, logic.TargetVddVolts);
            var fallback = root.GetProperty("fallback_network");
            var config = new EnergyConfig
            {
                Path = file,
                TechnologyNanometers = node,
                AdcBits = bits,
                AdcPowerWatts = power,
                AdcConversionSeconds = conversion,
                AdcFitSlopeWatts = a * 1e-6,
                AdcFitOffsetWatts = b * 1e-6,
                AdcBitCycleSeconds = Number(adc, "ns_per_bit_cycle") * 1e-9,
                Logic = logic,
                LogicPerSplitComparisonJoules = logic.PerSplitComparisonJoules,
                LogicPerRowJoules = logic.PerRowJoules,
                FallbackMacJoules = Number(fallback, "mac_joules_at_source") * scale,
            };
            if (bits is < 1 or > 16) throw new FileFormatException(file, $"adc.bits is {bits}", "use 1..16 (the paper: 5)");
            return config;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FileFormatException(file, e.Message, "restore the keys of the shipped config/energy.json (git checkout config/energy.json) and edit only the values");
        }
    }

    private static double Lerp(double a, double b, double f) => a + (b - a) * f;

    private static double Number(JsonElement element, string name)
    {
        var field = element.GetProperty(name);
        if (field.ValueKind != JsonValueKind.Number)
            throw new InvalidOperationException($"'{name}' is {field.GetRawText()}; it must be a number without quotes");
        double value = field.GetDouble();
        if (!double.IsFinite(value) || value < 0) throw new InvalidOperationException($"'{name}' is {value}; it must be a finite number >= 0");
        return value;
    }
}
