using System.Globalization;
using System.Text;
using System.Text.Json;
using Mbi.Core.Errors;
using Mbi.Core.IO;
using Mbi.Core.Units;

namespace Mbi.CoSim.Energy;

/// <summary>One row of Table I: energy per inference, as published and projected to 16 nm by (16/T)^2.</summary>
public sealed record TableOneRow(string Name, string Network, double TechnologyNanometers, double? PublishedJoules, double? ProjectedJoules,
    double? ImpliedByPaperJoules, string Source)
{
    public double? RatioTo(double mbiJoules) => ProjectedJoules is double p ? p / mbiJoules : null;
}

/// <summary>
/// Table I: MBI and mixed MBI (whose energy adds the fallback RAM's MACs on the images it serves) beside the
/// CIM macros listed in config/cim-macros.json. A macro without a published energy there is shown as
/// missing, never estimated; the paper-implied value (paper's MBI energy x its stated ratio) is shown apart.
/// </summary>
internal static class TableOne
{
    /// <summary>The RAM fallback's energy per image: its forward MACs x the MAC energy of config/energy.json.</summary>
    public static double FallbackJoules(Algorithm.Ram.RamConfig ram, EnergyConfig config) => Algorithm.Ram.RamFlops.ForwardMacs(ram) * config.FallbackMacJoules;

    /// <summary>Mixed MBI: lookups for every image, plus the fallback on the images past the threshold.</summary>
    public static double MixedJoules(double lookupJoules, double fallbackJoules, double mbiFraction) => lookupJoules + (1 - mbiFraction) * fallbackJoules;

    public static List<TableOneRow> Build(double mbiJoules, double mixedJoules, double mbiFractionOfMixed, string? macrosPath = null)
    {
        var rows = new List<TableOneRow>
        {
            new("MBI (Mbi, lookup only)", "RAM distilled to a LUT", 16, mbiJoules, mbiJoules, null, "measured in this run: ngspice + ADC model + logic, lookups counted"),
            new("Mixed MBI (Mbi, T = 5)", "LUT + RAM fallback", 16, mixedJoules, mixedJoules, null,
                $"lookups for every image + the RAM's MACs for the {(1 - mbiFractionOfMixed) * 100:F1}% of images it serves"),
        };
        string path = macrosPath ?? Path.Combine(Path.GetDirectoryName(EnergyConfig.Locate(null))!, "cim-macros.json");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            foreach (var m in doc.RootElement.GetProperty("macros").EnumerateArray())
            {
                double node = m.GetProperty("technology_nm").GetDouble();
                double? published = m.GetProperty("energy_per_inference_joules").ValueKind == JsonValueKind.Number ? m.GetProperty("energy_per_inference_joules").GetDouble() : null;
                double? implied = m.GetProperty("implied_by_paper_joules_at_16nm").ValueKind == JsonValueKind.Number ? m.GetProperty("implied_by_paper_joules_at_16nm").GetDouble() : null;
                string source = m.TryGetProperty("source", out var s) ? s.GetString() ?? "" : m.GetProperty("status").GetString() ?? "";
                rows.Add(new TableOneRow(m.GetProperty("name").GetString()!, m.GetProperty("network").GetString()!, node, published,
                    published * Math.Pow(16 / node, 2), implied, source));
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            throw new FileFormatException(path, e.Message, "restore config/cim-macros.json from git and edit only the values");
        }
        return rows;
    }

    public static string Markdown(IReadOnlyList<TableOneRow> rows, double mbiJoules)
    {
        var s = new StringBuilder("| design | network | node | published energy/inference | at 16 nm, (16/T)^2 | vs Mbi's MBI | paper-implied at 16 nm | source |\n|---|---|---|---|---|---|---|---|\n");
        foreach (var r in rows)
            s.Append($"| {r.Name} | {r.Network} | {r.TechnologyNanometers:F0} nm | {J(r.PublishedJoules)} | {J(r.ProjectedJoules)} | ")
             .Append(r.RatioTo(mbiJoules) is double x ? x.ToString("F2", CultureInfo.InvariantCulture) + "x" : "n/a")
             .Append($" | {(r.ImpliedByPaperJoules is null && r.PublishedJoules is not null ? "-" : J(r.ImpliedByPaperJoules))} | {r.Source} |\n");
        return s.ToString();
    }

    public static void SaveCsv(string path, IReadOnlyList<TableOneRow> rows, double mbiJoules)
    {
        var csv = new CsvWriter("design", "network", "technology_nm", "published_joules", "projected_16nm_joules", "ratio_to_mbi", "paper_implied_16nm_joules", "source");
        foreach (var r in rows) csv.Row(r.Name, r.Network, r.TechnologyNanometers, r.PublishedJoules, r.ProjectedJoules, r.RatioTo(mbiJoules), r.ImpliedByPaperJoules, r.Source);
        csv.Save(path);
    }

    private static string J(double? joules) => joules is double j ? Engineering.Format(j, "J") : "not found";
}
