using Mbi.Cli.Commands;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Cli.Tests;

/// <summary>The Slurm scripts `mbi slurm` writes (text only; CI runs them on a real one-node Slurm).</summary>
[TestFixture]
public sealed class SlurmJobTests
{
    private static SlurmJob Job(params string[] arguments) => new()
    {
        Command = "mc",
        Arguments = arguments,
        Shards = 4,
        Folder = "/runs/mc-cluster",
        WorkingDirectory = "/home/me/mbi",
        Mbi = "dotnet /opt/mbi/mbi.dll",
        CpusPerTask = 2,
        Time = "2:00:00",
        Partition = "short",
        Memory = "4G",
    };

    [Test]
    public void When_ArrayScriptWritten_Expect_OneTaskPerShardWithItsResourcesAndItsShardFolder()
    {
        string script = Job("--samples", "200", "--seed", "7").Validated().ArrayScript();
        Assert.That(script, Does.StartWith("#!/bin/bash\n"));
        foreach (string line in new[] { "#SBATCH --array=1-4\n", "#SBATCH --cpus-per-task=2\n", "#SBATCH --time=2:00:00\n", "#SBATCH --partition=short\n",
                     "#SBATCH --mem=4G\n", "#SBATCH --chdir=/home/me/mbi\n", "#SBATCH --output=/runs/mc-cluster/logs/shard-%a.log\n" })
            Assert.That(script, Does.Contain(line));
        Assert.That(script, Does.Contain("exec dotnet /opt/mbi/mbi.dll mc --samples 200 --seed 7 --workers \"${SLURM_CPUS_PER_TASK:-1}\" " +
                                          "--shard \"$shard/4\" --out /runs/mc-cluster/shards/shard-\"$shard\"\n"));
    }

    [Test]
    public void When_WorkersGivenOrArgumentsNeedQuoting_Expect_ThemKeptAndQuoted()
    {
        string script = Job("--workers", "3", "--design", "my design's.json").Validated().ArrayScript();
        Assert.That(script, Does.Contain("mc --workers 3 --design 'my design'\\''s.json' --shard"));
        Assert.That(script, Does.Not.Contain("SLURM_CPUS_PER_TASK:-1"));
    }

    [Test]
    public void When_MergeAndSubmitScriptsWritten_Expect_MergeOfEveryShardAfterTheArraySucceeds()
    {
        var job = Job().Validated();
        Assert.That(job.MergeScript(), Does.Contain("merge /runs/mc-cluster/shards/shard-{1..4} --out /runs/mc-cluster\n")
            .And.Contain("#SBATCH --output=/runs/mc-cluster/logs/merge.log\n").And.Not.Contain("--array"));
        Assert.That(job.SubmitScript(), Does.Contain("--dependency=afterok:\"$array\" --kill-on-invalid-dep=yes"));
        Assert.That(SlurmJob.MergeSubmitArguments("41", wait: true),
            Is.EqualTo(new[] { "--parsable", "--dependency=afterok:41", "--kill-on-invalid-dep=yes", "--wait", "merge.sbatch" }));
    }

    [TestCase("--time", "2 hours")]
    [TestCase("--mem", "4 GB")]
    [TestCase("--partition", "a b")]
    [TestCase("--shards", "0")]
    [TestCase("--cpus-per-task", "0")]
    public void When_AResourceIsMalformed_Expect_BadInputNamingTheFlag(string flag, string value)
    {
        var job = flag switch
        {
            "--time" => Job() with { Time = value },
            "--mem" => Job() with { Memory = value },
            "--partition" => Job() with { Partition = value },
            "--shards" => Job() with { Shards = int.Parse(value) },
            _ => Job() with { CpusPerTask = int.Parse(value) },
        };
        var e = Assert.Throws<BadInputException>(() => job.Validated());
        Assert.That(e!.Message, Does.StartWith($"{flag} was"));
    }
}
