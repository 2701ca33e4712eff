using Mbi.Circuit.MonteCarlo;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.MonteCarlo;

[TestFixture]
public sealed class ShardManifestTests
{
    private static ShardManifest Manifest(int k, int n = 3) => new()
    {
        Command = "mc",
        Arguments = ["--columns", "2", "--samples", "9", "--seed", "7"],
        ShardIndex = k,
        ShardCount = n,
        Seed = 7,
        Samples = 9,
        DesignSha256 = new string('a', 64),
        Journals = [new ShardManifest.JournalEntry("dies.journal", new string('0', 64))],
    };

    private static List<(string, ShardManifest)> Run(params ShardManifest[] manifests) => [.. manifests.Select(m => ($"/runs/s{m.ShardIndex}", m))];

    [Test]
    public void When_EveryShardOfOneRunIsGivenInAnyOrder_Expect_Accepted() =>
        Assert.DoesNotThrow(() => ShardManifest.CheckOneRun(Run(Manifest(3), Manifest(1), Manifest(2))));

    [TestCase("seed", "seed 8, not 7")]
    [TestCase("design", "design sha256 bbbbbbbbbbbb, not aaaaaaaaaaaa")]
    [TestCase("options", "options '--columns 2 --samples 9 --seed 7 --sigma-vth 30mV', not '--columns 2 --samples 9 --seed 7'")]
    [TestCase("command", "command 'sweep', not 'mc'")]
    [TestCase("split", "split into 4 shards, not 3")]
    public void When_AShardIsOfAnotherRun_Expect_OneLineNamingItAndTheDifference(string what, string difference)
    {
        var other = what switch
        {
            "seed" => Manifest(2) with { Seed = 8 },
            "design" => Manifest(2) with { DesignSha256 = new string('b', 64) },
            "options" => Manifest(2) with { Arguments = ["--columns", "2", "--samples", "9", "--seed", "7", "--sigma-vth", "30mV"] },
            "command" => Manifest(2) with { Command = "sweep" },
            _ => Manifest(2, 4),
        };
        var e = Assert.Throws<BadInputException>(() => ShardManifest.CheckOneRun(Run(Manifest(1), other, Manifest(3))));
        Assert.That(e!.Message, Is.EqualTo($"/runs/s2 is a shard of a different run than /runs/s1: {difference}; merge only the shards of one run."));
    }

    [Test]
    public void When_AShardIsMissingOrTwice_Expect_BadInputNamingIt()
    {
        var missing = Assert.Throws<BadInputException>(() => ShardManifest.CheckOneRun(Run(Manifest(1), Manifest(3))));
        Assert.That(missing!.Message, Does.Contain("1 of the run's 3 shards were not given (shard 2/3)"));
        var twice = Assert.Throws<BadInputException>(() => ShardManifest.CheckOneRun([("/a", Manifest(1)), ("/b", Manifest(1)), ("/c", Manifest(2)), ("/d", Manifest(3))]));
        Assert.That(twice!.Message, Does.Contain("shard 1/3 was given twice (/a, /b)"));
    }

    [Test]
    public void When_SavedAndLoaded_Expect_SameManifestAndAChangedJournalRefused()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"mbi-shard-manifest-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "dies.journal"), "MBI-MC-JOURNAL 1 x\n");
            var manifest = Manifest(2) with { Journals = ShardManifest.Hash(folder, ["dies.journal"]) };
            manifest.Save(folder);
            var back = ShardManifest.Load(folder);
            Assert.That((back.Command, back.Shard.ToString(), back.Seed, back.Journals[0]), Is.EqualTo(("mc", "2/3", 7UL, manifest.Journals[0])));
            Assert.That(back.Arguments, Is.EqualTo(manifest.Arguments));

            File.AppendAllText(Path.Combine(folder, "dies.journal"), "0\tok\t\t\tdeadbeef\n");
            var e = Assert.Throws<FileFormatException>(() => ShardManifest.Load(folder));
            Assert.That(e!.Message, Does.Contain("changed since its shard finished"));
            File.Delete(Path.Combine(folder, ShardManifest.FileName));
            var unfinished = Assert.Throws<BadInputException>(() => ShardManifest.Load(folder));
            Assert.That(unfinished!.Message, Does.Contain("has not finished"));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
