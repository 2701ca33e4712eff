using System.Globalization;
using System.Text;
using System.Text.Json;
using Mbi.Core.Errors;
using Mbi.Core.IO;
using Mbi.Core.Units;
using Mbi.CoSim.Reports;

namespace Mbi.CoSim.Energy;

/// <summary>Where a Table I energy comes from. Every row says which; the kinds are never mixed up.</summary>
internal static class TableOneBasis
{
    /// <summary>Measured by Mbi in this run (ngspice + ADC model + logic, lookups counted).</summary>
    public const string Measured = "measured";
    /// <summary>Stated in the MBI paper (its own MBI row).</summary>
    public const string Paper = "paper";
    /// <summary>A cited macro's row exactly as the paper's Table I gives it (its energy is 2 ops x #MACs / TOPS/W).</summary>
    public const string PaperTable = "paper's Table I";
    /// <summary>An energy per inference published by the design's authors.</summary>
    public const string Published = "published";
    /// <summary>2 operations per MAC x the reference network's MACs / the design's published TOPS/W.</summary>
    public const string DerivedFromEfficiency = "derived from published TOPS/W";
    /// <summary>Nothing usable could be found.</summary>
    public const string NotFound = "not found";
}

/// <summary>
/// One row of Table I: the paper's columns where it gives them, and the energy per inference at the design's node as a
/// band, projected to 16 nm two ways: the paper's (16/T)^2 (optimistic: it assumes the supply scales with the node) and
/// (16/T) (capacitance scales with the node at a fixed supply, which is closer to what happened below 90 nm).
/// </summary>
internal sealed record TableOneRow(string Name, string Network, double TechnologyNanometers, EnergyBand? AtNode, string Basis, string Source)
{
    public long? Weights { get; init; }
    public string? WeightPrecision { get; init; }
    public long? Macs { get; init; }
    public double? TopsPerWatt { get; init; }
    public double? StorageMegabytes { get; init; }
    public double? AccuracyPercent { get; init; }
    /// <summary>The 16 nm figure printed in the paper's Table I, for checking the projection.</summary>
    public double? PaperProjectedJoules { get; init; }

    public EnergyBand? ProjectedQuadratic => AtNode?.Scaled(Math.Pow(16 / TechnologyNanometers, 2));
    public EnergyBand? ProjectedLinear => AtNode?.Scaled(16 / TechnologyNanometers);

    public double? JoulesAtNode => AtNode?.Typical;
    public double? JoulesAtNodeHigh => AtNode is { IsPoint: false } b ? b.Max : null;
    public double? ProjectedJoules => ProjectedQuadratic?.Typical;
    public double? ProjectedJoulesHigh => ProjectedQuadratic is { IsPoint: false } b ? b.Max : null;

    /// <summary>This row's (16/T)^2 energy (typical) over <paramref name="mbiJoules"/>.</summary>
    public double? RatioTo(double mbiJoules) => ProjectedJoules is double p ? p / mbiJoules : null;
    public double? RatioHighTo(double mbiJoules) => ProjectedJoulesHigh is double p ? p / mbiJoules : null;
    /// <summary>The same ratio with the linear (16/T) projection.</summary>
    public double? LinearRatioTo(double mbiJoules) => ProjectedLinear?.Typical is double p ? p / mbiJoules : null;
}

/// <summary>
/// Table I: Mbi's MBI and mixed MBI (bands from the accountant), the paper's MBI row, the three CIM macros the paper
/// cites ([12] Lee et al. TCAS-I 2021, [13] Si et al. JSSC 2020, [14] Biswas and Chandrakasan JSSC 2019) with every
/// column of the paper's table (config/cim-macros.json), and candidate designs of the same kind kept as extra rows with
/// their basis. The paper's macro energies are 2 ops x #MACs / TOPS/W: macro-only figures (no data movement, control, I/O).
/// </summary>
internal static class TableOne
{
    /// <summary>The RAM fallback's energy per image: its forward MACs x the MAC energy of config/energy.json.</summary>
    public static double FallbackJoules(Algorithm.Ram.RamConfig ram, EnergyConfig config) => Algorithm.Ram.RamFlops.ForwardMacs(ram) * config.FallbackMacJoules;

    /// <summary>Mixed MBI: lookups for every image, plus the fallback on the images past the threshold.</summary>
    public static double MixedJoules(double lookupJoules, double fallbackJoules, double mbiFraction) => lookupJoules + (1 - mbiFraction) * fallbackJoules;

    public static EnergyBand MixedJoules(EnergyBand lookup, double fallbackJoules, double mbiFraction) =>
        new(MixedJoules(lookup.Min, fallbackJoules, mbiFraction), MixedJoules(lookup.Typical, fallbackJoules, mbiFraction), MixedJoules(lookup.Max, fallbackJoules, mbiFraction));

    public static string DefaultMacrosPath => Path.Combine(Path.GetDirectoryName(EnergyConfig.Locate(null))!, "cim-macros.json");

    public static List<TableOneRow> Build(double mbiJoules, double mixedJoules, double mbiFractionOfMixed, EnergyConfig config, string? macrosPath = null,
        double threshold = 5) =>
        Build(EnergyBand.Point(mbiJoules), EnergyBand.Point(mixedJoules), mbiFractionOfMixed, config, macrosPath, threshold);

    /// <summary>Reads and checks the CIM macro file (beside <paramref name="config"/>'s energy.json, or <paramref name="macrosPath"/>) without measuring anything.</summary>
    public static void CheckMacros(EnergyConfig config, string? macrosPath = null) =>
        Build(EnergyBand.Point(1e-9), EnergyBand.Point(1e-9), 0.5, config, macrosPath ?? MacrosPathBeside(config));

    /// <summary>cim-macros.json in the folder of the energy file <paramref name="config"/> was read from, else the shipped one.</summary>
    public static string MacrosPathBeside(EnergyConfig config)
    {
        string beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(config.Path))!, "cim-macros.json");
        return File.Exists(beside) ? beside : DefaultMacrosPath;
    }

    public static List<TableOneRow> Build(EnergyBand mbi, EnergyBand mixed, double mbiFractionOfMixed, EnergyConfig config, string? macrosPath = null,
        double threshold = 5)
    {
        string band = mbi.IsPoint ? "" : " (band: min/typ/max over the accountant's corners)";
        var rows = new List<TableOneRow>
        {
            new("MBI (Mbi, lookup only)", "RAM distilled to a LUT", 16, mbi, TableOneBasis.Measured,
                "this run: ngspice + ADC model + logic, lookups counted" + band),
            new($"Mixed MBI (Mbi, T = {threshold.ToString(CultureInfo.InvariantCulture)})", "LUT + RAM fallback", 16, mixed, TableOneBasis.Measured,
                $"lookups for every image + the RAM's MACs for the {(1 - mbiFractionOfMixed) * 100:F1}% of images it serves" + band),
        };
        string path = macrosPath ?? DefaultMacrosPath;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            // The paper's MBI column: #weights, precision, #MACs and TOPS/W are blank in the paper for MBI.
            rows.Add(new TableOneRow("MBI (paper)", "RAM distilled to a LUT", config.TechnologyNanometers, EnergyBand.Point(PaperFigures.EnergyPerInferenceJoules),
                TableOneBasis.Paper, $"{PaperFigures.Citation} Table I: {PaperFigures.EnergyPerInferenceFormula}")
            {
                StorageMegabytes = PaperFigures.StorageMegabytes,
                AccuracyPercent = 100 * PaperFigures.MixedAccuracy,
            });
            foreach (var m in root.GetProperty("macros").EnumerateArray())
                AddMacro(rows, m);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException or ArgumentException or BadInputException)
        {
            throw new FileFormatException(path, e.Message, "restore config/cim-macros.json from git (git checkout config/cim-macros.json) and edit only the values");
        }
        return rows;
    }

    private static TableOneRow PaperColumns(TableOneRow row, JsonElement m) => row with
    {
        Weights = OptionalNumber(m, "weights") is double w ? (long)w : null,
        WeightPrecision = m.TryGetProperty("weight_precision", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null,
        Macs = OptionalNumber(m, "macs") is double macs ? (long)macs : null,
        TopsPerWatt = m.TryGetProperty("tops_per_watt", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : null,
        StorageMegabytes = OptionalNumber(m, "storage_megabytes"),
        AccuracyPercent = OptionalNumber(m, "accuracy_percent"),
        PaperProjectedJoules = OptionalNumber(m, "paper_projected_16nm_joules"),
    };

    private static void AddMacro(List<TableOneRow> rows, JsonElement m)
    {
        string name = m.GetProperty("name").GetString()!;
        string network = m.GetProperty("network").GetString()!;
        double node = Positive(m, "technology_nm");
        string source = m.TryGetProperty("source", out var s) ? s.GetString() ?? "" : "";
        if (OptionalNumber(m, "energy_per_inference_joules") is double e)
        {
            string basis = m.TryGetProperty("basis", out var b) && b.GetString() == "paper_table" ? TableOneBasis.PaperTable : TableOneBasis.Published;
            rows.Add(PaperColumns(new TableOneRow(name, network, node, EnergyBand.Point(e), basis, source), m));
        }
        else
            rows.Add(new TableOneRow(name, network, node, null, TableOneBasis.NotFound, source));

        if (!m.TryGetProperty("candidates", out var candidates)) return;
        foreach (var c in candidates.EnumerateArray())
        {
            string design = "candidate: " + c.GetProperty("design").GetString();
            string cNetwork = c.GetProperty("network").GetString()!;
            double cNode = Positive(c, "technology_nm");
            string cSource = c.GetProperty("citation").GetString() + "; " + c.GetProperty("published").GetString();
            if (c.TryGetProperty("kind", out var kind)) cSource = kind.GetString() + "; " + cSource;
            if (OptionalNumber(c, "energy_per_inference_joules") is double ce)
                rows.Add(new(design, cNetwork, cNode, EnergyBand.Point(ce), TableOneBasis.Published, cSource));
            else if (c.TryGetProperty("tops_per_watt", out var tops))
            {
                string net = c.GetProperty("network_macs").GetString()!;
                long macs = ReferenceNetworks.Macs(net);
                if (tops.ValueKind == JsonValueKind.Array && tops.GetArrayLength() != 2)
                    throw new InvalidOperationException($"{design}: tops_per_watt is {tops.GetRawText()}; it must be one number or [worst, best] (e.g. [2.5, 5])");
                (double best, double worst) = tops.ValueKind == JsonValueKind.Array
                    ? (NumberAt(tops[1], "tops_per_watt"), NumberAt(tops[0], "tops_per_watt"))
                    : (NumberAt(tops, "tops_per_watt"), NumberAt(tops, "tops_per_watt"));
                if (!(best > 0 && worst > 0)) throw new InvalidOperationException($"{design}: tops_per_watt must be positive");
                double low = ReferenceNetworks.JoulesPerInference(macs, best);
                double high = ReferenceNetworks.JoulesPerInference(macs, worst);
                rows.Add(new(design, cNetwork, cNode, new EnergyBand(low, low, high), TableOneBasis.DerivedFromEfficiency,
                    $"{cSource}; {net} = {macs.ToString("N0", CultureInfo.InvariantCulture)} MACs x 2 ops / TOPS/W (macro only: no data movement, control or I/O)")
                    { Macs = macs, TopsPerWatt = best });
            }
            else
                rows.Add(new(design, cNetwork, cNode, null, TableOneBasis.NotFound, cSource));
        }
    }

    /// <summary>
    /// The table as Markdown: the paper's columns, the energy at node, at 16 nm by (16/T)^2 (the paper's rule, with the
    /// figure the paper prints beside it) and by (16/T), and ratios against Mbi's MBI and the paper's MBI (both (16/T)^2).
    /// </summary>
    public static string Markdown(IReadOnlyList<TableOneRow> rows, double mbiJoules)
    {
        double? paper = rows.FirstOrDefault(r => r.Basis == TableOneBasis.Paper)?.ProjectedJoules;
        var s = new StringBuilder("| design | network | node | #weights | weight precision | #MACs | TOPS/W | storage | accuracy | energy/inference at node | at 16 nm, (16/T)^2 | paper's 16 nm figure | at 16 nm, (16/T) | vs Mbi's MBI, (16/T)^2 | vs Mbi's MBI, (16/T) | vs paper's MBI | basis | source |\n")
            .Append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var r in rows)
        {
            s.Append($"| {r.Name} | {r.Network} | {r.TechnologyNanometers:F0} nm | {Count(r.Weights)} | {r.WeightPrecision ?? "-"} | {Count(r.Macs)} | ")
             .Append($"{Fixed(r.TopsPerWatt, "F2")} | {(r.StorageMegabytes is double mb ? mb.ToString("G3", CultureInfo.InvariantCulture) + " MB" : "-")} | ")
             .Append($"{(r.AccuracyPercent is double a ? a.ToString("F2", CultureInfo.InvariantCulture) + "%" : "-")} | ")
             .Append($"{Band(r.AtNode)} | {Band(r.ProjectedQuadratic)} | {(r.PaperProjectedJoules is double pp ? Engineering.Format(pp, "J") : "-")} | {Band(r.ProjectedLinear)} | ")
             .Append($"{Ratios(r, mbiJoules)} | {(r.LinearRatioTo(mbiJoules) is double lr ? Ratio(lr) : "n/a")} | {(paper is double p ? Ratios(r, p) : "n/a")} | {r.Basis} | {r.Source} |\n");
        }
        s.Append("\nProjection: the paper scales other nodes' energies by (16/T)^2, which assumes the supply voltage shrinks with the node. ")
         .Append("At a fixed supply, switched capacitance and so energy scale about linearly with the node, so the (16/T) column is the less optimistic projection; ")
         .Append("the true figure for a 16 nm redesign lies nearer the linear column unless its supply is also lowered.\n");
        return s.ToString();
    }

    private static string Ratios(TableOneRow r, double reference) => r.RatioTo(reference) is double x
        ? Ratio(x) + (r.RatioHighTo(reference) is double y ? "-" + Ratio(y) : "")
        : "n/a";

    public static void SaveCsv(string path, IReadOnlyList<TableOneRow> rows, double mbiJoules)
    {
        var csv = new CsvWriter("design", "network", "technology_nm", "weights", "weight_precision", "macs", "tops_per_watt", "storage_megabytes",
            "accuracy_percent", "joules_at_node_min", "joules_at_node_typ", "joules_at_node_max", "projected_16nm_quadratic_joules_typ",
            "projected_16nm_quadratic_joules_max", "paper_projected_16nm_joules", "projected_16nm_linear_joules_typ", "ratio_to_mbi", "ratio_to_mbi_linear",
            "basis", "source");
        foreach (var r in rows)
            csv.Row(r.Name, r.Network, r.TechnologyNanometers, r.Weights, r.WeightPrecision, r.Macs, r.TopsPerWatt, r.StorageMegabytes, r.AccuracyPercent,
                r.AtNode?.Min, r.AtNode?.Typical, r.AtNode?.Max, r.ProjectedQuadratic?.Typical, r.ProjectedQuadratic?.Max, r.PaperProjectedJoules,
                r.ProjectedLinear?.Typical, r.RatioTo(mbiJoules), r.LinearRatioTo(mbiJoules), r.Basis, r.Source);
        csv.Save(path);
    }

    private static string Ratio(double x) => x >= 10 ? x.ToString("F0", CultureInfo.InvariantCulture) + "x" : x.ToString("F2", CultureInfo.InvariantCulture) + "x";

    private static string Count(long? n) => n is long v ? v.ToString("N0", CultureInfo.InvariantCulture) : "-";

    private static string Fixed(double? x, string format) => x is double v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string Band(EnergyBand? band) => band is EnergyBand b
        ? b.IsPoint ? Engineering.Format(b.Typical, "J")
            : b.Typical == b.Min ? Engineering.Format(b.Min, "J") + " - " + Engineering.Format(b.Max, "J")
            : $"{Engineering.Format(b.Typical, "J")} ({Engineering.Format(b.Min, "J")} - {Engineering.Format(b.Max, "J")})"
        : "not found";

    /// <summary>
    /// A number field that may be absent (or null); present, it must be a finite number >= 0 written as a JSON number:
    /// a quoted "5" or a negative energy is an error naming the field, never silently dropped.
    /// </summary>
    private static double? OptionalNumber(JsonElement e, string name) =>
        !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null : NumberAt(v, name);

    private static double NumberAt(JsonElement v, string name)
    {
        if (v.ValueKind != JsonValueKind.Number)
            throw new InvalidOperationException($"{name} is {v.GetRawText()} (a JSON {v.ValueKind.ToString().ToLowerInvariant()}); it must be a number without quotes (e.g. 18.45)");
        double value = v.GetDouble();
        if (!double.IsFinite(value) || value < 0)
            throw new InvalidOperationException($"{name} is {v.GetRawText()}; it must be a finite number >= 0");
        return value;
    }

    private static double Positive(JsonElement e, string name)
    {
        double v = NumberAt(e.GetProperty(name), name);
        return v > 0 ? v : throw new InvalidOperationException($"{name} is {v}; it must be positive");
    }
}
