using System.Text.Json;
using Mbi.Cli;
using NUnit.Framework;

namespace Mbi.Cli.Tests;

/// <summary>The command line's contract: --json owns stdout; bad input is one line on stderr and a non-zero exit.</summary>
[TestFixture]
[NonParallelizable] // redirects the process-wide Console
public sealed class MbiCliTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        TextWriter oldOut = Console.Out, oldErr = Console.Error;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            int exit = MbiCli.Run(args);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    [Test]
    public void When_JsonRequested_Expect_ExactlyOneJsonObjectOnStdout()
    {
        var (exit, stdout, _) = Run("info", "--json");
        Assert.That(exit, Is.EqualTo(0));
        // JsonDocument.Parse rejects trailing content, so this also proves nothing else is on stdout.
        using var document = JsonDocument.Parse(stdout);
        Assert.That(document.RootElement.ValueKind, Is.EqualTo(JsonValueKind.Object));
        Assert.That(document.RootElement.GetProperty("processors").GetInt32(), Is.GreaterThan(0));
        // Figures must say which kernel produced them: info names the one this machine runs.
        Assert.That(document.RootElement.GetProperty("distance_kernel").GetString(),
            Is.EqualTo(Mbi.Algorithm.Memorization.Keys.DistanceKernel.BestPath.ToString()));
    }

    [Test]
    public void When_MbiKernelIsNotAPathThisMachineRuns_Expect_OneLineErrorBeforeAnyWork()
    {
        Environment.SetEnvironmentVariable("MBI_KERNEL", "avx1024");
        try
        {
            var (exit, stdout, stderr) = Run("info");
            Assert.That(exit, Is.Not.EqualTo(0));
            Assert.That(stdout, Is.Empty);
            Assert.That(stderr.Trim(), Does.StartWith("mbi: error: MBI_KERNEL was avx1024").And.Contain("e.g. avx2").And.Not.Contain("\n"));
        }
        finally { Environment.SetEnvironmentVariable("MBI_KERNEL", null); }
        Assert.That(Run("info").Exit, Is.Zero);
    }

    [Test]
    public void When_OptionOutOfRange_Expect_OneLineNamingValueAndExampleAndNoHelp()
    {
        var (exit, stdout, stderr) = Run("mc", "--samples", "2", "--sigma-vth", "-5mV", "--out", Path.GetTempPath());
        Assert.That(exit, Is.Not.EqualTo(0));
        Assert.That(stdout, Is.Empty, "no help text or partial output on stdout");
        Assert.That(stderr.Trim(), Does.Contain("--sigma-vth was -5mV").And.Contain("60mV"));
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void When_ModelFileMissing_Expect_UserErrorExitAndTheFix()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"mbi-missing-{Guid.NewGuid():N}.ram");
        var (exit, stdout, stderr) = Run("eval", "--model", missing);
        Assert.That(exit, Is.EqualTo(MbiCli.UserErrorExitCode));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.StartWith("mbi: error: ").And.Contain(missing).And.Contain("mbi train"));
    }

    [Test]
    public void When_DesignInitThenShow_Expect_TheFlagInTheFileAndOneHash()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mbi-design-cli-{Guid.NewGuid():N}.json");
        try
        {
            var (initExit, _, initErr) = Run("design", "init", "--eval-window", "2ns", "--out", path);
            Assert.That(initExit, Is.EqualTo(0), initErr);
            var (showExit, stdout, _) = Run("design", "show", path, "--json");
            Assert.That(showExit, Is.EqualTo(0));
            using var document = JsonDocument.Parse(stdout);
            var root = document.RootElement;
            Assert.That(root.GetProperty("content").GetProperty("array").GetProperty("eval_window_seconds").GetDouble(), Is.EqualTo(2e-9));
            Assert.That(initErr, Does.Contain(root.GetProperty("sha256").GetString()), "init and show report the same hash");
            var (checkExit, checkOut, _) = Run("design", "check", path);
            Assert.That(checkExit, Is.EqualTo(0));
            Assert.That(checkOut, Does.Contain("valid"));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void When_DesignFileHasABadField_Expect_OneLineNamingFileAndField()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mbi-design-bad-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, "{\"format\": \"mbi-design\", \"version\": 1, \"array\": {\"bitline_capacitance_farads\": -1e-15}}");
            var (exit, stdout, stderr) = Run("design", "check", path);
            Assert.That(exit, Is.EqualTo(ExitCodes.BadInputFile), "a value out of range in a file is a bad input file");
            Assert.That(stdout, Is.Empty);
            Assert.That(stderr.Trim(), Does.StartWith($"mbi: error: {path}: array.bitline_capacitance_farads was -1.00 fF; it must be between 0 and"));
        }
        finally { File.Delete(path); }
    }
}
