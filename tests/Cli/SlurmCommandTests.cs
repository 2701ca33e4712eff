using Mbi.Cli;
using NUnit.Framework;

namespace Mbi.Cli.Tests;

/// <summary>`mbi slurm` without --submit: the scripts it writes, and what it refuses before writing anything.</summary>
[TestFixture]
[NonParallelizable] // redirects the process-wide Console
public sealed class SlurmCommandTests
{
    private static (int Exit, string Err) Run(params string[] args)
    {
        var (exit, _, err) = InProcessCli.Run(args);
        return (exit, err);
    }

    [Test]
    public void When_WrittenWithoutSubmit_Expect_ArrayMergeAndSubmitScriptsForTheCommandsOptions()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"mbi-slurm-{Guid.NewGuid():N}");
        try
        {
            var (exit, err) = Run("slurm", "mc", "--samples", "8", "--columns", "2", "--shards", "4", "--out", folder, "--time", "10:00", "--cpus-per-task", "2");
            Assert.That(exit, Is.Zero, err);
            string array = File.ReadAllText(Path.Combine(folder, "job.sbatch"));
            Assert.That(array, Does.Contain("#SBATCH --array=1-4\n").And.Contain("#SBATCH --time=10:00\n").And.Contain("#SBATCH --cpus-per-task=2\n")
                .And.Contain(" mc --samples 8 --columns 2 --workers \"${SLURM_CPUS_PER_TASK:-1}\" --shard \"$shard/4\""));
            Assert.That(File.ReadAllText(Path.Combine(folder, "merge.sbatch")), Does.Contain($" merge {folder}/shards/shard-{{1..4}} --out {folder}\n"));
            Assert.That(File.Exists(Path.Combine(folder, "submit.sh")) && Directory.Exists(Path.Combine(folder, "logs")), Is.True);
        }
        finally { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
    }

    [TestCase("cosim", "--dies", " cosim --dies 8 --workers \"${SLURM_CPUS_PER_TASK:-1}\" --shard \"$shard/4\"")]
    [TestCase("sweep-ram", "--epochs", " sweep-ram --epochs 8 --shard \"$shard/4\"")]
    public void When_CosimOrSweepRamIsWritten_Expect_ItsArrayTasksToTakeTheirShard(string command, string option, string expected)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"mbi-slurm-{Guid.NewGuid():N}");
        try
        {
            var (exit, err) = Run("slurm", command, option, "8", "--shards", "4", "--out", folder);
            Assert.That(exit, Is.Zero, err);
            Assert.That(File.ReadAllText(Path.Combine(folder, "job.sbatch")), Does.Contain(expected));
            Assert.That(File.ReadAllText(Path.Combine(folder, "merge.sbatch")), Does.Contain($" merge {folder}/shards/shard-{{1..4}} --out {folder}\n"));
        }
        finally { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
    }

    [TestCase("energy", "--shards", "2", "slurm COMMAND was 'energy'; it must be mc or sweep")]
    [TestCase("mc", "--shard", "1/2", "--shard was given; it must be left to mbi slurm")]
    [TestCase("mc", "--samples", "0", "mbi mc: --samples was 0")]
    [TestCase("mc", "--time", "2h", "--time was '2h'; it must be a Slurm time limit")]
    public void When_TheRunCannotBeSharded_Expect_OneLineAndNoScripts(string command, string flag, string value, string message)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"mbi-slurm-{Guid.NewGuid():N}");
        var (exit, err) = Run("slurm", command, flag, value, "--out", folder);
        Assert.That(exit, Is.EqualTo(MbiCli.UserErrorExitCode));
        Assert.That(err.Trim(), Does.StartWith("mbi: error: ").And.Contain(message));
        Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(Directory.Exists(folder), Is.False);
    }
}
