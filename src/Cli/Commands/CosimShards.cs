using System.Security.Cryptography;
using System.Text;
using Mbi.Circuit.Design;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Mapping;
using Mbi.CoSim.Studies;

namespace Mbi.Cli.Commands;

/// <summary>cosim's die journals in --out: one per coding, named by the run (its options, design and coding) so a rerun resumes.</summary>
internal static class CosimShards
{
    public static string JournalName(ColumnCoding coding) => $"dies-{coding.ToString().ToLowerInvariant()}.journal";

    /// <summary>Opens --out/<paramref name="name"/> for this run; a journal of another run there is replaced (with a note).</summary>
    /// <remarks>The run is named by its options, design and coding, and by the compact model's characterisation (its top and
    /// nominal drops at every precision, and its drops at the grid's ends): dies of an older characterisation are not reused.</remarks>
    public static CosimJournal OpenJournal(ParseResult parse, string folder, string name, DesignStamp design, int dies, CompactCalibration calibration)
    {
        var model = new List<double>();
        for (int p = 1; p <= calibration.Levels; p *= 2) model.Add(calibration.Top(p));
        for (int level = 0; level < calibration.Levels; level++)
            model.AddRange([calibration.NominalDrop(level), calibration.Drop(level, calibration.Grid[0], calibration.Grid[^1]), calibration.Drop(level, calibration.Grid[^1], calibration.Grid[0])]);
        string identity = string.Join('\u001f', ShardOptions.RunArguments(parse)) + "\n" + design.Sha256 + "\n" + name + "\n" +
            string.Join(',', model.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        string fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)));
        var journal = CosimJournal.Open(Path.Combine(folder, name), fingerprint, dies);
        if (journal.Replaced) Terminal.Note($"mbi cosim: {journal.Path} held dies of another run (other options or design); started again");
        if (journal.Completed.Count > 0) Terminal.Note($"mbi cosim: {journal.Completed.Count} of {dies} dies read back from {journal.Path}");
        if (journal.DamagedLines > 0) Terminal.Note($"mbi cosim: {journal.DamagedLines} damaged line(s) in {journal.Path} skipped; those dies are computed again");
        return journal;
    }
}
