using Mbi.Circuit.MonteCarlo;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.MonteCarlo;

[TestFixture]
public sealed class ShardTests
{
    [TestCase(1, 1)]
    [TestCase(3, 4)]
    [TestCase(7, 7)]
    public void When_ShardsOfARunAreTakenTogether_Expect_EveryDieInExactlyOneAndOwnedOfCountsThem(int samples, int count)
    {
        var shards = Enumerable.Range(1, count).Select(k => new Shard(k, count)).ToList();
        for (int i = 0; i < samples; i++)
            Assert.That(shards.Count(s => s.Owns(i)), Is.EqualTo(1), $"die {i}");
        foreach (var s in shards)
            Assert.That(s.OwnedOf(samples), Is.EqualTo(Enumerable.Range(0, samples).Count(i => s.Owns(i))), $"shard {s}");
    }

    [Test]
    public void When_TextIsKOverN_Expect_ThatShard()
    {
        var shard = Shard.Parse(" 2/4 ");
        Assert.That((shard.Index, shard.Count, shard.ToString()), Is.EqualTo((2, 4, "2/4")));
        Assert.That(shard.Owns(1) && shard.Owns(5) && !shard.Owns(0) && !shard.Owns(2), Is.True, "die i belongs to shard (i mod N) + 1");
    }

    [TestCase("0/4", "0/4")]
    [TestCase("5/4", "5/4")]
    [TestCase("2", "'2'")]
    [TestCase("a/b", "'a/b'")]
    [TestCase("-1/4", "'-1/4'")]
    [TestCase("1/20000", "1/20000")]
    public void When_TextIsNotAShardOfARun_Expect_BadInputNamingValueAndExample(string text, string shown)
    {
        var e = Assert.Throws<BadInputException>(() => Shard.Parse(text));
        Assert.That(e!.Message, Does.StartWith($"shard was {shown}; it must be K/N").And.Contain("(e.g. 2/4)"));
    }
}
