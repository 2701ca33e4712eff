using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Core.Randomness;

namespace Mbi.Algorithm.Tests.Memorization;

/// <summary>Seeded random lookup tables for tests: keys drawn around a few prototypes, so they cluster as real glimpses do.</summary>
internal static class RandomTables
{
    public static GlimpseKeySpec SmallSpec(int hiddenBits = 100) =>
        new(patchSize: 3, scales: 2, scaleFactor: 2, patchBits: 2, hiddenBits: hiddenBits, locationLevels: 7, glimpses: 5);

    public static byte[] Elements(GlimpseKeySpec spec, int rows, ulong seed, int prototypes = 20, double noise = 0.1)
    {
        var layout = new KeyLayout(spec, KeyMetric.Manhattan);
        int e = layout.ElementsPerKey;
        var rng = new SeededRandom(seed);
        var protos = new byte[prototypes * e];
        for (int i = 0; i < protos.Length; i++) protos[i] = (byte)rng.NextInt(layout.LevelsOf(i % e));
        var elements = new byte[rows * e];
        for (int r = 0; r < rows; r++)
        {
            int p = rng.NextInt(prototypes);
            for (int i = 0; i < e; i++)
                elements[r * e + i] = rng.NextDouble() < noise ? (byte)rng.NextInt(layout.LevelsOf(i)) : protos[p * e + i];
        }
        return elements;
    }

    public static LookupTable Table(GlimpseKeySpec spec, int rows, ulong seed, KeyMetric metric = KeyMetric.Manhattan)
    {
        var rng = new SeededRandom(seed, 7, 0);
        byte[] keys = Elements(spec, rows, seed);
        var hidden = new byte[rows * spec.HiddenBits];
        for (int i = 0; i < hidden.Length; i++) hidden[i] = (byte)rng.NextInt(2);
        var location = new byte[2 * rows];
        for (int i = 0; i < location.Length; i++) location[i] = (byte)rng.NextInt(spec.LocationLevels);
        var classes = new byte[rows];
        for (int i = 0; i < rows; i++) classes[i] = (byte)rng.NextInt(spec.Classes);
        var initial = new byte[spec.HiddenBits];
        return new LookupTable(spec, rows, keys, hidden, location, classes, initial, spec.LocationLevels / 2, spec.LocationLevels / 2,
            new DistanceWeights(1, 0.5, 2), metric, "random test table");
    }
}
