using Mbi.Circuit.Netlists;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.Circuit.Tests.Netlists;

[TestFixture]
public sealed class ShippedBenchesTests
{
    // Set MBI_REGENERATE_NETLISTS=1 to rewrite netlists/benches/ after an intended change.
    [TestCase("row32.cir")]
    [TestCase("array32x32.cir")]
    [TestCase("array32x32_10t.cir")]
    public void When_ShippedBenchComparedWithGenerator_Expect_Identical(string file)
    {
        string path = Path.Combine(TestAssets.RepositoryRoot(), "netlists", "benches", file);
        string written = (file switch
        {
            "row32.cir" => ShippedBenches.Row32(),
            "array32x32.cir" => ShippedBenches.Array32x32(),
            _ => ShippedBenches.Array32x32Paper10T(),
        }).Write();
        if (Environment.GetEnvironmentVariable("MBI_REGENERATE_NETLISTS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, written);
        }
        Assert.That(File.Exists(path), $"{path} is missing; run the tests once with MBI_REGENERATE_NETLISTS=1");
        Assert.That(File.ReadAllText(path), Is.EqualTo(written), $"{path} is stale; rerun with MBI_REGENERATE_NETLISTS=1");
    }

    [Test]
    public void When_ArrayBenchBuilt_Expect_AllCellsOfTheArrayInTheDrawList()
    {
        var bench = ShippedBenches.Array32x32();
        Assert.That(bench.Devices, Has.Count.EqualTo(32 * 18 + 2 + 31 * 32 * 12));
        Assert.That(bench.Write(), Does.Contain("vrwlu rwlu 0 DC 0"));
        var paper = ShippedBenches.Array32x32Paper10T();
        Assert.That(paper.Devices, Has.Count.EqualTo(32 * 16 + 2 + 31 * 32 * 10));
        Assert.That(paper.Write(), Does.Contain("vslu slu 0 DC 0.9"));
    }
}
