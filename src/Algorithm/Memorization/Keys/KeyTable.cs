using System.Diagnostics;

namespace Mbi.Algorithm.Memorization.Keys;

/// <summary>
/// Packed keys stored flat in blocks of <see cref="BlockRows"/> rows: word w of the 8 rows of a block lies
/// in 8 consecutive ulongs (one 512-bit vector), so the distance kernel scores 8 keys per instruction.
/// Index of (row, word) = ((row / 8) * WordsPerKey + word) * 8 + row % 8. Rows past <see cref="Rows"/>
/// in the last block are zero and never win (the kernel masks them).
/// </summary>
internal sealed class KeyTable
{
    public const int BlockRows = 8;
    private readonly ulong[] _words;

    public KeyTable(KeyLayout layout, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        Layout = layout;
        Rows = rows;
        _words = new ulong[Blocks(rows) * layout.WordsPerKey * BlockRows];
    }

    /// <summary>Packs <paramref name="rows"/> keys given as elements (stride ElementsPerKey).</summary>
    public static KeyTable FromElements(KeyLayout layout, ReadOnlySpan<byte> elements, int rows)
    {
        var table = new KeyTable(layout, rows);
        Span<ulong> words = stackalloc ulong[layout.WordsPerKey];
        int e = layout.ElementsPerKey;
        for (int r = 0; r < rows; r++)
        {
            layout.Encode(elements.Slice(r * e, e), words);
            table.SetRow(r, words);
        }
        return table;
    }

    public KeyLayout Layout { get; }
    public int Rows { get; }
    public int WordsPerKey => Layout.WordsPerKey;
    internal ulong[] Words => _words;

    public static int Blocks(int rows) => (rows + BlockRows - 1) / BlockRows;

    public void SetRow(int row, ReadOnlySpan<ulong> words)
    {
        Debug.Assert((uint)row < (uint)Rows);
        int w = WordsPerKey, b = row / BlockRows, lane = row % BlockRows;
        for (int i = 0; i < w; i++) _words[((b * w) + i) * BlockRows + lane] = words[i];
    }

    public void CopyRow(int row, Span<ulong> words)
    {
        Debug.Assert((uint)row < (uint)Rows);
        int w = WordsPerKey, b = row / BlockRows, lane = row % BlockRows;
        for (int i = 0; i < w; i++) words[i] = _words[((b * w) + i) * BlockRows + lane];
    }

    /// <summary>Bytes of the packed words (the in-memory search structure, not the binary-coded storage).</summary>
    public long PackedBytes => (long)_words.Length * sizeof(ulong);
}
