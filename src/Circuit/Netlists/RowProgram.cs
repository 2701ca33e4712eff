using Mbi.Core.Errors;

namespace Mbi.Circuit.Netlists;

/// <summary>
/// One precharge-evaluate-share cycle of the selected row: the element precision p (1 = hidden-state
/// bits, 2 = patch elements stored as MSB,LSB column pairs) and the query bit of every column.
/// </summary>
internal sealed record RowCycle(int BitsPerElement, IReadOnlyList<bool> Query);

/// <summary>
/// What one row transient does: the key stored in the selected row (one bit per column) and the
/// cycles run back to back in one ngspice transient. Running many queries against one stored key in
/// one transient is how the array is used (the key stays, the query changes) and avoids a parse and
/// an operating point per query.
/// </summary>
internal sealed record RowProgram
{
    public RowProgram(IReadOnlyList<bool> key, IReadOnlyList<RowCycle> cycles)
    {
        if (key.Count == 0) throw BadInputException.For("array.columns", 0, ">= 1", "32");
        if (cycles.Count == 0) throw new BadInputException("a row program needs at least one cycle (query).");
        foreach (var cycle in cycles)
        {
            if (cycle.Query.Count != key.Count)
                throw new BadInputException($"a query has {cycle.Query.Count} bits but the key has {key.Count}; they must match the column count.");
            if (cycle.BitsPerElement is < 1 or > 8 || key.Count % cycle.BitsPerElement != 0)
                throw BadInputException.For("bits per element", cycle.BitsPerElement, $"between 1 and 8 and divide the column count {key.Count}", "2");
        }
        Key = key.ToArray();
        Cycles = cycles.ToArray();
    }

    public IReadOnlyList<bool> Key { get; }
    public IReadOnlyList<RowCycle> Cycles { get; }
    public int Columns => Key.Count;

    /// <summary>
    /// Precharge voltage of column c for p-bit elements: a column holding bit j (0 = LSB) gets
    /// VPmax / 2^(p-j-1). Columns are stored MSB first within an element, so j = p-1-(c mod p).
    /// </summary>
    public static double PrechargeVolts(int column, int bitsPerElement, double vpMaxVolts) =>
        vpMaxVolts / (1 << (column % bitsPerElement));

    /// <summary>Bit-weighted distance sum_i sum_j |k_ij - q_ij| 2^j of a cycle's query to the key.</summary>
    public int Distance(int cycle)
    {
        var c = Cycles[cycle];
        int distance = 0;
        for (int column = 0; column < Columns; column++)
            if (Key[column] != c.Query[column])
                distance += 1 << (c.BitsPerElement - 1 - column % c.BitsPerElement);
        return distance;
    }
}
