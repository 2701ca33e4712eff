using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
    /// <summary>The widest path this machine runs.</summary>
    public static DistanceKernelPath BestPath { get; } =
        IsSupported(DistanceKernelPath.Avx512) ? DistanceKernelPath.Avx512
        : IsSupported(DistanceKernelPath.Avx2) ? DistanceKernelPath.Avx2
        : IsSupported(DistanceKernelPath.Vector) ? DistanceKernelPath.Vector
        : DistanceKernelPath.Scalar;

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
