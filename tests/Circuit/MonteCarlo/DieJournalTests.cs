using Mbi.Circuit.MonteCarlo;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.MonteCarlo;

/// <summary>
/// The Monte Carlo journal read back after damage (issue #12): a damaged line costs only its own die, never the good
/// records after it; a torn last line is cut off; a whole last record missing its newline is kept. Pure file I/O: no
/// ngspice (the fingerprint is any string here).
/// </summary>
[TestFixture]
public sealed class DieJournalTests
{
    private const string Fingerprint = "0123456789abcdef";
    private const int Values = 3;
    private string _path = "";

    [SetUp]
    public void CreatePath() => _path = Path.Combine(Path.GetTempPath(), $"mbi-journal-{Guid.NewGuid():N}", "dies.journal");

    [TearDown]
    public void DeleteFolder() => Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);

    private static SampleOutcome Die(int i) => new(i, null, [i, i + 0.5, i + 0.25], [-i, -i - 0.5, -i - 0.25]);

    private DieJournal Open(int samples = 10) => DieJournal.Open(_path, Fingerprint, samples, Values, fresh: false);

    private void WriteDies(params int[] dies)
    {
        using var journal = Open();
        foreach (int i in dies) journal.Append(Die(i));
    }

    [Test]
    public void When_AMiddleLineIsDamaged_Expect_ItsDieDroppedAndCountedAndLaterRecordsKept()
    {
        WriteDies(0, 1, 2, 3);
        string[] lines = File.ReadAllLines(_path);
        lines[2] = lines[2].Replace('\t', ' '); // die 1: one flipped field separator, as a disk error or an edit would
        File.WriteAllText(_path, string.Join("\n", lines) + "\n");
        using var journal = Open();
        Assert.That(journal.Completed.Keys.Order(), Is.EqualTo(new[] { 0, 2, 3 }), "the records after the damaged line survive");
        Assert.That(journal.DamagedLines, Is.EqualTo(1));
        Assert.That(journal.TornTail, Is.False);
        Assert.That(journal.Completed[3].SlpVolts, Is.EqualTo(Die(3).SlpVolts), "values read back bit for bit");
        Assert.That(File.ReadAllLines(_path), Has.Length.EqualTo(5), "nothing is cut from the file");
    }

    [Test]
    public void When_TheLastLineIsTorn_Expect_ItCutOffAndTheNextRecordOnACleanLine()
    {
        WriteDies(0, 1, 2);
        string text = File.ReadAllText(_path);
        File.WriteAllText(_path, text[..(text.Length - 20)]); // died mid-write of die 2
        using (var journal = Open())
        {
            Assert.That(journal.Completed.Keys.Order(), Is.EqualTo(new[] { 0, 1 }));
            Assert.That(journal.TornTail, Is.True);
            Assert.That(journal.DamagedLines, Is.EqualTo(0));
            journal.Append(Die(2));
        }
        using var again = Open();
        Assert.That(again.Completed.Keys.Order(), Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(again.DamagedLines + (again.TornTail ? 1 : 0), Is.EqualTo(0));
    }

    [Test]
    public void When_TheLastRecordLacksItsNewline_Expect_ItKeptAndTheNewlineAdded()
    {
        WriteDies(0, 1);
        string text = File.ReadAllText(_path);
        File.WriteAllText(_path, text.TrimEnd('\n'));
        using (var journal = Open())
        {
            Assert.That(journal.Completed.Keys.Order(), Is.EqualTo(new[] { 0, 1 }));
            journal.Append(Die(2));
        }
        Assert.That(File.ReadAllText(_path), Does.EndWith("\n"));
        using var again = Open();
        Assert.That(again.Completed.Keys.Order(), Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(again.DamagedLines, Is.EqualTo(0));
    }
}
