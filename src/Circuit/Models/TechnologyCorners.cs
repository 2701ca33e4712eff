using System.Text.Json;
using Mbi.Core.Errors;

namespace Mbi.Circuit.Models;

/// <summary>
/// The global process corners of a technology and where their values come from, read from a JSON data
/// file beside the card (netlists/models/ptm16lp.corners.json): format "mbi.technology-corners",
/// version 1, a "source" sentence and a "corners" list of <see cref="ProcessCorner"/> rows.
/// </summary>
public sealed record TechnologyCorners
{
    /// <summary>The corner table file's "format" field.</summary>
    public const string Format = "mbi.technology-corners";

    /// <summary>Where the table was read from (a path, or the shipped table's name).</summary>
    public required string Source { get; init; }
    /// <summary>The corners the table defines.</summary>
    public required IReadOnlyList<ProcessCorner> Corners { get; init; }

    /// <summary>The corner names, in table order.</summary>
    public IEnumerable<string> Names => Corners.Select(c => c.Name);

    /// <summary>Equal when the source and every corner are equal (a table read twice equals itself, so a design read back equals the one written).</summary>
    public bool Equals(TechnologyCorners? other) =>
        other is not null && Source == other.Source && Corners.SequenceEqual(other.Corners);

    /// <summary>A hash consistent with <see cref="Equals(TechnologyCorners?)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(Source, Corners.Count);

    /// <summary>The corner called <paramref name="name"/> (case-insensitive), or a bad-input error listing the names.</summary>
    public ProcessCorner Find(string name)
    {
        foreach (var corner in Corners)
            if (string.Equals(corner.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase)) return corner;
        throw BadInputException.For("Corner", name, "one of " + string.Join(", ", Names), "SS");
    }

    /// <summary>PTM 16 nm LP's corner table (embedded from netlists/models/ptm16lp.corners.json).</summary>
    public static TechnologyCorners Ptm16Lp() => Parse(Resources.Read("models.ptm16lp.corners.json"), "netlists/models/ptm16lp.corners.json");

    /// <summary>Reads and validates a corner table file (the format of netlists/models/ptm16lp.corners.json).</summary>
    public static TechnologyCorners FromFile(string path)
    {
        if (!File.Exists(path))
            throw BadInputException.For("corner table", path, "an existing JSON corner file", "netlists/models/ptm16lp.corners.json");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses corner table JSON; <paramref name="path"/> names it in messages.</summary>
    public static TechnologyCorners Parse(string json, string path)
    {
        CornerFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CornerFile>(json, Options);
        }
        catch (JsonException e)
        {
            throw new FileFormatException(path, $"not a corner table ({e.Message})", "see netlists/models/ptm16lp.corners.json for the format");
        }
        if (file is null || file.Format != Format)
            throw new FileFormatException(path, $"format was '{file?.Format}', not '{Format}'", "see netlists/models/ptm16lp.corners.json for the format");
        if (file.Version != 1)
            throw new FileFormatException(path, $"version {file.Version} is not supported (1 is)", "write a version 1 corner table");
        if (string.IsNullOrWhiteSpace(file.Source))
            throw new FileFormatException(path, "no 'source' for the corner values", "say where the values come from, or that they are an assumption");
        if (file.Corners is not { Count: > 0 })
            throw new FileFormatException(path, "no corners", "list at least the TT corner");
        var corners = file.Corners.Select(c => c.Validated(path)).ToArray();
        var duplicate = corners.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new FileFormatException(path, $"corner '{duplicate.Key}' is listed twice", "give each corner one row");
        if (!corners.Any(c => c.Name.Equals("TT", StringComparison.OrdinalIgnoreCase) && c.IsTypical))
            throw new FileFormatException(path, "no TT corner with zero shifts and unit mobility factors", "add the typical corner");
        return new TechnologyCorners { Source = file.Source, Corners = corners };
    }

    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    private sealed record CornerFile(string? Format, int Version, string? Technology, string? Source, List<ProcessCorner>? Corners);
}
