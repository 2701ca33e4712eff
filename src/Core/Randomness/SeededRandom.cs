namespace Mbi.Core.Randomness;

/// <summary>
/// A small, fast, reproducible generator (xoshiro256**), seeded through SplitMix64. Streams are derived
/// from (seed, stream, index) so that sample i of a Monte Carlo run, or worker k of a training run,
/// depends only on those numbers: runs can be split, resumed and parallelised without changing bytes.
/// Not thread-safe: one instance per worker.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpare;

    /// <summary>A generator for <paramref name="seed"/> on stream 0, index 0.</summary>
    public SeededRandom(ulong seed) : this(seed, 0, 0) { }

    /// <param name="seed">The user's seed.</param>
    /// <param name="stream">Which random process (e.g. a hash of its name), so processes do not share draws.</param>
    /// <param name="index">Sample or worker index.</param>
    public SeededRandom(ulong seed, ulong stream, ulong index)
    {
        ulong x = seed;
        x = Mix(x ^ Mix(stream + 0x9E3779B97F4A7C15UL));
        x = Mix(x ^ Mix(index + 0xD1B54A32D192ED03UL));
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    /// <summary>A stable 64-bit id for a process name, for the <c>stream</c> argument.</summary>
    public static ulong StreamId(string name)
    {
        ulong h = 1469598103934665603UL; // FNV-1a
        foreach (char c in name) { h ^= c; h *= 1099511628211UL; }
        return h;
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3; _s2 ^= t; _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, maxExclusive).</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "must be > 0");
        return (int)((NextUInt64() >> 33) * (ulong)maxExclusive >> 31);
    }

    /// <summary>Standard normal draw (Box-Muller, both values used).</summary>
    public double NextGaussian()
    {
        if (_hasSpare) { _hasSpare = false; return _spareGaussian; }
        double u1;
        do { u1 = NextDouble(); } while (u1 <= double.Epsilon);
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareGaussian = r * Math.Sin(2 * Math.PI * u2);
        _hasSpare = true;
        return r * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        return Mix(x);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
