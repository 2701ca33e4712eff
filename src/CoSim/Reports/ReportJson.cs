using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mbi.CoSim.Reports;

/// <summary>
/// The one JSON shape of every report Mbi writes or prints: snake_case names, indented, NaN and
/// infinities as named literals (a failed statistic stays visible instead of aborting the write).
/// </summary>
internal static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
