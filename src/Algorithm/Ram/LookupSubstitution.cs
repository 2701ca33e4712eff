using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Search;
using Mbi.Core.Randomness;

namespace Mbi.Algorithm.Ram;

/// <summary>
/// Training with the lookup chain in the loop (scheduled sampling, Bengio et al. 2015, with MBI's lookups as the model's
/// own predictions): with probability p per glimpse, the glimpse goes by a lookup of the nearest stored key to its key
/// (patch levels, the hidden state fed in, grid location). Before the last glimpse h_t is replaced by that key's next
/// hidden state, as MBI hands a neighbour's state on; at the last glimpse the network's step is computed on that key's
/// inputs, since MBI answers with the class stored for it (so the classifier is trained on the neighbour's step). The
/// tables are distilled from a snapshot of the network at the start of each epoch, one from each half of the training
/// images (by index parity); an image searches the other half's table, so it never finds its own keys (at
/// test time no image does). Search: exact, bit-weighted Hamming (the array's metric), a = b = c. A replaced state is a
/// constant of the weights: no gradient flows through it. Deterministic: the draws come from their own per-sample stream
/// ("ram-lookup-substitution"), the tables from the weights, and the exact search breaks ties by row.
/// </summary>
internal sealed class LookupSubstitution
{
    public static readonly ulong StreamId = SeededRandom.StreamId("ram-lookup-substitution");
    private readonly LookupTable[] _tables = new LookupTable[2];
    private readonly INearestKeySearch[] _searches = new INearestKeySearch[2];
    private readonly ThreadLocal<(byte[] Key, ulong[] Query)> _scratch;
    private readonly int _patchBits;
    private readonly LocationGrid _grid;

    private LookupSubstitution(RamModel snapshot, MnistImages train, float probability, ulong seed)
    {
        Probability = probability;
        Seed = seed;
        var step = new QuantizedRamStepModel(snapshot);
        for (int fold = 0; fold < 2; fold++)
        {
            int[] indices = Enumerable.Range(0, train.Count).Where(i => i % 2 == fold).ToArray();
            var table = Distiller.Distill(step, train.Subset(indices), int.MaxValue, seed, "the epoch's snapshot").Table
                .With(DistanceWeights.Unweighted, KeyMetric.BitWeightedHamming);
            _tables[fold] = table;
            _searches[fold] = SearchFactory.Build(table, SearchKind.Brute, new KMeansTreeOptions());
        }
        var layout = _tables[0].Layout;
        _scratch = new ThreadLocal<(byte[], ulong[])>(() => (new byte[layout.ElementsPerKey], new ulong[layout.WordsPerKey]));
        _patchBits = snapshot.Config.PatchBits;
        _grid = new LocationGrid(snapshot.Config.LocationLevels);
    }

    public float Probability { get; }
    public ulong Seed { get; }
    /// <summary>Rows of the two tables (the training images' distinct keys, half each).</summary>
    public int StoredKeys => _tables[0].Rows + _tables[1].Rows;

    /// <summary>Tables of the network as it is now (its weights are copied: later updates do not change them).</summary>
    public static LookupSubstitution FromSnapshot(RamModel model, MnistImages train, float probability, ulong seed) =>
        new(new RamModel(model.Config, (float[])model.Parameters.Clone()), train, probability, seed);

    /// <summary>Whether sample <paramref name="sample"/>'s glimpse <paramref name="t"/> of <paramref name="steps"/> goes by a lookup.</summary>
    public bool Draw(long sample, int t, int steps) =>
        new SeededRandom(Seed, StreamId, (ulong)(sample * steps + t)).NextDouble() < Probability;

    /// <summary>
    /// Writes into <paramref name="hidden"/> the next hidden state (0/1) of the stored key nearest to (patch, previous hidden,
    /// location), searching the table of the half that does not hold image <paramref name="imageIndex"/>.
    /// </summary>
    public void Substitute(int imageIndex, ReadOnlySpan<float> patch, ReadOnlySpan<float> previousHidden, float x, float y, Span<float> hidden)
    {
        var (table, row) = Nearest(imageIndex, patch, previousHidden, x, y);
        ReadOnlySpan<byte> next = table.NextHiddenOf(row);
        for (int i = 0; i < next.Length; i++) hidden[i] = next[i];
    }

    /// <summary>
    /// The last glimpse by a lookup: MBI answers with the class stored for the nearest key, i.e. the network's class on that
    /// key's inputs. Overwrites the glimpse's inputs (patch, previous hidden state, location) with the nearest stored key's,
    /// so the network computes, and is trained on, the step the lookup stands for.
    /// </summary>
    public void SubstituteInputs(int imageIndex, Span<float> patch, Span<float> previousHidden, Span<float> location)
    {
        var (table, row) = Nearest(imageIndex, patch, previousHidden, location[0], location[1]);
        ReadOnlySpan<byte> key = table.KeyOf(row);
        int p = patch.Length, h = previousHidden.Length;
        for (int i = 0; i < p; i++) patch[i] = Quantizer.Value(key[i], _patchBits);
        for (int i = 0; i < h; i++) previousHidden[i] = key[p + i];
        location[0] = _grid.Value(key[p + h]);
        location[1] = _grid.Value(key[p + h + 1]);
    }

    private (LookupTable Table, int Row) Nearest(int imageIndex, ReadOnlySpan<float> patch, ReadOnlySpan<float> previousHidden, float x, float y)
    {
        var (key, query) = _scratch.Value;
        Key(patch, previousHidden, x, y, key);
        int fold = 1 - (imageIndex & 1);
        var table = _tables[fold];
        table.Layout.Encode(key, query);
        return (table, _searches[fold].Nearest(query).Row);
    }

    /// <summary>The key elements of a glimpse as the network holds it: patch levels, hidden bits, grid indices.</summary>
    private void Key(ReadOnlySpan<float> patch, ReadOnlySpan<float> previousHidden, float x, float y, Span<byte> key)
    {
        int p = patch.Length, h = previousHidden.Length;
        for (int i = 0; i < p; i++) key[i] = (byte)Quantizer.Level(patch[i], _patchBits);
        for (int i = 0; i < h; i++) key[p + i] = previousHidden[i] > 0.5f ? (byte)1 : (byte)0;
        key[p + h] = (byte)_grid.Index(x);
        key[p + h + 1] = (byte)_grid.Index(y);
    }

    /// <summary>Whether (patch, previous hidden, location) is the key of some stored row (for tests).</summary>
    internal bool IsStoredKey(ReadOnlySpan<float> patch, ReadOnlySpan<float> previousHidden, float x, float y)
    {
        var (key, _) = _scratch.Value;
        Key(patch, previousHidden, x, y, key);
        foreach (var table in _tables)
            for (int r = 0; r < table.Rows; r++)
                if (table.KeyOf(r).SequenceEqual(key)) return true;
        return false;
    }

    /// <summary>Whether <paramref name="hidden"/> is the next hidden state of some stored row (for tests).</summary>
    internal bool IsStoredNextHidden(ReadOnlySpan<float> hidden)
    {
        foreach (var table in _tables)
            for (int r = 0; r < table.Rows; r++)
            {
                ReadOnlySpan<byte> next = table.NextHiddenOf(r);
                bool same = true;
                for (int i = 0; i < next.Length && same; i++) same = next[i] == hidden[i];
                if (same) return true;
            }
        return false;
    }
}
