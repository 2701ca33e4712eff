using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Search;
using Mbi.Core.Errors;

namespace Mbi.Algorithm.Memorization;

/// <summary>One image through lookup-only inference: the class of the last lookup, the worst (largest) best-match distance over its glimpses, and the search cost.</summary>
public readonly record struct LookupOutcome(int Class, double MaxDistance, int Levels, int DistanceComputations);

/// <summary>
/// Lookup-only inference (paper Sec. II-B): from the table's initial state, each glimpse senses the quantized
/// patch (the only sensor work), finds the nearest stored key and reads the next hidden state and location
/// from its value; the class is the last lookup's. It holds no network: only the table, a sensor rebuilt from
/// the table's spec, and a search structure. One instance per thread (it reuses its buffers; no allocation per image).
/// </summary>
public sealed class MbiClassifier
{
    private readonly LookupTable _lut;
    private readonly IQuantizedSensor _sensor;
    private readonly INearestKeySearch _search;
    private readonly KeyLayout _layout;
    private readonly byte[] _key;
    private readonly ulong[] _query;

    /// <summary>A classifier over <paramref name="lut"/> with <paramref name="sensor"/> and a search structure built over the same table.</summary>
    public MbiClassifier(LookupTable lut, IQuantizedSensor sensor, INearestKeySearch search)
    {
        if (sensor.Spec != lut.Spec)
            throw new BadInputException($"the sensor's key spec ({sensor.Spec}) differs from the lookup table's ({lut.Spec}).");
        if (search.Kernel.Layout.Spec != lut.Spec || search.Kernel.Layout.Metric != lut.Metric || search.Rows != lut.Rows)
            throw new ArgumentException("the search structure was not built over this lookup table", nameof(search));
        _lut = lut;
        _sensor = sensor;
        _search = search;
        _layout = search.Kernel.Layout;
        _key = new byte[_layout.ElementsPerKey];
        _query = new ulong[_layout.WordsPerKey];
    }

    /// <summary>The lookup table.</summary>
    public LookupTable Table => _lut;
    /// <summary>The search structure (exact scan, k-means tree, or circuit-in-the-loop arrays).</summary>
    public INearestKeySearch Search => _search;

    /// <summary>Classifies one image (ImageSize^2 pixels in [0, 1]) by lookups only.</summary>
    public LookupOutcome Classify(ReadOnlySpan<float> image) => Classify(image, Span<double>.Empty);

    /// <param name="matchDistances">If not empty, receives each glimpse's best-match distance (length >= Glimpses).</param>
    public LookupOutcome Classify(ReadOnlySpan<float> image, Span<double> matchDistances)
    {
        var spec = _lut.Spec;
        int p = spec.PatchElements, e = _layout.ElementsPerKey;
        Span<byte> key = _key;
        _lut.InitialHidden.CopyTo(key[p..]);
        int x = _lut.InitialX, y = _lut.InitialY, cls = 0, levels = 0, computations = 0;
        double worst = 0;
        for (int t = 0; t < spec.Glimpses; t++)
        {
            _sensor.Sense(image, x, y, key[..p]);
            key[e - 2] = (byte)x;
            key[e - 1] = (byte)y;
            _layout.Encode(key, _query);
            SearchResult found = _search.Nearest(_query);
            levels += found.Levels;
            computations += found.DistanceComputations;
            worst = Math.Max(worst, found.Distance);
            if (!matchDistances.IsEmpty) matchDistances[t] = found.Distance;
            _lut.NextHiddenOf(found.Row).CopyTo(key[p..]);
            x = _lut.NextXOf(found.Row);
            y = _lut.NextYOf(found.Row);
            cls = _lut.ClassOf(found.Row);
        }
        return new LookupOutcome(cls, worst, levels, computations);
    }
}
