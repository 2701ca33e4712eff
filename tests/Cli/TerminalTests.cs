using Mbi.Core.Progress;
using NUnit.Framework;

namespace Mbi.Cli.Tests;

/// <summary>Progress in a log (stderr not a terminal): one line when a stage starts and one when it is done, nothing else.</summary>
[TestFixture]
public sealed class TerminalTests
{
    [Test]
    public void When_StagesReportToALog_Expect_OneStartAndOneDoneLineEach()
    {
        var lines = new List<string>();
        var log = new Terminal.StageLog("reproduce", lines.Add);
        for (int i = 0; i <= 1000; i++) log.Report(new ProgressUpdate("test images", i, 1000));
        log.Report(new ProgressUpdate("tree", 0, 1));
        log.Report(new ProgressUpdate("tree", 1, 1));
        log.Report(new ProgressUpdate("tree", 1, 1)); // a repeated "done" is not a new stage
        log.Report(new ProgressUpdate("tree", 0, 1)); // a second tree build is
        log.Report(new ProgressUpdate("energy bands", 0, 1, "row p=1"));
        log.Close(); // the work ended: open stages are closed
        Assert.That(lines, Has.Count.EqualTo(8), string.Join("\n", lines));
        Assert.That(lines[0], Does.StartWith("reproduce: test images (1,000) started at").And.EndWith("UTC"));
        Assert.That(lines[1], Does.Match(@"^reproduce: test images done in \d+\.\d s$"));
        Assert.That(lines.Count(l => l.StartsWith("reproduce: tree done", StringComparison.Ordinal)), Is.EqualTo(2));
        Assert.That(lines.Count(l => l.StartsWith("reproduce: energy bands done in", StringComparison.Ordinal)), Is.EqualTo(1));
    }
}
