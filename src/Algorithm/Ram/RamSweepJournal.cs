using System.Globalization;
using System.Text;
using Mbi.Core.IO;
using Mbi.Core.Errors;

namespace Mbi.Algorithm.Ram;

/// <summary>
/// An append-only record of finished Fig. 3 sweep points (`mbi sweep-ram`), so that a sweep of many long trainings is built
/// over several runs: a rerun of the same command takes every finished point back and trains only the rest, and the shards of
/// `--shard K/N` leave their points for `mbi merge`. Point i depends only on (seed, options, i): training is deterministic, so
/// points read back are exactly those a fresh run trains; accuracies are stored as the bits of their doubles.
/// <para>
/// Format (text, flushed per point): a header <c>MBI-RAMSWEEP-JOURNAL 1 &lt;fingerprint&gt;</c> (the run's options, hashed by
/// the caller), then per point <c>index TAB test TAB validation TAB check</c> (hex doubles; no training time, which is not a
/// result: the journal is the same bytes however the sweep was split or resumed), check the
/// FNV-1a hash of the rest of the line. A line failing its check (a torn last line) is skipped and its point trained again.
/// </para>
/// </summary>
internal sealed class RamSweepJournal : IDisposable
{
    private const string Magic = "MBI-RAMSWEEP-JOURNAL 1 ";
    private readonly Lock _lock = new();
    private readonly FileStream _stream;
    private readonly Dictionary<int, (double Test, double Validation)> _completed = [];

    private RamSweepJournal(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    public string Path { get; }

    /// <summary>Points read back when the journal was opened (index -> test and validation accuracy).</summary>
    public IReadOnlyDictionary<int, (double Test, double Validation)> Completed => _completed;

    /// <summary>Lines skipped because they failed their check.</summary>
    public int DamagedLines { get; private set; }

    /// <summary>
    /// Opens (or creates) the journal at <paramref name="path"/> for the run <paramref name="fingerprint"/> of
    /// <paramref name="points"/> points; a journal of another run is an error unless <paramref name="fresh"/> discards it.
    /// </summary>
    public static RamSweepJournal Open(string path, string fingerprint, int points, bool fresh)
    {
        var stream = JournalLine.Open(ref path, fresh);
        var journal = new RamSweepJournal(path, stream);
        try { journal.Load(Magic + fingerprint, points); }
        catch { stream.Dispose(); throw; }
        return journal;
    }

    private void Load(string header, int points)
    {
        var bytes = new byte[_stream.Length];
        _stream.ReadExactly(bytes);
        if (bytes.Length == 0)
        {
            Write(header + "\n");
            return;
        }
        string[] lines = Encoding.UTF8.GetString(bytes).Split('\n');
        if (!lines[0].StartsWith(Magic, StringComparison.Ordinal))
            throw new FileFormatException(Path, "not a Mbi sweep-ram journal", "Write to another folder, or delete it (--fresh) to replace it");
        if (lines[0] != header)
            throw new BadInputException($"{Path} holds points of a different sweep (other options or seed): rerun with the options that " +
                "wrote it to continue it, or discard it with --fresh, or write to another folder.");
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            if (TryParse(lines[i], out int index, out var point)) { if (index < points) _completed[index] = point; }
            else DamagedLines++;
        }
        _stream.Seek(0, SeekOrigin.End);
        if (bytes[^1] != (byte)'\n') Write("\n"); // a torn last line: the next record starts clean
    }

    /// <summary>Records finished point <paramref name="index"/> and flushes it to disk.</summary>
    public void Append(int index, double test, double validation)
    {
        string text = string.Join('\t', index.ToString(CultureInfo.InvariantCulture), Bits(test), Bits(validation));
        lock (_lock) Write(JournalLine.Signed(text));
    }

    private void Write(string text)
    {
        _stream.Write(Encoding.UTF8.GetBytes(text));
        _stream.Flush(flushToDisk: true);
    }

    private static string Bits(double v) => JournalLine.Bits(v);

    private static bool TryParse(string line, out int index, out (double, double) point)
    {
        index = -1; point = default;
        if (!JournalLine.TryVerify(line, out string body)) return false;
        string[] f = body.Split('\t');
        if (f.Length != 3 || !int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out index)) return false;
        var v = new double[2];
        for (int i = 0; i < 2; i++)
        {
            if (!long.TryParse(f[i + 1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long bits)) return false;
            v[i] = BitConverter.Int64BitsToDouble(bits);
        }
        point = (v[0], v[1]);
        return true;
    }


    public void Dispose() => _stream.Dispose();
}
