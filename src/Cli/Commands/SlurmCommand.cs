using System.CommandLine;
using Mbi.Core.Errors;
using Mbi.Core.IO;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi slurm COMMAND [its options] --shards N --out DIR`: writes DIR/job.sbatch (a Slurm job array, one task per shard of
/// `mbi COMMAND --shard K/N`), DIR/merge.sbatch (the dependent merge into DIR) and DIR/submit.sh; --submit submits them with
/// sbatch (--wait: until the merge ends). The scheduling is Slurm's; mbi only writes and submits the scripts.
/// </summary>
internal static class SlurmCommand
{
    private static readonly string[] Shardable = ["mc", "sweep", "cosim", "sweep-ram"];

    public static Command Create()
    {
        var target = new Argument<string>("command") { Description = $"The mbi command to shard: {string.Join(" or ", Shardable)}, followed by its own options" };
        var shards = CommonOptions.Count("--shards", "Shards: array tasks, each running the dies i with i mod N = K-1 (Slurm's default MaxArraySize allows up to 1000)", 4, 1, Circuit.MonteCarlo.Shard.MaxCount);
        var output = new Option<string>("--out") { Description = "Folder for the scripts, logs/, shards/ and the merged outputs (those of a single run)", Required = true };
        var cpus = CommonOptions.Count("--cpus-per-task", "CPUs per array task; the shard's --workers unless given", 1, 1, 1024);
        var time = new Option<string?>("--time") { Description = "Time limit per array task, in Slurm's form (e.g. 2:00:00; default: the partition's)" };
        var mergeTime = new Option<string?>("--merge-time") { Description = "Time limit of the merge job (default: --time)" };
        var partition = new Option<string?>("--partition") { Description = "Slurm partition (default: the cluster's default)" };
        var memory = new Option<string?>("--mem") { Description = "Memory per task, in Slurm's form (e.g. 4G; default: the partition's)" };
        var account = new Option<string?>("--account") { Description = "Slurm account to charge (default: yours)" };
        var mbi = new Option<string?>("--mbi") { Description = "Shell command that starts mbi on the compute nodes (default: this mbi, e.g. \"dotnet /path/mbi.dll\")" };
        var submit = new Option<bool>("--submit") { Description = "Submit the array and the merge with sbatch" };
        var wait = new Option<bool>("--wait") { Description = "With --submit: wait until the merge job ends (sbatch --wait) and exit with its status" };
        var command = new Command("slurm", "Write (and --submit) a Slurm job array that runs `mbi mc`, `sweep`, `cosim` or `sweep-ram` in shards and merges them.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Arguments.Add(target);
        foreach (Option o in new Option[] { shards, output, cpus, time, mergeTime, partition, memory, account, mbi, submit, wait }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            string name = parse.GetValue(target)!;
            if (!Shardable.Contains(name))
                throw CommonOptions.Bad("slurm COMMAND", $"'{name}'", string.Join(" or ", Shardable), "mbi slurm mc --samples 200 --shards 8 --out runs/mc-cluster");
            IReadOnlyList<string> arguments = [.. parse.UnmatchedTokens];
            if (arguments.FirstOrDefault(a => a is ShardOptions.ShardFlag or ShardOptions.ExpectedDesignFlag || a.StartsWith(ShardOptions.ShardFlag + "=", StringComparison.Ordinal)) is string taken)
                throw CommonOptions.Bad(taken, "given", "left to mbi slurm (it gives each array task its own --shard K/N)", "--shards 4");
            var job = new SlurmJob
            {
                Command = name, Arguments = arguments, Shards = parse.GetValue(shards), TakesWorkers = name != "sweep-ram", Folder = Path.GetFullPath(parse.GetValue(output)!),
                WorkingDirectory = Environment.CurrentDirectory, Mbi = parse.GetValue(mbi) ?? ThisMbi(), CpusPerTask = parse.GetValue(cpus),
                Time = parse.GetValue(time), MergeTime = parse.GetValue(mergeTime), Partition = parse.GetValue(partition),
                Memory = parse.GetValue(memory), Account = parse.GetValue(account),
            }.Validated();
            // The shards' command line must parse here, not fail N times on the cluster.
            var check = MbiCli.BuildRoot().Parse([name, .. arguments, "--shard", $"1/{job.Shards}", "--out", job.ShardFolder(1)]);
            if (check.Errors.Count > 0) throw new BadInputException($"mbi {name}: {check.Errors[0].Message}");

            Directory.CreateDirectory(Path.Combine(job.Folder, "logs"));
            AtomicFile.WriteAllText(Path.Combine(job.Folder, SlurmJob.ArrayScriptName), job.ArrayScript());
            AtomicFile.WriteAllText(Path.Combine(job.Folder, SlurmJob.MergeScriptName), job.MergeScript());
            string submitScript = Path.Combine(job.Folder, SlurmJob.SubmitScriptName);
            AtomicFile.WriteAllText(submitScript, job.SubmitScript());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(submitScript, File.GetUnixFileMode(submitScript) | UnixFileMode.UserExecute);
            Terminal.Note($"mbi slurm: wrote {job.Folder}/{SlurmJob.ArrayScriptName} ({job.Shards} array tasks of `mbi {name}`), {SlurmJob.MergeScriptName} and {SlurmJob.SubmitScriptName}");
            if (!parse.GetValue(submit))
            {
                Terminal.Note($"mbi slurm: submit with {submitScript} (or mbi slurm ... --submit); the merged outputs will be in {job.Folder}");
                return 0;
            }
            string arrayId = Sbatch.Submit(job.Folder, ["--parsable", SlurmJob.ArrayScriptName]).Split(';')[0];
            Terminal.Note($"mbi slurm: array job {arrayId} ({job.Shards} shards) submitted; logs in {job.Folder}/logs");
            bool waiting = parse.GetValue(wait);
            if (!waiting)
            {
                string id = Sbatch.Submit(job.Folder, SlurmJob.MergeSubmitArguments(arrayId, wait: false)).Split(';')[0];
                Terminal.Note($"mbi slurm: merge job {id} will write the merged outputs to {job.Folder} after the array succeeds");
                return 0;
            }
            Terminal.Note("mbi slurm: waiting for the merge job (sbatch --wait) ...");
            var submitted = DateTime.UtcNow.AddSeconds(-1);
            string mergeId = Sbatch.Submit(job.Folder, SlurmJob.MergeSubmitArguments(arrayId, wait: true), allowFailure: true, out int exit).Split(';')[0];
            // sbatch --wait exits 0 for a merge cancelled because a shard failed (DependencyNeverSatisfied): the merged
            // folder's shards.json, written last by a successful merge, is the verdict; Slurm's job state is for the message.
            string merged = Path.Combine(job.Folder, MergeCommand.ShardsFileName);
            bool ok = exit == 0 && File.Exists(merged) && File.GetLastWriteTimeUtc(merged) >= submitted;
            Terminal.Note(ok
                ? $"mbi slurm: merge job {mergeId} done; the merged outputs are in {job.Folder}"
                : $"mbi slurm: merge job {mergeId} did not merge ({Sbatch.JobState(mergeId)}; sbatch status {exit}); see {job.Folder}/logs");
            return ok ? 0 : 1;
        });
        return command;
    }

    /// <summary>How this process was started: "dotnet mbi.dll" from a build, the apphost itself as an installed tool.</summary>
    private static string ThisMbi()
    {
        string process = Environment.ProcessPath ?? "dotnet";
        string dll = typeof(SlurmCommand).Assembly.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? $"{SlurmJob.Quote(process)} {SlurmJob.Quote(dll)}"
            : SlurmJob.Quote(process);
    }
}
