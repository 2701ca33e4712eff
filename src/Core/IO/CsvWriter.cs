using System.Globalization;
using System.Text;

namespace Mbi.Core.IO;

/// <summary>Builds a CSV in memory with invariant formatting and writes it atomically.</summary>
public sealed class CsvWriter
{
    private readonly StringBuilder _text = new();
    private readonly int _columns;

    /// <summary>A CSV whose first line is <paramref name="header"/>.</summary>
    public CsvWriter(params string[] header)
    {
        _columns = header.Length;
        _text.AppendJoin(',', header.Select(Escape)).Append('\n');
    }

    /// <summary>Appends one row (numbers invariant, text quoted where needed); returns this writer.</summary>
    public CsvWriter Row(params object?[] cells)
    {
        if (cells.Length != _columns)
            throw new ArgumentException($"row has {cells.Length} cells, header has {_columns}", nameof(cells));
        _text.AppendJoin(',', cells.Select(Cell)).Append('\n');
        return this;
    }

    /// <summary>The CSV text so far.</summary>
    public override string ToString() => _text.ToString();

    /// <summary>Writes the CSV to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, _text.ToString());

    private static string Cell(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Escape(value.ToString() ?? ""),
    };

    private static string Escape(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";
}
