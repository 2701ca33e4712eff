using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Mbi.Core.Errors;

namespace Mbi.Cli.Commands;

/// <summary>
/// The Slurm scripts of a sharded run (`mbi slurm`): job.sbatch, a job array with one task per shard (task K runs
/// `mbi COMMAND ... --shard K/N --out FOLDER/shards/shard-K`); merge.sbatch, the merge job, submitted with
/// --dependency=afterok on the array, which writes the single-run outputs into FOLDER; submit.sh, which submits both.
/// Only text: nothing here runs Slurm. Resources are Slurm's own option values, checked for their form here.
/// </summary>
internal sealed partial record SlurmJob
{
    public required string Command { get; init; }
    /// <summary>The command's options as the user typed them (no --out, no --shard).</summary>
    public required IReadOnlyList<string> Arguments { get; init; }
    public required int Shards { get; init; }
    /// <summary>Whether the command has --workers (sweep-ram trains on every core and has none): each task then gets SLURM_CPUS_PER_TASK.</summary>
    public bool TakesWorkers { get; init; } = true;
    /// <summary>Absolute folder for the scripts, logs/, shards/ and the merged outputs.</summary>
    public required string Folder { get; init; }
    /// <summary>Absolute folder the jobs run in (relative paths in <see cref="Arguments"/> are relative to it).</summary>
    public required string WorkingDirectory { get; init; }
    /// <summary>How a compute node starts mbi, a shell command prefix (e.g. "dotnet /opt/mbi/mbi.dll").</summary>
    public required string Mbi { get; init; }
    public int CpusPerTask { get; init; } = 1;
    public string? Time { get; init; }
    public string? MergeTime { get; init; }
    public string? Partition { get; init; }
    public string? Memory { get; init; }
    public string? Account { get; init; }

    public const string ArrayScriptName = "job.sbatch", MergeScriptName = "merge.sbatch", SubmitScriptName = "submit.sh";

    public SlurmJob Validated()
    {
        if (Shards < 1 || Shards > Circuit.MonteCarlo.Shard.MaxCount) throw BadInputException.For("--shards", Shards, $"between 1 and {Circuit.MonteCarlo.Shard.MaxCount}", "4");
        if (CpusPerTask < 1 || CpusPerTask > 1024) throw BadInputException.For("--cpus-per-task", CpusPerTask, "between 1 and 1024", "2");
        foreach (var (flag, value) in new[] { ("--time", Time), ("--merge-time", MergeTime) })
            if (value is not null && !TimePattern().IsMatch(value))
                throw BadInputException.For(flag, $"'{value}'", "a Slurm time limit: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS", "2:00:00");
        if (Memory is not null && !MemoryPattern().IsMatch(Memory))
            throw BadInputException.For("--mem", $"'{Memory}'", "a whole number with an optional unit K, M, G or T", "4G");
        foreach (var (flag, value) in new[] { ("--partition", Partition), ("--account", Account) })
            if (value is not null && !NamePattern().IsMatch(value))
                throw BadInputException.For(flag, $"'{value}'", "a Slurm name (letters, digits, '_', '-', '.', ',')", flag == "--partition" ? "debug" : "myproject");
        foreach (var (what, path) in new[] { ("--out", Folder), ("the working directory", WorkingDirectory) })
            if (path.Any(char.IsWhiteSpace))
                throw BadInputException.For(what, $"'{path}'", "a path without spaces (#SBATCH lines cannot quote them)", "runs/mc-cluster");
        if (Arguments.FirstOrDefault(a => a.Contains('\n') || a.Contains('\r')) is string bad)
            throw BadInputException.For($"mbi {Command} option", $"'{bad.ReplaceLineEndings(" ")}'", "a value without line breaks", "--seed 7");
        return this;
    }

    public string ShardFolder(int k) => Path.Combine(Folder, "shards", "shard-" + k.ToString(CultureInfo.InvariantCulture));

    /// <summary>job.sbatch: the array, one task per shard.</summary>
    public string ArrayScript()
    {
        var s = Header($"mbi-{Command}", Time, Path.Combine(Folder, "logs", "shard-%a.log"), $"#SBATCH --array=1-{Shards}\n");
        bool workersGiven = Arguments.Any(a => a == "--workers" || a.StartsWith("--workers=", StringComparison.Ordinal));
        s.Append("shard=\"${SLURM_ARRAY_TASK_ID:?run this script with sbatch (it is a job array)}\"\n");
        s.Append($"exec {Mbi} {Quote(Command)}");
        foreach (string a in Arguments) s.Append(' ').Append(Quote(a));
        if (TakesWorkers && !workersGiven) s.Append(" --workers \"${SLURM_CPUS_PER_TASK:-1}\"");
        s.Append($" --shard \"$shard/{Shards}\" --out {Quote(Path.Combine(Folder, "shards"))}/shard-\"$shard\"\n");
        return s.ToString();
    }

    /// <summary>merge.sbatch: joins the shards into the single-run outputs in <see cref="Folder"/>.</summary>
    public string MergeScript()
    {
        var s = Header($"mbi-{Command}-merge", MergeTime ?? Time, Path.Combine(Folder, "logs", "merge.log"));
        s.Append($"exec {Mbi} merge {Quote(Path.Combine(Folder, "shards"))}/shard-{{1..{Shards}}} --out {Quote(Folder)}\n");
        return s.ToString();
    }

    /// <summary>submit.sh: submits the array, then the merge once every task has succeeded (cancelled if one fails).</summary>
    public string SubmitScript() =>
        "#!/bin/bash\n" +
        $"# Written by `mbi slurm`: submits {ArrayScriptName} ({Shards} shards of `mbi {Command}`), then {MergeScriptName} after all of them succeed.\n" +
        "# Extra arguments (e.g. --wait) go to the merge job's sbatch.\n" +
        "set -euo pipefail\n" +
        $"cd {Quote(Folder)}\n" +
        $"array=$(sbatch --parsable {ArrayScriptName}); array=${{array%%;*}}\n" +
        $"echo \"array job $array ({Shards} shards)\"\n" +
        $"sbatch --parsable --dependency=afterok:\"$array\" --kill-on-invalid-dep=yes \"$@\" {MergeScriptName}\n";

    /// <summary>The sbatch arguments that submit the merge after array job <paramref name="arrayJobId"/>.</summary>
    public static IReadOnlyList<string> MergeSubmitArguments(string arrayJobId, bool wait) =>
        ["--parsable", $"--dependency=afterok:{arrayJobId}", "--kill-on-invalid-dep=yes", .. wait ? new[] { "--wait" } : [], MergeScriptName];

    private StringBuilder Header(string name, string? time, string log, string extra = "")
    {
        var s = new StringBuilder("#!/bin/bash\n");
        s.Append($"# Written by `mbi slurm` for `mbi {Command} {string.Join(' ', Arguments.Select(Quote))}` in {Shards} shards; see README, \"On a cluster\".\n");
        s.Append(extra);
        s.Append($"#SBATCH --job-name={name}\n#SBATCH --ntasks=1\n#SBATCH --cpus-per-task={CpusPerTask.ToString(CultureInfo.InvariantCulture)}\n");
        if (time is not null) s.Append($"#SBATCH --time={time}\n");
        if (Partition is not null) s.Append($"#SBATCH --partition={Partition}\n");
        if (Account is not null) s.Append($"#SBATCH --account={Account}\n");
        if (Memory is not null) s.Append($"#SBATCH --mem={Memory}\n");
        s.Append($"#SBATCH --chdir={WorkingDirectory}\n#SBATCH --output={log}\n");
        s.Append("set -euo pipefail\n");
        return s;
    }

    /// <summary>One shell word: single-quoted unless it is plainly safe.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && SafeWord().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''") + "'";

    [GeneratedRegex(@"^(?:\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2})$")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^\d+[KMGT]?$")]
    private static partial Regex MemoryPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_.,-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_./=:,+@%-]+$")]
    private static partial Regex SafeWord();
}
