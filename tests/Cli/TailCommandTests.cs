using Mbi.Tests;
using NUnit.Framework;

namespace Mbi.Cli.Tests;

/// <summary>`mbi tail`'s printed table on the shipped characterisation of the default design.</summary>
[TestFixture]
[NonParallelizable] // redirects the process-wide Console
public sealed class TailCommandTests
{
    [Test]
    public void When_NoFailurePointBeyondTheGrid_Expect_NoGridFootnote()
    {
        TestAssets.RequireNgspice();
        string dir = Directory.CreateTempSubdirectory("mbi-tail-").FullName;
        try
        {
            // level 8 at 60 mV: every design point inside the characterised -240..+400 mV grid (docs/tail.md, session 25)
            var (exit, stdout, stderr) = InProcessCli.Run("tail", "--levels", "8", "--samples", "2000", "--is-samples", "2000",
                "--out", Path.Combine(dir, "out"), "--cache", ShardMergeTests.SeededCosimCache());
            Assert.That(exit, Is.EqualTo(0), stderr);
            Assert.That(stdout, Does.Contain("importance sampling p"));
            Assert.That(stdout, Does.Not.Contain("beyond the compact model's characterised shift grid"),
                "the footnote explains a starred beta; none is starred");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
