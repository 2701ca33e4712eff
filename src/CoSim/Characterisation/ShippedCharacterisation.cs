using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mbi.Circuit.Design;
using Mbi.Circuit.Engine;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Energy;
using Mbi.CoSim.Mapping;
using Mbi.Core.Errors;
using Mbi.Core.IO;
using Mbi.Core.Progress;

namespace Mbi.CoSim.Characterisation;

/// <summary>
/// The slow ngspice measurements a reproduction needs, shipped in the repository as data (as the trained model is):
/// the compact-model characterisation, the energy bands' measurements and the first SPICE Monte Carlo dies of Fig. 6(b).
/// They live in <c>models/characterisation/&lt;key&gt;/</c>, the key being the SHA-256 of the design's canonical hash,
/// the Monte Carlo row bench's netlist (the deck, model card inline) and the ngspice version: a design, deck or ngspice
/// change finds no folder, and the run measures again with ngspice and says so. `mbi characterise` writes a folder.
/// Each file inside is also keyed by its own bench's netlist (the caches' names), and its SHA-256 is in the manifest.
/// </summary>
internal static class ShippedCharacterisation
{
    /// <summary>Where the shipped folders live, relative to the repository root (where ./mbi runs).</summary>
    public const string DefaultRoot = "models/characterisation";

    /// <summary>The regenerating command, as messages and the report name it.</summary>
    public const string Command = "./mbi characterise";

    /// <summary>The die journal's name inside a folder (as a reproduction's output folder names it).</summary>
    public const string JournalName = "fig6b-dies.journal";

    private const string ManifestName = "manifest.json";
    private const string Format = "mbi-characterisation";
    private const int FormatVersion = 1;

    /// <summary>What identifies a folder: the design's hash, the deck's hash and the ngspice version.</summary>
    public sealed record Key(string DesignSha256, string DeckSha256, string NgspiceVersion)
    {
        /// <summary>The folder name: 16 hex digits of SHA-256 over the three.</summary>
        public string Folder => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{DesignSha256}|{DeckSha256}|{NgspiceVersion}")))[..16];
    }

    /// <summary>One shipped file: its name and SHA-256.</summary>
    public sealed record ShippedFile(string Name, string Sha256);

    /// <summary>manifest.json: the key in full, what was measured and how long it took.</summary>
    public sealed record Manifest
    {
        public string Format { get; init; } = ShippedCharacterisation.Format;
        public int Version { get; init; } = FormatVersion;
        public required string DesignSha256 { get; init; }
        public required string DeckSha256 { get; init; }
        public required string NgspiceVersion { get; init; }
        public required ulong Seed { get; init; }
        public required int MonteCarloDies { get; init; }
        public required string Model { get; init; }
        public required string WrittenUtc { get; init; }
        public required double CompactSeconds { get; init; }
        public required double EnergyBandSeconds { get; init; }
        public required double MonteCarloSeconds { get; init; }
        public required IReadOnlyList<ShippedFile> Files { get; init; }
        /// <summary>Which files were taken from earlier results instead of measured by this command (null: all measured).</summary>
        public string? Reused { get; init; }
    }

    /// <summary>What a run found: the folder it looked for and, when it exists, its manifest.</summary>
    public sealed record Lookup(Key Key, string Folder, Manifest? Found)
    {
        /// <summary>One sentence for a report: where the SPICE figures come from.</summary>
        public string Describe() => Found is { } m
            ? $"shipped data {Folder.Replace('\\', '/')} (written {m.WrittenUtc} by `{Command}`: {m.MonteCarloDies} SPICE dies of seed {m.Seed}, ngspice {m.NgspiceVersion})"
            : $"no shipped data for this design, deck and ngspice ({Folder.Replace('\\', '/')} is absent): measured with ngspice in this run; `{Command}` ships it";

        /// <summary>The shipped die journal when it holds dies of <paramref name="seed"/>; null otherwise.</summary>
        public string? JournalFor(ulong seed) => Found is { } m && m.Seed == seed && File.Exists(Path.Combine(Folder, JournalName))
            ? Path.Combine(Folder, JournalName) : null;
    }

    /// <summary>The Monte Carlo settings whose nominal deck keys the folder (and whose dies are shipped).</summary>
    public static MonteCarloSettings MonteCarlo(CircuitDesign design, ulong seed, int dies, int workers) =>
        design.ApplyTo(new MonteCarloSettings { Technology = design.Technology, Samples = dies, Seed = seed, Workers = workers });

    /// <summary>The key of <paramref name="design"/> with the installed ngspice (starts one engine to read its version).</summary>
    public static Key KeyOf(CircuitDesign design)
    {
        string version;
        using (var engine = NgSpiceEngine.Start()) version = engine.Version;
        return KeyOf(design, version);
    }

    /// <inheritdoc cref="KeyOf(CircuitDesign)"/>
    public static Key KeyOf(CircuitDesign design, string ngspiceVersion)
    {
        var s = MonteCarlo(design, 1, 1, 1);
        string deck = new RowBench(s.Technology, s.Design, new Staircase(s.Design.Columns).Program).Write();
        return new Key(DesignStamp.Of(design, null).Sha256, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(deck))), ngspiceVersion);
    }

    /// <summary>
    /// The files a reproduction of <paramref name="design"/> with the model at <paramref name="modelPath"/> and
    /// <paramref name="seed"/> reads from a folder, each with what must be in it: the compact model's and the energy
    /// bands' cache names (their benches' hashes) and the die journal's header (its nominal deck, seed and sigma).
    /// </summary>
    public static IReadOnlyList<(string File, string? Header)> Expected(CircuitDesign design, string modelPath, ulong seed)
    {
        var mapping = new ArrayMapping(Algorithm.Ram.QuantizedRamStepModel.Load(modelPath).Spec, ColumnCoding.Binary);
        var s = MonteCarlo(design, seed, 1, 1);
        var bench = MonteCarloRunner.BenchOf(s, new Staircase(s.Design.Columns, s.ReadOrder, s.Seed)); // the bench `mc` journals
        return
        [
            (CompactCalibration.CacheFileName(design.Technology, design.Array, mapping.MaxBitsPerElement), null),
            ($"energy-bands-{EnergyBandMeasurement.CacheKey(mapping, design.Technology, design.Array, design.ValueRead, seed, EnergyReport.BandCycles, EnergyReport.DefaultAdcConversions, design.Adc.SarAdc)}.json", null),
            (JournalName, "MBI-MC-JOURNAL 1 " + MonteCarloRunner.FingerprintOf(s, bench)),
        ];
    }

    /// <summary>Looks for <paramref name="design"/>'s folder under <paramref name="root"/>; a manifest that does not match is an error naming the fix.</summary>
    public static Lookup Find(CircuitDesign design, string root = DefaultRoot) => Find(KeyOf(design), root);

    /// <inheritdoc cref="Find(CircuitDesign, string)"/>
    public static Lookup Find(Key key, string root)
    {
        string folder = Path.Combine(root, key.Folder);
        string manifestPath = Path.Combine(folder, ManifestName);
        if (!File.Exists(manifestPath)) return new Lookup(key, folder, null);
        var manifest = ReadManifest(manifestPath);
        if (manifest.DesignSha256 != key.DesignSha256 || manifest.DeckSha256 != key.DeckSha256 || manifest.NgspiceVersion != key.NgspiceVersion)
            throw new FileFormatException(manifestPath, "its design, deck or ngspice version is not the folder's key",
                $"delete {folder} and run `{Command}` again");
        foreach (var file in manifest.Files)
        {
            string path = Path.Combine(folder, file.Name);
            if (!File.Exists(path) || Sha256Of(path) != file.Sha256)
                throw new FileFormatException(path, File.Exists(path) ? "its SHA-256 is not the one manifest.json lists" : "missing (manifest.json lists it)",
                    $"run `{Command}` again (or restore the folder from git)");
        }
        return new Lookup(key, folder, manifest);
    }

    /// <summary>
    /// Copies the shipped cache files (compact model, energy bands) into <paramref name="cacheDirectory"/>, where the
    /// characterisation and the energy bands look (a file already there is kept: each name is its bench's hash).
    /// Returns what was found; nothing is copied when no folder matches.
    /// </summary>
    public static Lookup SeedCache(CircuitDesign design, string? cacheDirectory, string root = DefaultRoot)
    {
        var lookup = Find(design, root);
        if (lookup.Found is null || cacheDirectory is null) return lookup;
        Directory.CreateDirectory(cacheDirectory);
        foreach (var file in lookup.Found.Files)
        {
            if (file.Name == JournalName) continue;
            string target = Path.Combine(cacheDirectory, file.Name);
            if (!File.Exists(target)) AtomicFile.WriteAllBytes(target, File.ReadAllBytes(Path.Combine(lookup.Folder, file.Name)));
        }
        return lookup;
    }

    /// <summary>The files of <paramref name="cacheDirectory"/> (a snapshot to tell what a stage measured from what it read).</summary>
    public static HashSet<string> Snapshot(string? cacheDirectory) =>
        cacheDirectory is not null && Directory.Exists(cacheDirectory) ? [.. Directory.GetFiles(cacheDirectory).Select(f => Path.GetFileName(f))] : [];

    /// <summary>
    /// `mbi characterise`: measures everything a reproduction of <paramref name="design"/> with the shipped model reads
    /// (compact model, energy bands, <paramref name="dies"/> SPICE dies of <paramref name="seed"/>) into a new folder under
    /// <paramref name="root"/>, written to a temporary name and renamed. With <paramref name="replaceOthers"/> the other
    /// folders under the root (older decks or ngspice builds) are deleted. Returns the folder and its manifest.
    /// </summary>
    /// <param name="reuse">A folder of earlier results of the same benches (a cache, a run's output folder): files named by the hash
    /// this design's benches would have, and a die journal whose header names this deck and seed, are taken from it instead of
    /// measured again (they are what ngspice would compute again, bit for bit); the manifest names the folder. Null: measure all.</param>
    public static (string Folder, Manifest Manifest, IReadOnlyList<string> Removed) Write(CircuitDesign design, string modelPath, ulong seed, int dies,
        int workers, string root, bool replaceOthers, IProgress<ProgressUpdate>? progress = null, string? reuse = null)
    {
        if (dies < 1) throw BadInputException.For("dies", dies, ">= 1 (the dies Fig. 6(b) of a quick reproduction reads)", "2");
        var key = KeyOf(design);
        string folder = Path.Combine(root, key.Folder);
        string staging = folder + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        try
        {
            var model = Algorithm.Ram.QuantizedRamStepModel.Load(modelPath);
            var mapping = new ArrayMapping(model.Spec, ColumnCoding.Binary);
            var reused = reuse is null ? [] : Reuse(design, modelPath, seed, dies, reuse, staging);
            var clock = Stopwatch.StartNew();
            CompactCalibration.LoadOrCharacterise(design.Technology, design.Array, mapping.MaxBitsPerElement, staging, workers, progress);
            double compact = clock.Elapsed.TotalSeconds;
            clock.Restart();
            progress?.Report(new ProgressUpdate("energy bands", 0, 1));
            EnergyBandMeasurement.LoadOrMeasure(mapping, design.Technology, design.Array, design.ValueRead, seed, EnergyReport.BandCycles, EnergyReport.DefaultAdcConversions, staging,
                new Progress<string>(m => progress?.Report(new ProgressUpdate("energy bands", 0, 1, m))), design.Adc.SarAdc);
            progress?.Report(new ProgressUpdate("energy bands", 1, 1));
            double bands = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var mc = MonteCarloRunner.Run(MonteCarlo(design, seed, dies, workers) with { JournalPath = Path.Combine(staging, JournalName) }, progress);
            if (mc.FailedSamples > 0)
                throw new SimulationFailedException($"{mc.FailedSamples} of {dies} SPICE dies failed; nothing was shipped (fix the deck's convergence, then run `{Command}` again)");
            double monteCarlo = clock.Elapsed.TotalSeconds;
            var files = Directory.GetFiles(staging).Select(p => new ShippedFile(Path.GetFileName(p), Sha256Of(p))).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
            var manifest = new Manifest
            {
                DesignSha256 = key.DesignSha256, DeckSha256 = key.DeckSha256, NgspiceVersion = key.NgspiceVersion, Seed = seed, MonteCarloDies = dies,
                Model = Path.GetFileName(modelPath), WrittenUtc = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
                CompactSeconds = compact, EnergyBandSeconds = bands, MonteCarloSeconds = monteCarlo, Files = files,
                Reused = reused.Count == 0 ? null : $"{string.Join(", ", reused)} taken from {reuse} (earlier results of the same benches); their seconds above are the reading, not the measurement",
            };
            AtomicFile.WriteAllText(Path.Combine(staging, ManifestName), JsonSerializer.Serialize(manifest, Json) + "\n");
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            Directory.Move(staging, folder);
            var removed = new List<string>();
            if (replaceOthers)
                foreach (string other in Directory.GetDirectories(root))
                    if (Path.GetFullPath(other) != Path.GetFullPath(folder))
                    {
                        Directory.Delete(other, recursive: true);
                        removed.Add(other);
                    }
            return (folder, manifest, removed);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Copies into <paramref name="staging"/> the files of <paramref name="from"/> that this design's benches would write; returns their names.</summary>
    private static List<string> Reuse(CircuitDesign design, string modelPath, ulong seed, int dies, string from, string staging)
    {
        var taken = new List<string>();
        foreach (var (file, header) in Expected(design, modelPath, seed))
        {
            string source = Path.Combine(from, file);
            if (header is null)
            {
                if (File.Exists(source)) { File.Copy(source, Path.Combine(staging, file)); taken.Add(file); }
                continue;
            }
            // any journal in the folder whose header is this deck's and seed's; only its nominal die and dies 0..dies-1 are kept
            foreach (string journal in Directory.Exists(from) ? Directory.GetFiles(from, "*.journal") : [])
            {
                var lines = File.ReadAllLines(journal);
                if (lines.Length == 0 || lines[0] != header) continue;
                var kept = lines.Skip(1).Where(l => l.StartsWith("nominal", StringComparison.Ordinal)
                    || (int.TryParse(l.Split('\t')[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i < dies));
                AtomicFile.WriteAllText(Path.Combine(staging, JournalName), string.Join("\n", [lines[0], .. kept]) + "\n");
                taken.Add($"{JournalName} (from {Path.GetFileName(journal)})");
                break;
            }
        }
        return taken;
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static Manifest ReadManifest(string path)
    {
        try
        {
            var m = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), Json)
                ?? throw new FileFormatException(path, "the file is empty", $"run `{Command}` again");
            if (m.Format != Format || m.Version != FormatVersion)
                throw new FileFormatException(path, $"format was {m.Format} {m.Version}; it must be {Format} {FormatVersion}", $"run `{Command}` again");
            return m;
        }
        catch (JsonException e)
        {
            throw new FileFormatException(path, e.Message, $"run `{Command}` again");
        }
    }

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
