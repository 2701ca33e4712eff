using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Core.Errors;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.Circuit.Tests.MonteCarlo;

[TestFixture]
public sealed class MonteCarloRunnerTests
{
    // What these tests check is the runner's bookkeeping (dies split over workers, journals written, torn, resumed and
    // extended), which does not depend on the row's size; the smallest row, 2 columns (3 + 5 cycles: both element
    // precisions, both rails, every device kind of the row and its periphery), keeps the 26 transients they run cheap:
    // measured on the 2-core VM, the whole `mbi mc --samples 3 --workers 1` process took 5 s of CPU at 2 columns against 12 s at 4.
    private static MonteCarloSettings Small(int workers) => new()
    {
        Technology = Technology.Ptm16Lp(),
        Design = new ArrayDesign { Columns = 2 },
        Samples = 3,
        Seed = 7,
        SigmaVthVolts = 0.06,
        Workers = workers,
    };

    // The three dies on two workers without a journal: the reference both the worker-count and the resume test compare
    // against. Same settings, same seed, so one run serves both (the runner is deterministic per (seed, die), which the
    // worker-count test asserts against a one-worker run, and the resume test against journalled runs).
    private static readonly Lazy<string> TwoWorkerReference = new(() => MonteCarloRunner.Run(Small(2)).SamplesCsv().ToString());

    [Test]
    public void When_SameSeedWithOneOrTwoWorkers_Expect_IdenticalSamplesCsv()
    {
        using (TestAssets.StartNgspice()) { }
        string one = MonteCarloRunner.Run(Small(1)).SamplesCsv().ToString();
        string two = TwoWorkerReference.Value;
        Assert.That(two, Is.EqualTo(one));
        Assert.That(one.Split('\n').Count(l => l.Contains(",ok,")), Is.EqualTo(4 * (3 + 4)), "nominal + 3 dies, 3 + 4 levels each");
    }

    [Test]
    public void When_SigmaIsNegative_Expect_BadInputNamingTheOption()
    {
        var e = Assert.Throws<BadInputException>(() => MonteCarloRunner.Run(Small(1) with { SigmaVthVolts = -0.005 }));
        Assert.That(e!.Message, Does.Contain("sigma_vth_volts").And.Contain("-5.00 mV").And.Contain("60mV"));
    }

    [TestCase(0)]
    [TestCase(3)]
    public void When_ColumnCountIsNotAPositiveEvenNumber_Expect_BadInputNamingColumns(int columns)
    {
        var e = Assert.Throws<BadInputException>(() => MonteCarloRunner.Run(Small(1) with { Design = new ArrayDesign { Columns = columns } }));
        Assert.That(e!.Message, Does.Contain("array.columns").And.Contain(columns.ToString()));
    }

    [Test]
    public void When_RowProgramHasNoColumns_Expect_BadInput()
    {
        var e = Assert.Throws<BadInputException>(() => new RowProgram([], [new RowCycle(1, [])]));
        Assert.That(e!.Message, Does.Contain("array.columns"));
    }

    [Test]
    public void When_RunInterruptedAndResumedFromItsJournal_Expect_ByteIdenticalResultsAndOnlyMissingDiesSimulated()
    {
        using (TestAssets.StartNgspice()) { }
        WithJournal("resume", journal =>
        {
            string reference = TwoWorkerReference.Value;

            // A finished run journals the nominal die and all three dies.
            var whole = MonteCarloRunner.Run(Small(2) with { JournalPath = journal });
            Assert.That(whole.ResumedDies, Is.Zero);
            Assert.That(whole.NominalResumed, Is.False);
            Assert.That(whole.SamplesCsv().ToString(), Is.EqualTo(reference));
            string[] lines = File.ReadAllLines(journal);
            Assert.That(lines, Has.Length.EqualTo(1 + 1 + 3));
            // The nominal die runs inside the worker pool, so its record may come after a die's.
            string nominalLine = lines.Skip(1).Single(l => l.StartsWith("nominal\t", StringComparison.Ordinal));
            string[] dieLines = [.. lines.Skip(1).Where(l => l != nominalLine)];

            // Simulate a kill: keep the header, the nominal die and one die, then half a record torn mid-write.
            File.WriteAllText(journal, lines[0] + "\n" + nominalLine + "\n" + dieLines[0] + "\n" + dieLines[1][..(dieLines[1].Length / 2)]);
            var resumed = MonteCarloRunner.Run(Small(1) with { JournalPath = journal });
            Assert.That(resumed.ResumedDies, Is.EqualTo(1), "the torn record is dropped and that die simulated again");
            Assert.That(resumed.NominalResumed, Is.True, "the nominal die is read back, not simulated again");
            Assert.That(resumed.SamplesCsv().ToString(), Is.EqualTo(reference), "byte-identical, nominal included");
            Assert.That(File.ReadAllLines(journal), Has.Length.EqualTo(1 + 1 + 3));

            // Extending a finished run to more dies reuses the journalled ones.
            var extended = MonteCarloRunner.Run(Small(1) with { Samples = 4, JournalPath = journal });
            Assert.That(extended.ResumedDies, Is.EqualTo(3));
            Assert.That(extended.SamplesCsv().ToString(), Is.EqualTo(MonteCarloRunner.Run(Small(2) with { Samples = 4 }).SamplesCsv().ToString()));
        });
    }

    [Test]
    public void When_JournalBelongsToAnotherRun_Expect_BadInputNamingTheFileAndFresh()
    {
        using (TestAssets.StartNgspice()) { }
        WithJournal("other", journal =>
        {
            MonteCarloRunner.Run(Small(1) with { Samples = 1, JournalPath = journal });
            var e = Assert.Throws<BadInputException>(() => MonteCarloRunner.Run(Small(1) with { Samples = 1, Seed = 8, JournalPath = journal }));
            Assert.That(e!.Message, Does.Contain(journal).And.Contain("start fresh"));
            var fresh = MonteCarloRunner.Run(Small(1) with { Samples = 1, Seed = 8, JournalPath = journal, FreshJournal = true });
            Assert.That(fresh.ResumedDies, Is.Zero);
        });
    }

    /// <summary>Runs <paramref name="test"/> with a journal path in a fresh temporary folder, deleted afterwards.</summary>
    private static void WithJournal(string name, Action<string> test)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"mbi-journal-{name}-{Environment.ProcessId}");
        try { test(Path.Combine(dir, "dies.journal")); }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }
}
