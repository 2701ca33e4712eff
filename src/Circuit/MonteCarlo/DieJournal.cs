using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mbi.Core.IO;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Transient;
using Mbi.Core.Errors;

namespace Mbi.Circuit.MonteCarlo;

/// <summary>
/// An append-only record of finished Monte Carlo dies, so that an interrupted run (a killed job, a reboot)
/// resumes where it stopped and a finished run can be extended to more dies. Die i depends only on
/// (bench, seed, sigma, i), so dies read back from the journal are exactly those a fresh run would simulate:
/// voltages are stored as the bits of their doubles and the final results are byte-identical.
/// <para>
/// Format (text, one die per line, flushed to disk as each die finishes): a header line
/// <c>MBI-MC-JOURNAL 1 &lt;fingerprint&gt;</c>, where the fingerprint is the SHA-256 of the nominal netlist, the
/// seed and sigma; then per die <c>index TAB ok TAB slp,... TAB sln,... TAB check</c> (hex doubles) or
/// <c>index TAB failed TAB base64(message) TAB TAB check</c>, and once the nominal die's whole transient
/// <c>nominal TAB time TAB slp TAB sln TAB settled slp TAB settled sln TAB charges TAB check</c> (so a resumed run does
/// not simulate it again), check being the FNV-1a hash of the rest of the
/// line. A torn last line (the process died mid-write) fails its check and is cut off; a damaged line elsewhere is
/// skipped and counted (<see cref="DamagedLines"/>), and the records after it are kept.
/// </para>
/// </summary>
internal sealed class DieJournal : IDisposable
{
    private const string Magic = "MBI-MC-JOURNAL 1 ";
    private readonly Lock _lock = new();
    private readonly FileStream _stream;
    private readonly Dictionary<int, SampleOutcome> _completed = [];

    private DieJournal(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    public string Path { get; }

    /// <summary>Dies read back when the journal was opened (index -> outcome).</summary>
    public IReadOnlyDictionary<int, SampleOutcome> Completed => _completed;

    /// <summary>What identifies a run's dies: the nominal netlist (technology, design, timing, program), seed and sigma.</summary>
    public static string Fingerprint(RowBench bench, ulong seed, double sigmaVolts) => Fingerprint(bench, seed, new VthMismatch(sigmaVolts));

    /// <summary>As above; a plain sigma gives the same fingerprint as before Pelgrom mismatch existed.</summary>
    /// <param name="method">How the dies were simulated beyond the deck (e.g. <see cref="DriverReplay.Fingerprint"/>); null: the deck as written.</param>
    public static string Fingerprint(RowBench bench, ulong seed, VthMismatch mismatch, string? method = null)
    {
        string text = bench.Write() + "\nseed " + seed.ToString(CultureInfo.InvariantCulture) + "\n" + mismatch.Fingerprint
            + (method is null ? "" : "\n" + method);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>
    /// Opens (or creates) the journal at <paramref name="path"/>. An existing journal of a different run is an
    /// error naming the file and the fix, unless <paramref name="fresh"/> discards it.
    /// </summary>
    /// <param name="supplies">The bench's supplies, to read back a journalled nominal die (<see cref="Nominal"/>); null: not read.</param>
    public static DieJournal Open(string path, string fingerprint, int samples, int values, bool fresh, IReadOnlyList<SupplyProbe>? supplies = null)
    {
        var stream = JournalLine.Open(ref path, fresh);
        var journal = new DieJournal(path, stream);
        try
        {
            journal.Load(fingerprint, samples, values, supplies);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        return journal;
    }

    private void Load(string fingerprint, int samples, int values, IReadOnlyList<SupplyProbe>? supplies)
    {
        string header = Magic + fingerprint + "\n";
        if (_stream.Length == 0)
        {
            Write(header);
            return;
        }
        // Split on newline bytes (not decoded text), so a damaged line's invalid UTF-8 cannot shift the positions.
        var bytes = new byte[_stream.Length];
        _stream.Seek(0, SeekOrigin.Begin);
        _stream.ReadExactly(bytes);
        int firstEnd = Array.IndexOf(bytes, (byte)'\n');
        string first = Encoding.UTF8.GetString(bytes, 0, firstEnd < 0 ? bytes.Length : firstEnd);
        if (!first.StartsWith(Magic, StringComparison.Ordinal))
            throw new FileFormatException(Path, "not a Mbi Monte Carlo journal", "Write to another folder, or delete the journal (start fresh) to replace it");
        if (first != header.TrimEnd('\n'))
            throw new BadInputException($"{Path} holds dies of a different run (another seed, sigma(Vth), technology or design). " +
                "Delete the journal (start fresh) to discard them, or write to another folder.");
        // Every line is checked on its own: a damaged line (a disk error, an edit) is skipped and counted, and the good
        // records after it are kept. Only a torn last line (no newline: the process died mid-write) is cut off, so the
        // next record starts on a clean line.
        int position = firstEnd < 0 ? bytes.Length : firstEnd + 1;
        if (firstEnd < 0) Write("\n");
        while (position < bytes.Length)
        {
            int end = Array.IndexOf(bytes, (byte)'\n', position);
            bool whole = end >= 0;
            string line = Encoding.UTF8.GetString(bytes, position, (whole ? end : bytes.Length) - position);
            if (line.StartsWith(NominalTag, StringComparison.Ordinal) && TryParseNominal(line, values, supplies, out var nominal))
            {
                if (nominal is not null) Nominal = nominal;
                if (!whole) { _stream.Seek(0, SeekOrigin.End); Write("\n"); }
            }
            else if (TryParse(line, values, out var outcome))
            {
                if (outcome.Index < samples) _completed[outcome.Index] = outcome;
                if (!whole) { _stream.Seek(0, SeekOrigin.End); Write("\n"); } // whole record, its newline not written
            }
            else if (!whole)
            {
                _stream.SetLength(position); // a torn tail
                TornTail = true;
            }
            else if (line.Length > 0) DamagedLines++;
            if (!whole) break;
            position = end + 1;
        }
        _stream.Seek(0, SeekOrigin.End);
    }

    /// <summary>Lines that failed their check and were skipped (not the torn last line): their dies are simulated again.</summary>
    public int DamagedLines { get; private set; }

    /// <summary>The journal ended in a torn line (the process died mid-write), which was cut off.</summary>
    public bool TornTail { get; private set; }

    /// <summary>The nominal die read back from the journal, or null (not journalled yet, or not asked for).</summary>
    public RowResult? Nominal { get; private set; }

    private const string NominalTag = "nominal\t";

    /// <summary>Records the nominal die's whole transient (waveforms, settled voltages, charges) and flushes it.</summary>
    public void AppendNominal(RowResult nominal)
    {
        var charges = new double[nominal.Cycles * nominal.Supplies.Count * 3];
        for (int c = 0; c < nominal.Cycles; c++)
            for (int s = 0; s < nominal.Supplies.Count; s++)
                for (int p = 0; p < 3; p++)
                    charges[(c * nominal.Supplies.Count + s) * 3 + p] = nominal.ChargeCoulombs(c, s, (Phase)p);
        string text = "nominal\t" + string.Join('\t', new[] { nominal.Time, nominal.Slp, nominal.Sln, nominal.SettledSlpVolts, nominal.SettledSlnVolts, charges }.Select(Hex));
        lock (_lock) Write(JournalLine.Signed(text));
        Nominal = nominal;
    }

    /// <summary>True for a checked nominal line (its result null when <paramref name="supplies"/> is null or its sizes do not fit).</summary>
    private static bool TryParseNominal(string line, int values, IReadOnlyList<SupplyProbe>? supplies, out RowResult? nominal)
    {
        nominal = null;
        if (!JournalLine.TryVerify(line, out string body)) return false;
        string[] f = body.Split('\t');
        if (f.Length != 7 || supplies is null) return f.Length == 7;
        double[][] a = [.. f.Skip(1).Select(Doubles)];
        if (a[0].Length == 0 || a[1].Length != a[0].Length || a[2].Length != a[0].Length || a[3].Length != values || a[4].Length != values
            || a[5].Length != values * supplies.Count * 3)
            return true; // whole but for another bench shape: not used, the nominal die is simulated again
        nominal = new RowResult(a[0], a[1], a[2], a[3], a[4], supplies, a[5]);
        return true;
    }

    /// <summary>Records a finished die and flushes it to disk (thread-safe).</summary>
    public void Append(SampleOutcome outcome)
    {
        var body = new StringBuilder();
        body.Append(outcome.Index.ToString(CultureInfo.InvariantCulture)).Append('\t');
        if (outcome.Failed)
            body.Append("failed\t").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(outcome.Failure!))).Append("\t");
        else
            body.Append("ok\t").Append(Hex(outcome.SlpVolts)).Append('\t').Append(Hex(outcome.SlnVolts));
        string text = body.ToString();
        lock (_lock) Write(JournalLine.Signed(text));
    }

    private void Write(string text)
    {
        _stream.Write(Encoding.UTF8.GetBytes(text));
        _stream.Flush(flushToDisk: true);
    }

    private static bool TryParse(string line, int values, out SampleOutcome outcome)
    {
        outcome = null!;
        if (!JournalLine.TryVerify(line, out string body)) return false;
        string[] f = body.Split('\t');
        if (f.Length != 4 || !int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)) return false;
        if (f[1] == "failed")
        {
            outcome = new SampleOutcome(index, Encoding.UTF8.GetString(Convert.FromBase64String(f[2])), [], []);
            return true;
        }
        if (f[1] != "ok") return false;
        double[] slp = Doubles(f[2]), sln = Doubles(f[3]);
        if (slp.Length != values || sln.Length != values) return false;
        outcome = new SampleOutcome(index, null, slp, sln);
        return true;
    }

    private static string Hex(IReadOnlyList<double> values) =>
        string.Join(',', values.Select(v => BitConverter.DoubleToInt64Bits(v).ToString("x16", CultureInfo.InvariantCulture)));

    private static double[] Doubles(string text) => text.Length == 0
        ? []
        : [.. text.Split(',').Select(h => BitConverter.Int64BitsToDouble(long.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))];


    public void Dispose() => _stream.Dispose();
}
