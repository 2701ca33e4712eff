using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Mbi.Circuit.Adc;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Periphery;
using Mbi.Core.Errors;
using Mbi.Core.IO;

namespace Mbi.Circuit.Design;

/// <summary>
/// The design file: one versioned JSON description of the hardware (<see cref="CircuitDesign"/>).
/// <code>
/// { "format": "mbi-design", "version": 1,
///   "technology": { "card": "builtin:ptm16lp", "card_sha256": "...", "nmos_model": "ptmlp16n", "vdd_volts": 0.9, ... },
///   "array": { "columns": 32, "eval_window_seconds": 3e-09, "bitline_capacitance_farads": 4e-15, ... },
///   "adc": { "bits": 5, "offset_lsb": 0, "inl_peak_lsb": 0 },
///   "value_read": { "word_line_seconds": 4e-10, "sense_seconds": 1e-09, ... } }
/// </code>
/// Every settable property of <see cref="Technology"/>, <see cref="ArrayDesign"/>, <see cref="AdcDesign"/> and
/// <see cref="ValueReadDesign"/> (but its rows and columns, which the energy bands take from the array and the model) is a
/// field, named in snake_case (EvalWindowSeconds -> eval_window_seconds): a property added to one of those records is a
/// design field with no change here. A field left out takes the default; an unknown field is an error (a misspelt field
/// must not silently fall back to the default). Values are SI numbers. The value_read section is optional: it is written
/// only when it differs from the defaults, so a design without it (every design written before it existed) keeps its text
/// and hash; so is the adc section's sar_clock_period_seconds, written only when it is not the default 2 ns. The hash is the SHA-256 of the compact canonical JSON, which includes the model card's own SHA-256.
/// </summary>
public static class DesignFile
{
    /// <summary>The file's "format" field.</summary>
    public const string Format = "mbi-design";
    /// <summary>The file's "version" field this Mbi reads and writes.</summary>
    public const int Version = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SettableFieldsOnly } },
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

    /// <summary>Technology fields the file writes itself (where the card and corner table came from, corner and temperature by name).</summary>
    private const string CardField = "card", CardHashField = "card_sha256", CornerTableField = "corner_table",
        CornerTableHashField = "corner_table_sha256", CornerField = "corner", TemperatureField = "temperature_celsius";

    /// <summary>
    /// Fields are the settable properties; derived ones (CycleSeconds), the card text and the value read's rows and columns
    /// (the array's rows and the model's value bits, set where the value read is measured) are not fields.
    /// </summary>
    private static void SettableFieldsOnly(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object) return;
        for (int i = info.Properties.Count - 1; i >= 0; i--)
        {
            var p = info.Properties[i];
            p.IsRequired = false; // a missing field takes the default
            if (p.Set is null || (info.Type == typeof(Technology) && p.Name is "model_card" or "name" or "corners" or "conditions")
                || (info.Type == typeof(ValueReadDesign) && p.Name is "rows" or "columns"))
                info.Properties.RemoveAt(i);
        }
    }

    /// <summary>The design as the file's JSON object (fields in declaration order).</summary>
    public static JsonObject ToJson(CircuitDesign design)
    {
        var technology = new JsonObject
        {
            [CardField] = design.Card,
            [CardHashField] = Sha256(design.Technology.ModelCard),
            [CornerTableField] = design.CornerTable,
            [CornerTableHashField] = design.Technology.Corners is { } corners ? CornersSha256(corners) : null,
            [CornerField] = design.Technology.Conditions.Corner.Name,
            [TemperatureField] = design.Technology.Conditions.TemperatureCelsius,
        };
        foreach (var (key, value) in Section(design.Technology)) technology[key] = value?.DeepClone();
        var root = new JsonObject
        {
            ["format"] = Format,
            ["version"] = Version,
            [Technology.Section] = technology,
            [ArrayDesign.Section] = Section(design.Array),
            [AdcDesign.Section] = AdcSection(design.Adc),
        };
        // Optional: at its defaults the section is left out, so the text and hash are those of a design without it.
        var valueRead = Section(design.ValueRead);
        if (valueRead.ToJsonString() != DefaultValueRead) root[ValueReadDesign.Section] = valueRead;
        return root;
    }

    /// <summary>
    /// The adc section; its optional sar_clock_period_seconds is left out at the default (2 ns), so the text and hash of a
    /// design at the default SAR clock are those of a design written before the field existed.
    /// </summary>
    private static JsonObject AdcSection(AdcDesign adc)
    {
        var section = Section(adc);
        if (adc.SarClockPeriodSeconds == AdcDesign.DefaultSarClockPeriodSeconds) section.Remove(SarClockField);
        return section;
    }

    private static readonly string SarClockField = DesignField.JsonName(nameof(AdcDesign.SarClockPeriodSeconds));

    /// <summary>The value_read section at its defaults (compact JSON), which <see cref="ToJson"/> leaves out.</summary>
    private static readonly string DefaultValueRead = Section(new ValueReadDesign()).ToJsonString();

    /// <summary>The file text: indented, invariant numbers, a trailing newline.</summary>
    public static string Text(CircuitDesign design) =>
        ToJson(design).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>SHA-256 (hex) of the compact canonical JSON: equal designs have equal hashes, whatever the file's layout.</summary>
    public static string Hash(CircuitDesign design) => Sha256(ToJson(design).ToJsonString());

    /// <summary>Writes the design (temporary name, then rename) and returns its hash.</summary>
    public static string Write(string path, CircuitDesign design)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(path, Text(design));
        return Hash(design);
    }

    /// <summary>Reads and validates a design file; every message names the file and the field.</summary>
    public static CircuitDesign Read(string path)
    {
        if (!File.Exists(path))
            throw BadInputException.For("design file", path, "an existing design file", "samples/designs/default.json, written by `mbi design init`");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses design-file text; <paramref name="source"/> names it in messages and locates a relative card path.</summary>
    public static CircuitDesign Parse(string text, string source)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }) as JsonObject
                ?? throw new FileFormatException(source, "the file is not a JSON object", "Start from `mbi design init`");
        }
        catch (JsonException e)
        {
            throw new FileFormatException(source, $"not valid JSON ({e.Message})", "Fix the JSON or start again from `mbi design init`");
        }
        if (root["format"]?.GetValueKind() != JsonValueKind.String || root["format"]!.GetValue<string>() != Format)
            throw new FileFormatException(source, $"format was {root["format"]?.ToJsonString() ?? "missing"}; it must be \"{Format}\"", "Start from `mbi design init`");
        if (root["version"]?.GetValueKind() != JsonValueKind.Number || root["version"]!.GetValue<double>() != Version)
            throw new FileFormatException(source, $"version was {root["version"]?.ToJsonString() ?? "missing"}; this Mbi reads version {Version}", "Write the design again with this Mbi's `mbi design init` and copy your values over");
        Known(source, "", root, ["format", "version", Technology.Section, ArrayDesign.Section, AdcDesign.Section, ValueReadDesign.Section]);

        var design = new CircuitDesign();
        var techJson = Object(source, root, Technology.Section);
        string card = Take(techJson, CardField, source) ?? CircuitDesign.BuiltInCard;
        string? cardHash = Take(techJson, CardHashField, source);
        bool hasTable = techJson.ContainsKey(CornerTableField);
        string? cornerTable = hasTable ? Take(techJson, CornerTableField, source) : card == CircuitDesign.BuiltInCard ? CircuitDesign.BuiltInCornerTable : null;
        string? tableHash = Take(techJson, CornerTableHashField, source);
        string corner = Take(techJson, CornerField, source) ?? ProcessCorner.Typical.Name;
        double temperature = techJson[TemperatureField] is JsonNode t ? Value<double>(source, Technology.Section + "." + TemperatureField, t) : OperatingConditions.NominalTemperatureCelsius;
        techJson.Remove(TemperatureField);
        Technology technology;
        try { technology = Merge(source, Technology.Section, design.Technology, techJson); }
        catch (BadInputException e) when (e.Parameter == "VddVolts") { throw e.Renamed($"{source}: {Technology.Section}.vdd_volts"); }
        var withCard = card == CircuitDesign.BuiltInCard
            ? design with { Technology = technology with { ModelCard = design.Technology.ModelCard, Name = design.Technology.Name } }
            : (design with { Technology = technology }).WithCard(ResolveCard(card, source));
        if (cardHash is not null && !string.Equals(cardHash, Sha256(withCard.Technology.ModelCard), StringComparison.OrdinalIgnoreCase))
            throw new FileFormatException(source, $"technology.card_sha256 does not match the card {card} (it changed since the design was written)",
                "Check the card, then remove card_sha256 (or run `mbi design init` again) to accept the new card");
        if (cornerTable is not null)
            withCard = Named(source, CornerTableField, () => withCard.WithCornerTable(cornerTable == CircuitDesign.BuiltInCornerTable ? cornerTable : ResolveCard(cornerTable, source)))
                with { CornerTable = cornerTable };
        else
            withCard = withCard with { CornerTable = null, Technology = withCard.Technology with { Corners = null } };
        if (tableHash is not null && withCard.Technology.Corners is { } corners && !string.Equals(tableHash, CornersSha256(corners), StringComparison.OrdinalIgnoreCase))
            throw new FileFormatException(source, $"technology.corner_table_sha256 does not match the corner table {cornerTable} (it changed since the design was written)",
                "Check the table, then remove corner_table_sha256 (or run `mbi design init` again) to accept it");
        withCard = Named(source, CornerField, () => withCard.WithConditions(corner, temperature));
        technology = withCard.Technology;
        return Validate(source, design with
        {
            Card = card,
            CornerTable = withCard.CornerTable,
            Technology = technology,
            Array = Merge(source, ArrayDesign.Section, design.Array, Object(source, root, ArrayDesign.Section)),
            Adc = Merge(source, AdcDesign.Section, design.Adc, Object(source, root, AdcDesign.Section)),
            ValueRead = Merge(source, ValueReadDesign.Section, design.ValueRead, Object(source, root, ValueReadDesign.Section)),
        });
    }

    private static CircuitDesign Validate(string source, CircuitDesign design)
    {
        try { return design.Validated(); }
        catch (BadInputException e) { throw e.Renamed($"{source}: {e.Parameter}"); }
    }

    /// <summary>Removes and returns a string (or null) technology field the file writes itself.</summary>
    private static string? Take(JsonObject section, string field, string source)
    {
        var node = section[field];
        section.Remove(field);
        return node is null ? null : Value<string>(source, Technology.Section + "." + field, node);
    }

    /// <summary>Runs a library step whose message names a library parameter (Corner, TemperatureCelsius) and names the file's field instead.</summary>
    private static CircuitDesign Named(string source, string field, Func<CircuitDesign> step)
    {
        try { return step(); }
        catch (BadInputException e) when (e.Parameter is "Corner" or "TemperatureCelsius")
        {
            throw e.Renamed($"{source}: {Technology.Section}.{(e.Parameter == "Corner" ? CornerField : TemperatureField)}");
        }
    }

    /// <summary>SHA-256 of a corner table's values and source (its canonical JSON), so a design's hash changes when its corners do.</summary>
    private static string CornersSha256(TechnologyCorners corners) =>
        Sha256(JsonSerializer.Serialize(new { corners.Source, corners.Corners }, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));

    /// <summary>A relative card path is relative to the design file's folder, so a design and its card travel together.</summary>
    private static string ResolveCard(string card, string source) =>
        Path.IsPathRooted(card) || !File.Exists(source) ? card : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(source))!, card);

    private static JsonObject Section<T>(T value) => (JsonObject)JsonSerializer.SerializeToNode(value, Options)!;

    private static JsonObject Object(string source, JsonObject root, string name) => root[name] switch
    {
        null => [],
        JsonObject o => (JsonObject)o.DeepClone(),
        var other => throw new FileFormatException(source, $"{name} was {other.ToJsonString()}; it must be an object of fields", $"e.g. \"{name}\": {{ ... }} as `mbi design init` writes it"),
    };

    /// <summary>The defaults with the file's fields laid over them; unknown fields and wrong types name the field.</summary>
    private static T Merge<T>(string source, string section, T defaults, JsonObject fields)
    {
        var merged = Section(defaults);
        var defaultKinds = merged.ToDictionary(p => p.Key, p => p.Value?.GetValueKind() ?? JsonValueKind.Null);
        Known(source, section + ".", fields, merged.Select(p => p.Key).ToList());
        foreach (var (key, value) in fields) merged[key] = value?.DeepClone();
        try
        {
            return merged.Deserialize<T>(Options)!;
        }
        catch (JsonException e)
        {
            string key = (e.Path ?? "$").TrimStart('$', '.');
            string kind = defaultKinds.TryGetValue(key, out var k) ? k switch
            {
                JsonValueKind.Number => "a number (SI units, e.g. 3e-09)", JsonValueKind.String => "a string",
                JsonValueKind.True or JsonValueKind.False => "true or false", _ => "a value",
            } : "a value";
            var type = typeof(T).GetProperties().FirstOrDefault(p => DesignField.JsonName(p.Name) == key)?.PropertyType;
            if (type is { IsEnum: true })
                kind = "one of " + string.Join(", ", Enum.GetNames(type).Select(n => $"\"{JsonNamingPolicy.KebabCaseLower.ConvertName(n)}\""));
            else if (type == typeof(ulong))
                kind = $"a whole number from 0 to {ulong.MaxValue}";
            throw new FileFormatException(source, $"{section}.{key} was {fields[key]?.ToJsonString() ?? "?"}; it must be {kind}",
                $"Write it as `mbi design init` does");
        }
    }

    private static void Known(string source, string prefix, JsonObject fields, IReadOnlyList<string> allowed)
    {
        foreach (var (key, _) in fields)
            if (!allowed.Contains(key))
                throw new FileFormatException(source, $"{prefix}{key} is not a design field",
                    $"The fields{(prefix.Length == 0 ? "" : " of " + prefix.TrimEnd('.'))} are: {string.Join(", ", allowed)}");
    }

    private static T Value<T>(string source, string field, JsonNode node)
    {
        try { return node.GetValue<T>(); }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new FileFormatException(source, $"{field} was {node.ToJsonString()}; it must be a {typeof(T).Name.ToLowerInvariant()}", "See `mbi design init`");
        }
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
