namespace Mbi.Algorithm.Search;

/// <summary>
/// The k nearest keys offered so far, ascending by distance, ties to the lower row: what a sorting register of k
/// entries beside an array's ADC keeps while the rows it scans stream past. Reused per lookup (no allocation).
/// </summary>
internal sealed class NearestSet
{
    private readonly int[] _rows;
    private readonly double[] _distances;

    public NearestSet(int capacity)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
        _rows = new int[capacity];
        _distances = new double[capacity];
    }

    public int Capacity => _rows.Length;
    public int Count { get; private set; }
    public ReadOnlySpan<int> Rows => _rows.AsSpan(0, Count);
    public ReadOnlySpan<double> Distances => _distances.AsSpan(0, Count);

    /// <summary>The distance a key must beat to enter (infinite until the set is full).</summary>
    public double Bound => Count < Capacity ? double.PositiveInfinity : _distances[Count - 1];

    public void Clear() => Count = 0;

    public void Offer(int row, double distance)
    {
        int k = Capacity;
        if (Count == k && !Before(distance, row, _distances[k - 1], _rows[k - 1])) return;
        for (int i = 0; i < Count; i++)
            if (_rows[i] == row) return; // a key stored in more than one leaf is one key
        int at = Count < k ? Count++ : k - 1;
        while (at > 0 && Before(distance, row, _distances[at - 1], _rows[at - 1]))
        {
            _distances[at] = _distances[at - 1];
            _rows[at] = _rows[at - 1];
            at--;
        }
        _distances[at] = distance;
        _rows[at] = row;
    }

    /// <summary>Offers <paramref name="distances"/>[i] for row <paramref name="rowIds"/>[i] (or firstRow + i when rowIds is empty).</summary>
    public void OfferAll(ReadOnlySpan<double> distances, ReadOnlySpan<int> rowIds, int firstRow)
    {
        for (int i = 0; i < distances.Length; i++)
            Offer(rowIds.IsEmpty ? firstRow + i : rowIds[firstRow + i], distances[i]);
    }

    private static bool Before(double d, int row, double d2, int row2) => d < d2 || (d == d2 && row < row2);
}
