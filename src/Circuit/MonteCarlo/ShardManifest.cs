using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mbi.Core.Errors;
using Mbi.Core.IO;

namespace Mbi.Circuit.MonteCarlo;

/// <summary>
/// shard.json: what a finished shard of a run holds, written last (temp name and rename), so its presence means the shard
/// finished. It names the run (the command and its options in canonical order, the seed, the design's SHA-256), the shard
/// (K/N), and each die journal it wrote with that file's SHA-256, so a merge refuses shards of different runs, an
/// unfinished shard, or a journal changed since. Host, workers and wall time are recorded for the log, never compared.
/// </summary>
internal sealed record ShardManifest
{
    public const string FileName = "shard.json";
    public const string FormatName = "mbi-shard";
    public const int CurrentVersion = 1;

    public string Format { get; init; } = FormatName;
    public int Version { get; init; } = CurrentVersion;
    /// <summary>The command that ran (e.g. "mc", "sweep").</summary>
    public required string Command { get; init; }
    /// <summary>Its options that decide the results, as typed, in canonical order (no output folder, workers, shard).</summary>
    public required IReadOnlyList<string> Arguments { get; init; }
    public required int ShardIndex { get; init; }
    public required int ShardCount { get; init; }
    public required ulong Seed { get; init; }
    /// <summary>Dies of the whole run (per sweep point for a sweep).</summary>
    public required int Samples { get; init; }
    public required string DesignSha256 { get; init; }
    public required IReadOnlyList<JournalEntry> Journals { get; init; }
    public string NgspiceVersion { get; init; } = "";
    public string Host { get; init; } = "";
    public int Workers { get; init; }
    public double WallSeconds { get; init; }

    /// <summary>A die journal of the shard: its path relative to the shard folder and its SHA-256.</summary>
    public sealed record JournalEntry(string Path, string Sha256);

    [JsonIgnore] public Shard Shard => new(ShardIndex, ShardCount);

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>Entries for the journals at <paramref name="relativePaths"/> under <paramref name="folder"/>, hashed now.</summary>
    public static IReadOnlyList<JournalEntry> Hash(string folder, IEnumerable<string> relativePaths) =>
        [.. relativePaths.Order(StringComparer.Ordinal).Select(p => new JournalEntry(p.Replace('\\', '/'), Sha256Of(System.IO.Path.Combine(folder, p))))];

    public static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    public void Save(string folder) =>
        AtomicFile.WriteAllText(System.IO.Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>Reads a shard folder's manifest and checks that its journals are those it lists.</summary>
    public static ShardManifest Load(string folder)
    {
        string path = System.IO.Path.Combine(folder, FileName);
        if (!Directory.Exists(folder))
            throw new BadInputException($"shard folder {folder} does not exist; give the --out folders of the shard runs (e.g. runs/mc-shards/shard-1).");
        if (!File.Exists(path))
            throw new BadInputException($"{folder} has no {FileName}: it is not a shard folder, or its shard has not finished; run it again with the same command (it resumes).");
        ShardManifest? manifest;
        try { manifest = JsonSerializer.Deserialize<ShardManifest>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new FileFormatException(path, $"not a shard manifest ({e.Message})", "Run the shard again with the same command"); }
        if (manifest is null || manifest.Format != FormatName)
            throw new FileFormatException(path, $"not a shard manifest (format is not '{FormatName}')", "Run the shard again with the same command");
        if (manifest.Version != CurrentVersion)
            throw new FileFormatException(path, $"shard manifest version {manifest.Version}; this mbi reads version {CurrentVersion}", "Run the shards and the merge with the same mbi");
        _ = manifest.Shard; // validates K/N
        foreach (var journal in manifest.Journals)
        {
            string file = System.IO.Path.Combine(folder, journal.Path);
            if (!File.Exists(file) || Sha256Of(file) != journal.Sha256)
                throw new FileFormatException(file, "missing or changed since its shard finished (its SHA-256 differs from shard.json)",
                    "Run the shard again with the same command");
        }
        return manifest;
    }

    /// <summary>
    /// Checks that the <paramref name="shards"/> (folder, manifest) are all the shards of one run, each once: the same
    /// command, options, seed, design and split. Throws a <see cref="BadInputException"/> naming the first difference.
    /// </summary>
    public static void CheckOneRun(IReadOnlyList<(string Folder, ShardManifest Manifest)> shards)
    {
        if (shards.Count == 0) throw new BadInputException("no shard folders given; give the --out folder of every shard (e.g. runs/mc-shards/shard-*).");
        var (firstFolder, first) = shards[0];
        foreach (var (folder, m) in shards.Skip(1))
        {
            string? difference =
                m.Command != first.Command ? $"command '{m.Command}', not '{first.Command}'"
                : m.Seed != first.Seed ? $"seed {m.Seed}, not {first.Seed}"
                : m.DesignSha256 != first.DesignSha256 ? $"design sha256 {m.DesignSha256[..12]}, not {first.DesignSha256[..12]}"
                : !m.Arguments.SequenceEqual(first.Arguments) ? $"options '{string.Join(' ', m.Arguments)}', not '{string.Join(' ', first.Arguments)}'"
                : m.ShardCount != first.ShardCount ? $"split into {m.ShardCount} shards, not {first.ShardCount}"
                : !m.Journals.Select(j => j.Path).SequenceEqual(first.Journals.Select(j => j.Path)) ? "other journals (other sweep points)"
                : null;
            if (difference is not null)
                throw new BadInputException($"{folder} is a shard of a different run than {firstFolder}: {difference}; merge only the shards of one run.");
        }
        var byIndex = shards.GroupBy(s => s.Manifest.ShardIndex).ToList();
        if (byIndex.FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new BadInputException($"shard {twice.Key}/{first.ShardCount} was given twice ({string.Join(", ", twice.Select(s => s.Folder))}); give each shard once.");
        var missing = Enumerable.Range(1, first.ShardCount).Except(byIndex.Select(g => g.Key)).ToList();
        if (missing.Count > 0)
            throw new BadInputException($"{missing.Count} of the run's {first.ShardCount} shards were not given (shard {string.Join(", ", missing.Take(5).Select(k => $"{k}/{first.ShardCount}"))}" +
                $"{(missing.Count > 5 ? ", ..." : "")}); give every shard's folder.");
    }
}
