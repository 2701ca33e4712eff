using System.Globalization;
using Mbi.Core.Errors;

namespace Mbi.Circuit.MonteCarlo;

/// <summary>
/// One of <see cref="Count"/> parts of a Monte Carlo run, so that the parts run at the same time on different machines
/// (a Slurm job array) and are merged afterwards. Shard K of N (1-based, written "K/N") owns die i when i mod N = K - 1: a
/// fixed function of the die index alone, and die i depends only on (seed, i), so the merged dies are exactly those of a
/// single run, whatever N is.
/// </summary>
public sealed record Shard
{
    /// <summary>The most shards a run can be split into (Slurm's default MaxArraySize is 1001).</summary>
    public const int MaxCount = 10_000;

    /// <summary>Shard <paramref name="index"/> (K, 1-based) of <paramref name="count"/> (N); refused outside 1 &lt;= K &lt;= N &lt;= <see cref="MaxCount"/>.</summary>
    public Shard(int index, int count)
    {
        if (count < 1 || count > MaxCount || index < 1 || index > count)
            throw BadInputException.For("shard", $"{index}/{count}", $"K/N with 1 <= K <= N <= {MaxCount}", "2/4");
        Index = index;
        Count = count;
    }

    /// <summary>K, from 1 to <see cref="Count"/>.</summary>
    public int Index { get; }

    /// <summary>N, the number of shards of the run.</summary>
    public int Count { get; }

    /// <summary>Whether die (or sample) <paramref name="i"/> belongs to this shard.</summary>
    public bool Owns(long i) => i % Count == Index - 1;

    /// <summary>How many of dies 0..<paramref name="samples"/>-1 this shard owns.</summary>
    public int OwnedOf(int samples) => samples / Count + (Index - 1 < samples % Count ? 1 : 0);

    /// <summary>Parses "K/N" (e.g. "2/4").</summary>
    public static Shard Parse(string text)
    {
        string[] parts = text.Trim().Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            throw BadInputException.For("shard", $"'{text}'", $"K/N, two whole numbers with 1 <= K <= N <= {MaxCount}", "2/4");
        return new Shard(index, count);
    }

    /// <summary>"K/N", as the option is written.</summary>
    public override string ToString() => Index.ToString(CultureInfo.InvariantCulture) + "/" + Count.ToString(CultureInfo.InvariantCulture);
}
