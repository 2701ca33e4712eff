using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Search;
using Mbi.Core.Errors;

namespace Mbi.Algorithm.Memorization;

/// <summary>
/// One image through lookup-only inference: the class of the last lookup, the worst (largest) best-match distance over
/// its glimpses, how unanimous the vote was (<see cref="Agreement"/>), and the search cost.
/// </summary>
/// <param name="Agreement">
/// In [0, 2]: the winning class's share of the vote weight at the last glimpse, plus the least unanimous non-last
/// glimpse's hidden-state vote (the mean over hidden bits of |sum_j ±w_j| / sum_j w_j). 2 = every voting key agreed
/// everywhere; with one voting key (vote 1, or a search that keeps only the nearest) it is 2.
/// </param>
public readonly record struct LookupOutcome(int Class, double MaxDistance, double Agreement, int Levels, int DistanceComputations);

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
    private readonly NearestSet? _nearest;
    private readonly double[] _voteScratch;

    /// <summary>A classifier over <paramref name="lut"/> with <paramref name="sensor"/> and a search structure built over the same table.</summary>
    /// <param name="vote">
    /// 1 (the paper's MBI): each glimpse takes the nearest key's value. k &gt; 1: the k nearest keys the search compared
    /// vote, each weighted 1 / (1 + d - d_nearest): bit by bit for the next hidden state, by weighted mode for the next
    /// location and the class, ties to the nearest key. No extra key is compared (the set is kept from the rows the search
    /// scans); k values are read instead of one.
    /// </param>
    public MbiClassifier(LookupTable lut, IQuantizedSensor sensor, INearestKeySearch search, int vote = 1)
    {
        if (vote < 1 || vote > MaxVote)
            throw BadInputException.For("vote", vote, $"between 1 and {MaxVote} (1 = the nearest key alone, the paper's)", "5");
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
        Vote = vote;
        _nearest = vote > 1 ? new NearestSet(vote) : null;
        _voteScratch = new double[vote];
    }

    /// <summary>Largest number of voting keys (one array's rows).</summary>
    public const int MaxVote = 32;

    /// <summary>How many nearest keys vote on each glimpse's value (1 = the nearest alone).</summary>
    public int Vote { get; }

    /// <summary>The lookup table.</summary>
    public LookupTable Table => _lut;
    /// <summary>The search structure (exact scan, k-means tree, or circuit-in-the-loop arrays).</summary>
    public INearestKeySearch Search => _search;

    /// <summary>Classifies one image (ImageSize^2 pixels in [0, 1]) by lookups only.</summary>
    public LookupOutcome Classify(ReadOnlySpan<float> image) => Classify(image, Span<double>.Empty);

    /// <param name="matchDistances">If not empty, receives each glimpse's best-match distance (length >= Glimpses).</param>
    public LookupOutcome Classify(ReadOnlySpan<float> image, Span<double> matchDistances) => Classify(image, matchDistances, Span<GlimpseTrace>.Empty);

    /// <param name="matchDistances">If not empty, receives each glimpse's best-match distance (length >= Glimpses).</param>
    /// <param name="trace">
    /// If not empty, receives what each glimpse's lookup saw (length >= Glimpses; <see cref="GlimpseTrace"/>), the learned
    /// gate's inputs. Recording reads only values the lookup already has and changes no result.
    /// </param>
    public LookupOutcome Classify(ReadOnlySpan<float> image, Span<double> matchDistances, Span<GlimpseTrace> trace)
    {
        var spec = _lut.Spec;
        int p = spec.PatchElements, e = _layout.ElementsPerKey;
        Span<byte> key = _key;
        _lut.InitialHidden.CopyTo(key[p..]);
        int x = _lut.InitialX, y = _lut.InitialY, cls = 0, levels = 0, computations = 0;
        double worst = 0, hiddenAgreement = 1, classAgreement = 1;
        for (int t = 0; t < spec.Glimpses; t++)
        {
            _sensor.Sense(image, x, y, key[..p]);
            key[e - 2] = (byte)x;
            key[e - 1] = (byte)y;
            _layout.Encode(key, _query);
            SearchResult found = _nearest is null ? _search.Nearest(_query) : _search.NearestK(_query, _nearest);
            levels += found.Levels;
            computations += found.DistanceComputations;
            worst = Math.Max(worst, found.Distance);
            if (!matchDistances.IsEmpty) matchDistances[t] = found.Distance;
            if (_nearest is null || _nearest.Count == 1)
            {
                _lut.NextHiddenOf(found.Row).CopyTo(key[p..]);
                x = _lut.NextXOf(found.Row);
                y = _lut.NextYOf(found.Row);
                cls = _lut.ClassOf(found.Row);
                // One voter: the last voter is the nearest, every agreement is 1, and the one voter carries the class.
                if (!trace.IsEmpty) trace[t] = new GlimpseTrace(found.Distance, found.Distance, 1, 1, cls, cls, 1);
            }
            else
            {
                cls = Combine(_lut, _nearest.Rows, _nearest.Distances, key.Slice(p, spec.HiddenBits), out x, out y,
                    out double stepHidden, out double stepClass, _voteScratch);
                // The hidden state handed on matters at every glimpse but the last; the class only at the last.
                if (t < spec.Glimpses - 1) hiddenAgreement = Math.Min(hiddenAgreement, stepHidden);
                else classAgreement = stepClass;
                if (!trace.IsEmpty) trace[t] = Traced(found.Distance, stepHidden, stepClass, cls);
            }
        }
        return new LookupOutcome(cls, worst, classAgreement + hiddenAgreement, levels, computations);
    }

    /// <summary>A voted glimpse's trace: the last voter's distance, the nearest row's class, the voters carrying <paramref name="cls"/>.</summary>
    private GlimpseTrace Traced(double distance, double hiddenAgreement, double classAgreement, int cls)
    {
        var rows = _nearest!.Rows;
        int winners = 0;
        foreach (int row in rows)
            if (_lut.ClassOf(row) == cls) winners++;
        return new GlimpseTrace(distance, _nearest.Distances[rows.Length - 1], hiddenAgreement, classAgreement, cls, _lut.ClassOf(rows[0]), winners);
    }

    /// <summary>
    /// The weighted vote of the keys <paramref name="rows"/> (ascending <paramref name="distances"/>, the nearest first):
    /// writes the next hidden state (bitwise weighted majority) and location (weighted mode) and returns the class
    /// (weighted mode); every tie goes to the nearest key's value. Also says how unanimous the vote was, from the same
    /// values: <paramref name="hiddenAgreement"/> = the mean over bits of |sum_j ±w_j| / sum_j w_j (1 = every key agrees
    /// on every bit, 0 = every bit tied), <paramref name="classAgreement"/> = the winning class's share of the weight.
    /// </summary>
    internal static int Combine(LookupTable lut, ReadOnlySpan<int> rows, ReadOnlySpan<double> distances, Span<byte> hidden,
        out int x, out int y, out double hiddenAgreement, out double classAgreement, Span<double> scratch)
    {
        int k = rows.Length, h = hidden.Length;
        Span<double> w = scratch[..k];
        double total = 0;
        for (int j = 0; j < k; j++)
        {
            w[j] = 1.0 / (1.0 + distances[j] - distances[0]);
            total += w[j];
        }
        ReadOnlySpan<byte> nearestHidden = lut.NextHiddenOf(rows[0]);
        hiddenAgreement = 0;
        for (int b = 0; b < h; b++)
        {
            double s = 0;
            for (int j = 0; j < k; j++) s += lut.NextHiddenOf(rows[j])[b] != 0 ? w[j] : -w[j];
            hidden[b] = s > 0 ? (byte)1 : s < 0 ? (byte)0 : nearestHidden[b];
            hiddenAgreement += Math.Abs(s) / total;
        }
        hiddenAgreement /= h; // summed first, so a unanimous vote gives exactly 1 for any h
        int bestLocation = 0, bestClass = 0;
        double locationWeight = double.NegativeInfinity, classWeight = double.NegativeInfinity;
        for (int j = 0; j < k; j++)
        {
            double sameLocation = 0, sameClass = 0;
            for (int i = 0; i < k; i++)
            {
                if (lut.NextXOf(rows[i]) == lut.NextXOf(rows[j]) && lut.NextYOf(rows[i]) == lut.NextYOf(rows[j])) sameLocation += w[i];
                if (lut.ClassOf(rows[i]) == lut.ClassOf(rows[j])) sameClass += w[i];
            }
            if (sameLocation > locationWeight) { locationWeight = sameLocation; bestLocation = j; }
            if (sameClass > classWeight) { classWeight = sameClass; bestClass = j; }
        }
        x = lut.NextXOf(rows[bestLocation]);
        y = lut.NextYOf(rows[bestLocation]);
        classAgreement = classWeight / total;
        return lut.ClassOf(rows[bestClass]);
    }
}
