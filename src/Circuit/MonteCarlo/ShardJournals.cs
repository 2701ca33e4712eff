using System.Globalization;
using System.Text;
using Mbi.Core.Errors;
using Mbi.Core.IO;

namespace Mbi.Circuit.MonteCarlo;

/// <summary>
/// Joins the die journals (<see cref="DieJournal"/>) of a run's shards into the one journal a single run would have:
/// the same header, one record per die in index order. The records are copied as written (each keeps its own check),
/// so the dies read back from the joined journal are bit for bit those the shards simulated. Every shard must hold every
/// die it owns (<see cref="Shard.Owns"/>); records of dies a shard does not own, or past the run's die count (a folder
/// reused by an earlier, larger or differently split run of the same seed), are left out.
/// </summary>
internal static class ShardJournals
{
    /// <summary>One shard's journal: the shard, the journal file, and the folder it came from (for messages).</summary>
    public sealed record Part(Shard Shard, string JournalPath, string Folder);

    /// <summary>
    /// Writes the joined journal of <paramref name="parts"/> (one per shard, all of the same split) to
    /// <paramref name="destination"/> (temp name and rename) and returns the number of dies in it.
    /// </summary>
    public static int Merge(IReadOnlyList<Part> parts, int samples, string destination)
    {
        if (parts.Count == 0) throw new ArgumentException("no shards", nameof(parts));
        string? header = null;
        string? headerFolder = null;
        string? nominal = null; // every shard journals the same nominal die (same bench, no variation): carried once
        var records = new string?[samples];
        foreach (var part in parts)
        {
            if (!File.Exists(part.JournalPath))
                throw new FileFormatException(part.JournalPath, "missing (the shard's manifest lists it)", $"Run shard {part.Shard} again with the same command");
            string[] lines = File.ReadAllText(part.JournalPath, Encoding.UTF8).Split('\n');
            if (header is null) { header = lines[0]; headerFolder = part.Folder; }
            else if (lines[0] != header)
                throw new BadInputException($"{part.Folder} holds dies of a different run than {headerFolder} ({Path.GetFileName(part.JournalPath)}: " +
                    "another seed, sigma(Vth), technology or design); merge only shards of one run.");
            var missing = new List<int>();
            var seen = new bool[samples];
            foreach (string line in lines.Skip(1))
            {
                if (line.StartsWith("nominal\t", StringComparison.Ordinal)) { nominal ??= line; continue; }
                int tab = line.IndexOf('\t');
                if (tab <= 0 || !int.TryParse(line.AsSpan(0, tab), NumberStyles.None, CultureInfo.InvariantCulture, out int index)) continue;
                if (index >= samples || !part.Shard.Owns(index)) continue;
                records[index] = line; // a die journalled twice: the later record wins, as when a run resumes from the journal
                seen[index] = true;
            }
            for (int i = part.Shard.Index - 1; i < samples; i += part.Shard.Count)
                if (!seen[i]) missing.Add(i);
            if (missing.Count > 0)
                throw new BadInputException($"shard {part.Shard} in {part.Folder} lacks {missing.Count} of its {part.Shard.OwnedOf(samples)} dies " +
                    $"({string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", ..." : "")}) in {Path.GetFileName(part.JournalPath)}: " +
                    "it has not finished; run it again with the same command (it resumes from its journal).");
        }
        int count = records.Count(r => r is not null);
        if (count != samples)
            throw new BadInputException($"the shards given hold {count} of the run's {samples} dies; give every shard of the run (1/N to N/N).");
        var text = new StringBuilder(header).Append('\n');
        if (nominal is not null) text.Append(nominal).Append('\n'); // as a single run writes it: after the header, before the dies
        foreach (string? record in records) text.Append(record).Append('\n');
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        AtomicFile.WriteAllText(destination, text.ToString());
        return count;
    }
}
