using System.Text.Json.Nodes;

namespace Mbi.Circuit.Design;

/// <summary>
/// The design a result was produced with, as every output records it: the canonical SHA-256, the file it
/// was read from (null: defaults and command-line values) and the full content, so the run can be
/// repeated exactly (save <see cref="Content"/> as a .json file and pass it back as the design).
/// </summary>
internal sealed record DesignStamp(string Sha256, string? Source, JsonObject Content)
{
    /// <summary>Writes <see cref="Content"/> as <paramref name="folder"/>/design.json: pass it back as --design to repeat the run.</summary>
    public string Save(string folder, string name = "design.json")
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name);
        Core.IO.AtomicFile.WriteAllText(path, Content.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        return path;
    }

    public static DesignStamp Of(CircuitDesign design, string? source) =>
        new(DesignFile.Hash(design), source, DesignFile.ToJson(design));
}
