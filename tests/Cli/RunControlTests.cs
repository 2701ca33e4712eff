using System.CommandLine;
using Mbi.Circuit.Engine;
using NUnit.Framework;

namespace Mbi.Cli.Tests;

/// <summary>
/// What happens around a run rather than inside it: help text, paths typed from another folder, a failing stdout,
/// folder locks and stale ngspice copies. In-process and fast; the Ctrl-C test with a real `mbi mc` is in
/// <see cref="InterruptTests"/>.
/// </summary>
[TestFixture]
[NonParallelizable] // redirects the process-wide Console and sets environment variables
public sealed class RunControlTests
{
    [Test]
    public void When_HelpShown_Expect_EachDefaultOnceInTheUnitUsersType()
    {
        foreach (var command in new[] { "mc", "sweep", "cosim", "energy", "train", "sweep-ram", "sweep-threshold", "infer" })
        {
            var (exit, stdout, _) = BadInputSuiteTests.Run(command, "--help");
            Assert.That(exit, Is.EqualTo(0));
            Assert.That(stdout, Does.Not.Contain("[default:"), command);
        }
        Assert.That(BadInputSuiteTests.Run("mc", "--help").Out, Does.Contain("(default 60mV)"));
        string trainLimit = BadInputSuiteTests.Run("sweep-ram", "--help").Out.Split('\n').Single(l => l.TrimStart().StartsWith("--train-limit", StringComparison.Ordinal));
        Assert.That(trainLimit, Does.Contain("(default 10000)").And.Not.Contain("(default 0)"));
    }

    [Test]
    public void When_SweepRamHelpShown_Expect_ResumeAndShardsDescribedAsTrainedPointsNotSpiceDies()
    {
        // sweep-ram journals trained RAM points; its --fresh and --shard once spoke of "SPICE dies" (copied from mc).
        string help = BadInputSuiteTests.Run("sweep-ram", "--help").Out;
        Assert.That(help, Does.Not.Contain("SPICE").And.Not.Contain("dies"));
        Assert.That(help, Does.Contain("Discard the trained points journalled in --out (points.journal)"));
        Assert.That(help, Does.Contain("train only the points i with i mod N = K-1"));
        Assert.That(BadInputSuiteTests.Run("mc", "--help").Out, Does.Contain("simulate only the dies i with i mod N = K-1"));
    }

    [Test]
    public void When_OptionHasADefault_Expect_ItsDescriptionStatesIt()
    {
        // System.CommandLine's "[default: 0.06]" is taken out of --help, so every default must be in the description.
        var missing = new List<string>();
        foreach (var command in Walk(MbiCli.BuildRoot()))
            foreach (var option in command.Options)
                if (option.HasDefaultValue && option.ValueType != typeof(bool) && option.Description?.Contains("default", StringComparison.OrdinalIgnoreCase) != true)
                    missing.Add($"{command.Name} {option.Name}");
        Assert.That(missing, Is.Empty);
    }

    private static IEnumerable<Command> Walk(Command command) => [command, .. command.Subcommands.SelectMany(Walk)];

    [Test]
    public void When_RunFromAnotherFolder_Expect_TypedPathsResolvedThereAndDefaultsUntouched()
    {
        string user = Path.Combine(Path.GetTempPath(), $"mbi-user-{Guid.NewGuid():N}");
        Environment.SetEnvironmentVariable(MbiCli.UserDirectoryVariable, user);
        try
        {
            Assert.That(MbiCli.UserPath("runs/a"), Is.EqualTo(Path.Combine(user, "runs", "a")));
            Assert.That(MbiCli.UserPath("/abs/x"), Is.EqualTo("/abs/x"));
            Assert.That(MbiCli.UserPath(""), Is.EqualTo(""), "an empty path stays empty (and is refused by the check)");
            var root = MbiCli.BuildRoot();
            var parse = root.Parse(["distill", "--out", "t.lut"]);
            var distill = root.Subcommands.Single(c => c.Name == "distill");
            Assert.That(parse.GetValue<string>("--out"), Is.EqualTo(Path.Combine(user, "t.lut")));
            Assert.That(parse.GetValue<string>("--model"), Is.EqualTo(CommonOptions.DefaultModel), "a default stays relative to the repository");
            Assert.That(distill, Is.Not.Null);
        }
        finally { Environment.SetEnvironmentVariable(MbiCli.UserDirectoryVariable, null); }
    }

    [Test]
    public void When_StdoutFails_Expect_OneErrorLineAndExitFive()
    {
        TextWriter oldOut = Console.Out, oldErr = Console.Error;
        var stderr = new StringWriter();
        Console.SetOut(new FullDevice());
        Console.SetError(stderr);
        int exit;
        try { exit = MbiCli.Run(["info", "--json"]); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
        Assert.That(exit, Is.EqualTo(ExitCodes.OutputFailed));
        Assert.That(stderr.ToString().TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr.ToString(), Does.StartWith("mbi: error: reading or writing a file failed: No space left on device").And.Not.Contain("   at "));
    }

    /// <summary>A writer that fails as stdout redirected to /dev/full does.</summary>
    private sealed class FullDevice : StringWriter
    {
        public override void Write(char value) => throw new IOException("No space left on device");
        public override void Write(string? value) => throw new IOException("No space left on device");
        public override void WriteLine(string? value) => throw new IOException("No space left on device");
    }

    [Test]
    public void When_FolderLockedThenReleased_Expect_SecondClaimRefusedThenGranted()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"mbi-lock-{Guid.NewGuid():N}");
        try
        {
            var first = OutputPaths.Lock("--out", folder);
            var e = Assert.Throws<Mbi.Core.Errors.BadInputException>(() => OutputPaths.Lock("--out", folder));
            Assert.That(e!.Message, Does.Contain("no other mbi run is writing"));
            first.Dispose();
            OutputPaths.Lock("--out", folder).Dispose();
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Test]
    public void When_EngineCopiesOfGoneProcessesInTemp_Expect_ReclaimedAndLiveOnesKept()
    {
        string temp = Path.Combine(Path.GetTempPath(), $"mbi-tempcopies-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            // pid 0x7ffffff0 does not run; this process does.
            string gone = Directory.CreateDirectory(Path.Combine(temp, $"{TempCopies.Prefix}{int.MaxValue - 15}-abc")).FullName;
            File.WriteAllBytes(Path.Combine(gone, "libngspice.so.0"), new byte[1000]);
            string mine = Directory.CreateDirectory(Path.Combine(temp, $"{TempCopies.Prefix}{Environment.ProcessId}-def")).FullName;
            var (folders, bytes) = TempCopies.ReclaimStale(temp);
            Assert.That((folders, bytes), Is.EqualTo((1, 1000L)));
            Assert.That(Directory.Exists(gone), Is.False);
            Assert.That(Directory.Exists(mine), Is.True);
        }
        finally { Directory.Delete(temp, recursive: true); }
    }
}
