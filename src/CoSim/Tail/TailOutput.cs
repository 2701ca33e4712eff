using System.Text.Json;
using Mbi.Core.Errors;
using Mbi.Core.IO;
using Mbi.CoSim.Reports;
using Mbi.CoSim.Reports.Charts;

namespace Mbi.CoSim.Tail;

/// <summary>
/// What `mbi tail --out DIR` leaves: tail.json (the report, byte for byte the object `--json` prints), design.json (pass it
/// back as --design to repeat the run) and failure-probability.png/.svg (<see cref="TailFigure"/>). Every file is written to
/// a temporary name and renamed.
/// </summary>
internal static class TailOutput
{
    public const string ReportName = "tail.json";

    /// <summary>The report as JSON, one object and a newline: what `--json` prints and tail.json holds.</summary>
    public static string Json(TailReport report) => ReportJson.Serialize(report) + "\n";

    /// <summary>Reads a run's tail.json back (to redraw its figure from the data shipped beside it).</summary>
    public static TailReport Read(string folder)
    {
        string path = Path.Combine(folder, ReportName);
        try
        {
            return JsonSerializer.Deserialize<TailReport>(File.ReadAllText(path), ReportJson.Options)
                ?? throw new FileFormatException(path, "it holds null, not a tail report", "run `mbi tail --out` again");
        }
        catch (JsonException e)
        {
            throw new FileFormatException(path, $"it is not a tail report ({e.Message})", "run `mbi tail --out` again");
        }
    }

    /// <summary>Writes the report, the design and the figure into <paramref name="folder"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(TailReport report, string folder)
    {
        Directory.CreateDirectory(folder);
        string json = Path.Combine(folder, ReportName);
        AtomicFile.WriteAllText(json, Json(report));
        string design = report.Design.Save(folder);
        string png = TailFigure.Write(report, folder);
        return [json, design, png, Path.ChangeExtension(png, ".svg")];
    }
}
