using Mbi.Algorithm.Memorization.Keys;
using Mbi.Core.Errors;

namespace Mbi.Algorithm.Memorization;

/// <summary>
/// A distilled memorization table: for each row, key = (patch levels, previous hidden bits, location) and
/// value = (next hidden bits, next location, and the class the classifier gives for the next hidden state,
/// which inference reads at the last glimpse). The RAM's step is the same function at every glimpse, so one
/// table serves all steps. It also carries the key spec, the initial state and the distance weights, so
/// lookup-only inference needs nothing else.
/// </summary>
public sealed class LookupTable
{
    private readonly byte[] _keyElements;
    private readonly byte[] _nextHidden;
    private readonly byte[] _nextLocation;
    private readonly byte[] _classes;
    private readonly byte[] _initialHidden;
    private KeyLayout? _layout;

    internal LookupTable(GlimpseKeySpec spec, int rows, byte[] keyElements, byte[] nextHidden, byte[] nextLocation,
        byte[] classes, byte[] initialHidden, int initialX, int initialY, DistanceWeights weights, KeyMetric metric,
        string provenance)
    {
        Spec = spec;
        Rows = rows;
        _keyElements = keyElements;
        _nextHidden = nextHidden;
        _nextLocation = nextLocation;
        _classes = classes;
        _initialHidden = initialHidden;
        (InitialX, InitialY) = (initialX, initialY);
        Weights = weights;
        Metric = metric;
        Provenance = provenance;
        string? problem = Problem();
        if (problem is not null) throw new BadInputException($"inconsistent lookup table: {problem}");
    }

    /// <summary>The key spec (the sensor is rebuilt from it: no network needed).</summary>
    public GlimpseKeySpec Spec { get; }
    /// <summary>Stored key-value rows.</summary>
    public int Rows { get; }
    /// <summary>Grid x of the first glimpse.</summary>
    public int InitialX { get; }
    /// <summary>Grid y of the first glimpse.</summary>
    public int InitialY { get; }
    /// <summary>The weights a, b, c the table is searched with.</summary>
    public DistanceWeights Weights { get; }
    /// <summary>The distance the table is searched with.</summary>
    public KeyMetric Metric { get; }
    /// <summary>How the rows were chosen (model, images, sampling, de-duplication), for reports.</summary>
    public string Provenance { get; }

    /// <summary>The packed key layout of <see cref="Spec"/> and <see cref="Metric"/>.</summary>
    public KeyLayout Layout => _layout ??= new KeyLayout(Spec, Metric);
    /// <summary>Elements per key (stride of <see cref="KeyElements"/>).</summary>
    public int ElementsPerKey => Spec.PatchElements + Spec.HiddenBits + 2;
    /// <summary>Every key's elements, row after row (stride <see cref="ElementsPerKey"/>).</summary>
    public ReadOnlySpan<byte> KeyElements => _keyElements;
    /// <summary>The elements of row <paramref name="row"/>'s key.</summary>
    public ReadOnlySpan<byte> KeyOf(int row) => _keyElements.AsSpan(row * ElementsPerKey, ElementsPerKey);
    /// <summary>The value's next hidden state (0/1 per bit) of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<byte> NextHiddenOf(int row) => _nextHidden.AsSpan(row * Spec.HiddenBits, Spec.HiddenBits);
    /// <summary>The value's next glimpse x of row <paramref name="row"/>.</summary>
    public int NextXOf(int row) => _nextLocation[2 * row];
    /// <summary>The value's next glimpse y of row <paramref name="row"/>.</summary>
    public int NextYOf(int row) => _nextLocation[2 * row + 1];
    /// <summary>The class row <paramref name="row"/> predicts (used at the last glimpse).</summary>
    public int ClassOf(int row) => _classes[row];
    /// <summary>The hidden state before the first glimpse.</summary>
    public ReadOnlySpan<byte> InitialHidden => _initialHidden;
    internal ReadOnlySpan<byte> NextHidden => _nextHidden;
    internal ReadOnlySpan<byte> NextLocations => _nextLocation;
    internal ReadOnlySpan<byte> Classes => _classes;

    /// <summary>Bits of the stored class.</summary>
    public int ClassBits => KeyLayout.BitsFor(Spec.Classes);
    /// <summary>Bits of one value: next hidden state, next location (binary coded), class.</summary>
    public int StoredValueBits => ValueBitsOf(Spec);

    /// <summary>Bits of one value of a table with key spec <paramref name="spec"/>: next hidden state, next location (binary coded), class.</summary>
    public static int ValueBitsOf(GlimpseKeySpec spec) => spec.HiddenBits + 2 * KeyLayout.BitsFor(spec.LocationLevels) + KeyLayout.BitsFor(spec.Classes);
    /// <summary>Bytes of the table as a memory stores it: rows x (key bits + value bits) / 8 (paper: 6.21 MB).</summary>
    public long StorageBytes => ((long)Rows * (Layout.StoredKeyBits + StoredValueBits) + 7) / 8;

    /// <summary>The same table searched with other distance weights or another metric.</summary>
    public LookupTable With(DistanceWeights weights, KeyMetric metric) =>
        new(Spec, Rows, _keyElements, _nextHidden, _nextLocation, _classes, _initialHidden, InitialX, InitialY, weights, metric, Provenance);

    /// <summary>The first <paramref name="rows"/> rows (distillation stores rows in a seeded random order, so this is a uniform subsample).</summary>
    public LookupTable Take(int rows)
    {
        if (rows < 1 || rows > Rows) throw BadInputException.For("lut_rows", rows, $"between 1 and {Rows} (the rows in the table)", Math.Min(Rows, 10000).ToString());
        int h = Spec.HiddenBits, e = ElementsPerKey;
        return new(Spec, rows, _keyElements[..(rows * e)], _nextHidden[..(rows * h)], _nextLocation[..(2 * rows)], _classes[..rows],
            _initialHidden, InitialX, InitialY, Weights, Metric, $"{Provenance}; first {rows} rows");
    }

    internal KeyTable PackKeys() => KeyTable.FromElements(Layout, _keyElements, Rows);

    internal string? Problem()
    {
        int e = ElementsPerKey, h = Spec.HiddenBits;
        if (Rows < 1) return $"{Rows} rows; a table needs at least one";
        if (_keyElements.Length != (long)Rows * e) return $"{_keyElements.Length} key bytes for {Rows} rows of {e}";
        if (_nextHidden.Length != (long)Rows * h) return $"{_nextHidden.Length} hidden-state bytes for {Rows} rows of {h}";
        if (_nextLocation.Length != 2L * Rows) return $"{_nextLocation.Length} location bytes for {Rows} rows";
        if (_classes.Length != Rows) return $"{_classes.Length} classes for {Rows} rows";
        if (_initialHidden.Length != h) return $"initial hidden state of {_initialHidden.Length} bits, spec says {h}";
        if (!InRange(InitialX, Spec.LocationLevels) || !InRange(InitialY, Spec.LocationLevels)) return $"initial location ({InitialX}, {InitialY}) off the {Spec.LocationLevels}-point grid";
        for (int r = 0; r < Rows; r++)
        {
            var key = _keyElements.AsSpan(r * e, e);
            for (int i = 0; i < Spec.PatchElements; i++)
                if (key[i] >= Spec.PatchLevels) return $"row {r}: patch level {key[i]} >= {Spec.PatchLevels}";
            for (int i = Spec.PatchElements; i < Spec.PatchElements + h; i++)
                if (key[i] > 1) return $"row {r}: hidden bit {key[i]}";
            if (key[e - 2] >= Spec.LocationLevels || key[e - 1] >= Spec.LocationLevels) return $"row {r}: key location off the grid";
            if (_nextLocation[2 * r] >= Spec.LocationLevels || _nextLocation[2 * r + 1] >= Spec.LocationLevels) return $"row {r}: next location off the grid";
            if (_classes[r] >= Spec.Classes) return $"row {r}: class {_classes[r]} >= {Spec.Classes}";
        }
        foreach (byte b in _nextHidden) if (b > 1) return $"a next hidden bit is {b}";
        return null;
    }

    private static bool InRange(int v, int levels) => v >= 0 && v < levels;
}
