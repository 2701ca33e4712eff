using System.Globalization;
using System.Text;
using Mbi.Core.IO;

namespace Mbi.CoSim.Studies;

/// <summary>
/// An append-only record of finished co-simulation dies of one coding, so that `mbi cosim --shard K/N` leaves its dies for
/// `mbi merge` and a rerun of the same command takes them back instead of computing them again. Die i depends only on
/// (setup, calibration, seed, sigma, i), so dies read back are exactly those a fresh run computes: accuracies are stored as
/// the bits of their doubles and the reports are byte-identical.
/// <para>
/// Format (text, flushed per die): a header <c>MBI-COSIM-JOURNAL 1 &lt;fingerprint&gt;</c> naming the run (its options, design
/// and coding, hashed by the caller), then per die <c>index TAB with TAB without TAB check</c>: the die's outcome with the per-die
/// ADC mismatch and, when the mismatch is not zero, through the nominal ADCs (else empty); each outcome is its fields
/// comma-separated (doubles as hex bits), check the FNV-1a hash of the rest of the line. A line failing its check (a torn
/// last line, an edit) is skipped and its die computed again. A journal of another run is replaced (<see cref="Replaced"/>).
/// With a learned gate (`cosim --gate`) the mixed fields hold that gate's accuracy and share served on the die; the gate,
/// its T and the fallback are options of the run, so they are in the fingerprint and the format is unchanged.
/// </para>
/// </summary>
internal sealed class CosimJournal : IDisposable
{
    private const string Magic = "MBI-COSIM-JOURNAL 1 ";
    private readonly Lock _lock = new();
    private readonly FileStream _stream;
    private readonly Dictionary<int, (DieOutcome With, DieOutcome? Without)> _completed = [];

    private CosimJournal(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    public string Path { get; }

    /// <summary>Dies read back when the journal was opened.</summary>
    public IReadOnlyDictionary<int, (DieOutcome With, DieOutcome? Without)> Completed => _completed;

    /// <summary>The file held dies of another run (another fingerprint) and was started again.</summary>
    public bool Replaced { get; private set; }

    /// <summary>Lines skipped because they failed their check (their dies are computed again).</summary>
    public int DamagedLines { get; private set; }

    /// <summary>Opens (or creates) the journal at <paramref name="path"/> for the run <paramref name="fingerprint"/> of <paramref name="dies"/> dies.</summary>
    public static CosimJournal Open(string path, string fingerprint, int dies)
    {
        var stream = JournalLine.Open(ref path, fresh: false);
        var journal = new CosimJournal(path, stream);
        try { journal.Load(Magic + fingerprint, dies); }
        catch { stream.Dispose(); throw; }
        return journal;
    }

    private void Load(string header, int dies)
    {
        var bytes = new byte[_stream.Length];
        _stream.ReadExactly(bytes);
        string[] lines = Encoding.UTF8.GetString(bytes).Split('\n');
        if (bytes.Length == 0 || lines[0] != header)
        {
            Replaced = bytes.Length > 0;
            _stream.SetLength(0);
            Write(header + "\n");
            return;
        }
        int end = bytes.Length;
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            if (TryParse(lines[i], out int index, out var with, out var without)) { if (index < dies) _completed[index] = (with, without); }
            else DamagedLines++;
        }
        if (bytes[end - 1] != (byte)'\n') { _stream.Seek(0, SeekOrigin.End); Write("\n"); } // a torn last line: the next record starts clean
        _stream.Seek(0, SeekOrigin.End);
    }

    /// <summary>Records die <paramref name="with"/>.Die (and its outcome through the nominal ADCs, when the mismatch varies) and flushes.</summary>
    public void Append(DieOutcome with, DieOutcome? without)
    {
        string text = with.Die.ToString(CultureInfo.InvariantCulture) + "\t" + Fields(with) + "\t" + (without is null ? "" : Fields(without));
        lock (_lock) Write(JournalLine.Signed(text));
    }

    private void Write(string text)
    {
        _stream.Write(Encoding.UTF8.GetBytes(text));
        _stream.Flush(flushToDisk: true);
    }

    private static string Fields(DieOutcome d) => string.Join(',',
        Bits(d.MbiAccuracy), Bits(d.MixedAccuracy), Bits(d.MbiFraction), Long(d.Lookups), Long(d.WinnerChanged), Long(d.Levels),
        Long(d.RowsScanned), Long(d.SplitComparisons), Long(d.SaturatedReadouts));

    private static string Bits(double v) => JournalLine.Bits(v);
    private static string Long(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static bool TryParse(string line, out int index, out DieOutcome with, out DieOutcome? without)
    {
        with = null!; without = null; index = -1;
        if (!JournalLine.TryVerify(line, out string body)) return false;
        string[] f = body.Split('\t');
        if (f.Length != 3 || !int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out index)) return false;
        if (!TryOutcome(index, f[1], out var w)) return false;
        with = w!;
        if (f[2].Length == 0) return true;
        if (!TryOutcome(index, f[2], out without)) return false;
        return true;
    }

    private static bool TryOutcome(int die, string text, out DieOutcome? outcome)
    {
        outcome = null;
        string[] v = text.Split(',');
        if (v.Length != 9) return false;
        double D(int i) => BitConverter.Int64BitsToDouble(long.Parse(v[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        long L(int i) => long.Parse(v[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        try { outcome = new DieOutcome(die, D(0), D(1), D(2), L(3), L(4), L(5), L(6), L(7), L(8)); }
        catch (FormatException) { return false; }
        catch (OverflowException) { return false; }
        return true;
    }


    public void Dispose() => _stream.Dispose();
}
