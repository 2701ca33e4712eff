using Mbi.Circuit.MonteCarlo;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.MonteCarlo;

/// <summary>Joining shard journals, on journals written by <see cref="DieJournal"/> itself (no ngspice needed).</summary>
[TestFixture]
public sealed class ShardJournalsTests
{
    private const int Values = 3;
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), $"mbi-shard-journals-{Guid.NewGuid():N}"));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static SampleOutcome Die(int i) => i % 5 == 4
        ? new SampleOutcome(i, $"die {i} did not converge", [], [])
        : new SampleOutcome(i, null, [0.1 * i, Math.PI / (i + 1), -1e-300], [1.0 / 3 + i, 2e-12, i]);

    /// <summary>A journal of <paramref name="dies"/>, appended in the order given, as a run writes it.</summary>
    private string Journal(string name, string fingerprint, int samples, IEnumerable<int> dies)
    {
        string path = Path.Combine(_folder, name, "dies.journal");
        using var journal = DieJournal.Open(path, fingerprint, samples, Values, fresh: false);
        foreach (int i in dies) journal.Append(Die(i));
        return path;
    }

    [TestCase(7, 3)]
    [TestCase(2, 4)] // shards 3/4 and 4/4 own no die
    public void When_EveryShardHoldsItsDies_Expect_TheJournalOfASingleRunInIndexOrder(int samples, int count)
    {
        var parts = Enumerable.Range(1, count).Select(k =>
        {
            var shard = new Shard(k, count);
            // Out of order (as parallel workers finish), plus a die of another shard and one past the run (a reused folder).
            var dies = Enumerable.Range(0, samples + 2).Where(i => shard.Owns(i) || i == 0 || i == samples + 1).Reverse();
            return new ShardJournals.Part(shard, Journal($"s{k}", "run-a", samples + 2, dies), $"s{k}");
        }).ToList();
        string merged = Path.Combine(_folder, "merged", "dies.journal");
        string single = Journal("single", "run-a", samples, Enumerable.Range(0, samples));

        Assert.That(ShardJournals.Merge(parts, samples, merged), Is.EqualTo(samples));
        Assert.That(File.ReadAllBytes(merged), Is.EqualTo(File.ReadAllBytes(single)), "a single one-worker run journals its dies in index order");
        using var back = DieJournal.Open(merged, "run-a", samples, Values, fresh: false);
        Assert.That(back.Completed.Keys.Order(), Is.EqualTo(Enumerable.Range(0, samples)));
        Assert.That(back.Completed[1].SlpVolts, Is.EqualTo(Die(1).SlpVolts), "voltages come back bit for bit");
    }

    [Test]
    public void When_AShardLacksADie_Expect_BadInputNamingTheShardAndTheDie()
    {
        var parts = new[]
        {
            new ShardJournals.Part(new Shard(1, 2), Journal("s1", "run-a", 6, [0, 4]), "s1"), // die 2 missing
            new ShardJournals.Part(new Shard(2, 2), Journal("s2", "run-a", 6, [1, 3, 5]), "s2"),
        };
        var e = Assert.Throws<BadInputException>(() => ShardJournals.Merge(parts, 6, Path.Combine(_folder, "m", "dies.journal")));
        Assert.That(e!.Message, Does.Contain("shard 1/2 in s1 lacks 1 of its 3 dies (2)").And.Contain("has not finished"));
        Assert.That(Directory.Exists(Path.Combine(_folder, "m")), Is.False, "nothing written");
    }

    [Test]
    public void When_ShardsAreOfDifferentRuns_Expect_BadInputSayingSo()
    {
        var parts = new[]
        {
            new ShardJournals.Part(new Shard(1, 2), Journal("s1", "run-a", 2, [0]), "s1"),
            new ShardJournals.Part(new Shard(2, 2), Journal("s2", "run-b", 2, [1]), "s2"),
        };
        var e = Assert.Throws<BadInputException>(() => ShardJournals.Merge(parts, 2, Path.Combine(_folder, "m", "dies.journal")));
        Assert.That(e!.Message, Does.Contain("s2 holds dies of a different run than s1"));
    }
}
