using Mbi.Cli;
using Mbi.Cli.Commands;
using NUnit.Framework;

namespace Mbi.Cli.Tests;

/// <summary>What names a run in its shards' manifests: the options that decide its results, in canonical order.</summary>
[TestFixture]
public sealed class ShardOptionsTests
{
    private static IReadOnlyList<string> RunArguments(params string[] args)
    {
        var parse = MbiCli.BuildRoot().Parse(args);
        Assert.That(parse.Errors, Is.Empty);
        return ShardOptions.RunArguments(parse);
    }

    [Test]
    public void When_OptionsComeInAnotherOrderOrDifferOnlyInHowTheRunWorks_Expect_TheSameRun()
    {
        var a = RunArguments("mc", "--seed", "3", "--samples", "4", "--out", "x", "--workers", "2", "--shard", "1/2", "--gate-tunneling");
        var b = RunArguments("mc", "--gate-tunneling", "--samples=4", "--workers", "1", "--seed", "3", "--json", "--fresh", "--shard", "2/2", "--out", "y", "--save-decks", "d");
        Assert.That(b, Is.EqualTo(a));
        Assert.That(a, Is.EqualTo(new[] { "--gate-tunneling", "--samples", "4", "--seed", "3" }));
    }

    [Test]
    public void When_SweepAxesAreGiven_Expect_TheirOrderKept()
    {
        // The first --vary is the grid's fast axis: swapping them is another run (another point order).
        var a = RunArguments("sweep", "--vary", "temp=27C,125C", "--vary", "corner=TT,SS");
        Assert.That(a, Is.EqualTo(new[] { "--vary", "temp=27C,125C", "--vary", "corner=TT,SS" }));
        Assert.That(RunArguments("sweep", "--vary", "corner=TT,SS", "--vary", "temp=27C,125C"), Is.Not.EqualTo(a));
    }

    [Test]
    public void When_ADefaultIsTypedOut_Expect_AnotherSpellingOfTheRun()
    {
        // Typed defaults are recorded as typed: a merge compares spellings, so shards of one run come from one command line (mbi slurm writes one).
        Assert.That(RunArguments("mc", "--seed", "1"), Is.Not.EqualTo(RunArguments("mc")));
    }
}
