using System.Globalization;
using System.Text;

namespace Mbi.Core.IO;

/// <summary>
/// The one format of a journal's records (die journals of mc, cosim and the sweep-ram points): a record is its text, a tab
/// and a 64-bit FNV-1a check of the text in hex, then a newline; a line whose check fails is damaged and skipped by the
/// reader. Also opens a journal's file: created with its folder, appended to in place, readable by others while written.
/// </summary>
public static class JournalLine
{
    /// <summary>The record of <paramref name="text"/> as written: text, tab, check, newline.</summary>
    public static string Signed(string text) => text + "\t" + Check(text) + "\n";

    /// <summary>The text of a written record (without its newline) whose check holds; false for a damaged line.</summary>
    public static bool TryVerify(string line, out string text)
    {
        int cut = line.LastIndexOf('\t');
        text = cut < 0 ? "" : line[..cut];
        return cut >= 0 && line[(cut + 1)..] == Check(text);
    }

    /// <summary>A double as the hex of its bits, so a journal gives back the same value bit for bit.</summary>
    public static string Bits(double value) => BitConverter.DoubleToInt64Bits(value).ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>
    /// Opens (or creates, with its folder) the journal file at <paramref name="path"/> (made absolute) for reading and
    /// appending; <paramref name="fresh"/> deletes an existing one first.
    /// </summary>
    public static FileStream Open(ref string path, bool fresh)
    {
        path = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (fresh && File.Exists(path)) File.Delete(path);
        return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
    }

    private static string Check(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text)) { hash ^= b; hash *= 1099511628211UL; }
        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }
}
