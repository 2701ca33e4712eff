using System.Text.Json;

namespace Mbi.Circuit.Design;

/// <summary>
/// The name a design property has in the design file and in every message about it:
/// section.snake_case (e.g. "array.eval_window_seconds" for ArrayDesign.EvalWindowSeconds).
/// Records validate with <c>DesignField.Name(Section, nameof(Property))</c>, so a message names
/// exactly the field a user edits, and a new property gets its file name for free.
/// </summary>
internal static class DesignField
{
    public static string Name(string section, string property) => section + "." + JsonName(property);

    /// <summary>The file's spelling of a C# property name (EvalWindowSeconds -> eval_window_seconds).</summary>
    public static string JsonName(string property) => JsonNamingPolicy.SnakeCaseLower.ConvertName(property);
}
