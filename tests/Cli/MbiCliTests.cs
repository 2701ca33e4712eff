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
}
