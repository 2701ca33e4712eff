using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mbi.Core.Errors;

namespace Mbi.Algorithm.Memorization.Keys;

/// <summary>Which distance kernel runs: the widest the machine supports unless a caller forces one.</summary>
public enum DistanceKernelPath
{
    /// <summary>POPCNT loop, one key at a time: runs anywhere.</summary>
    Scalar,
    /// <summary>Portable System.Numerics.Vector&lt;T&gt; path (SWAR popcount), any SIMD width the JIT offers.</summary>
    Vector,
    /// <summary>x86 AVX2 + FMA: nibble-table popcount with vpshufb/vpsadbw on 4 keys per vector.</summary>
    Avx2,
    /// <summary>x86 AVX-512 BW/DQ: the same on 8 keys per vector, with a vectorised running minimum.</summary>
    Avx512,
}

/// <summary>The SIMD paths of <see cref="DistanceKernel"/>.</summary>
public sealed partial class DistanceKernel
{
    /// <summary>The environment variable that picks the path (scalar, vector, avx2, avx512); unset = the widest.</summary>
    public const string PathVariable = "MBI_KERNEL";

    /// <summary>The widest path this machine runs.</summary>
    public static DistanceKernelPath WidestPath { get; } =
        IsSupported(DistanceKernelPath.Avx512) ? DistanceKernelPath.Avx512
        : IsSupported(DistanceKernelPath.Avx2) ? DistanceKernelPath.Avx2
        : IsSupported(DistanceKernelPath.Vector) ? DistanceKernelPath.Vector
        : DistanceKernelPath.Scalar;

    // The path and whether MBI_KERNEL set it, read together once per process.
    private static readonly Lazy<(DistanceKernelPath Path, bool Forced)> s_chosen = new(() =>
    {
        string? value = Environment.GetEnvironmentVariable(PathVariable);
        return (Choose(value), !string.IsNullOrWhiteSpace(value));
    });

    /// <summary>
    /// The path every kernel runs unless a caller forces one: <see cref="PathVariable"/> if set, else the widest. The widest is
    /// not always the fastest (on an AMD EPYC with AVX-512 the AVX2 path was 7-8 % faster, docs/algorithm/kernels-s8.md); every
    /// path gives the same bits, so the choice changes speed only. A value this machine cannot run is refused.
    /// </summary>
    public static DistanceKernelPath BestPath => s_chosen.Value.Path;

    /// <summary>Whether <see cref="PathVariable"/> chose <see cref="BestPath"/> (false: it is the widest).</summary>
    public static bool BestPathForced => s_chosen.Value.Forced;

    /// <summary>Where <see cref="BestPath"/> came from, for reports: "widest" or "MBI_KERNEL".</summary>
    public static string BestPathSource => BestPathForced ? PathVariable : "widest";

    /// <summary>The path <paramref name="value"/> (an <see cref="PathVariable"/> value) names; null or blank = the widest.</summary>
    internal static DistanceKernelPath Choose(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return WidestPath;
        string supported = string.Join(", ", Enum.GetValues<DistanceKernelPath>().Where(IsSupported).Select(p => p.ToString().ToLowerInvariant()));
        if (!Enum.TryParse(value.Trim(), ignoreCase: true, out DistanceKernelPath path) || !Enum.IsDefined(path) || int.TryParse(value, out _))
            throw BadInputException.For(PathVariable, value, $"one of {supported} (the paths this machine runs), or unset for the widest", "avx2");
        if (!IsSupported(path))
            throw BadInputException.For(PathVariable, value, $"a path this machine runs: {supported}, or unset for the widest", "avx2");
        return path;
    }

    /// <summary>Whether this machine can run <paramref name="path"/>.</summary>
    public static bool IsSupported(DistanceKernelPath path) => path switch
    {
        DistanceKernelPath.Scalar => true,
        DistanceKernelPath.Vector => Vector.IsHardwareAccelerated && KeyTable.BlockRows % Vector<ulong>.Count == 0,
        DistanceKernelPath.Avx2 => Avx2.IsSupported && Fma.IsSupported,
        DistanceKernelPath.Avx512 => Avx512BW.IsSupported && Avx512DQ.IsSupported && Vector512.IsHardwareAccelerated,
        _ => false,
    };
}
