using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mbi.Algorithm.Numerics;

/// <summary>
/// The one matrix kernel training needs, on flat row-major float arrays with strides:
/// C[m, n] (+)= sum_k A[m*aRow + k*aCol] * B[k*ldb + n]. With aCol = 1 that is C = A·B; with
/// aRow = 1, aCol = lda it is C = Aᵀ·B (weight gradients). Register-blocked 4 rows x 16 columns with
/// fused multiply-add; every C element is accumulated over k in increasing order with one FMA per
/// term whatever the block it falls in, so one row alone gives bit-for-bit what it gives inside a batch.
/// A k-step whose four A values are all zero is skipped (ReLU and binary activations are sparse);
/// that adds exactly zero, so it changes no bits.
/// </summary>
internal static class Gemm
{
    public static void Multiply(int rows, int columns, int depth,
        ReadOnlySpan<float> a, int aRowStride, int aColumnStride,
        ReadOnlySpan<float> b, int bRowStride,
        Span<float> c, int cRowStride, bool accumulate)
    {
        Debug.Assert(rows >= 0 && columns >= 0 && depth >= 0);
        Debug.Assert(rows == 0 || depth == 0 || a.Length > (rows - 1) * aRowStride + (depth - 1) * aColumnStride);
        Debug.Assert(depth == 0 || b.Length >= (depth - 1) * bRowStride + columns);
        Debug.Assert(rows == 0 || c.Length >= (rows - 1) * cRowStride + columns);
        if (!accumulate)
            for (int m = 0; m < rows; m++) c.Slice(m * cRowStride, columns).Clear();
        if (rows == 0 || columns == 0 || depth == 0) return;

        ref float aRef = ref MemoryMarshal.GetReference(a);
        ref float bRef = ref MemoryMarshal.GetReference(b);
        ref float cRef = ref MemoryMarshal.GetReference(c);
        int m0 = 0;
        if (Fma.IsSupported)
            for (; m0 + 4 <= rows; m0 += 4)
                FourRows(m0, columns, depth, ref aRef, aRowStride, aColumnStride, ref bRef, bRowStride, ref cRef, cRowStride);
        for (; m0 < rows; m0++)
            OneRow(m0, columns, depth, ref aRef, aRowStride, aColumnStride, ref bRef, bRowStride, ref cRef, cRowStride);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourRows(int m0, int columns, int depth, ref float a, int aRow, int aCol,
        ref float b, int ldb, ref float c, int ldc)
    {
        ref float a0 = ref Unsafe.Add(ref a, m0 * aRow);
        ref float a1 = ref Unsafe.Add(ref a0, aRow);
        ref float a2 = ref Unsafe.Add(ref a1, aRow);
        ref float a3 = ref Unsafe.Add(ref a2, aRow);
        ref float c0 = ref Unsafe.Add(ref c, m0 * ldc);
        ref float c1 = ref Unsafe.Add(ref c0, ldc);
        ref float c2 = ref Unsafe.Add(ref c1, ldc);
        ref float c3 = ref Unsafe.Add(ref c2, ldc);
        int n = 0;
        for (; n + 16 <= columns; n += 16)
        {
            var r00 = Vector256.LoadUnsafe(ref c0, (nuint)n); var r01 = Vector256.LoadUnsafe(ref c0, (nuint)(n + 8));
            var r10 = Vector256.LoadUnsafe(ref c1, (nuint)n); var r11 = Vector256.LoadUnsafe(ref c1, (nuint)(n + 8));
            var r20 = Vector256.LoadUnsafe(ref c2, (nuint)n); var r21 = Vector256.LoadUnsafe(ref c2, (nuint)(n + 8));
            var r30 = Vector256.LoadUnsafe(ref c3, (nuint)n); var r31 = Vector256.LoadUnsafe(ref c3, (nuint)(n + 8));
            for (int k = 0; k < depth; k++)
            {
                int ak = k * aCol;
                float x0 = Unsafe.Add(ref a0, ak), x1 = Unsafe.Add(ref a1, ak), x2 = Unsafe.Add(ref a2, ak), x3 = Unsafe.Add(ref a3, ak);
                if (x0 == 0f && x1 == 0f && x2 == 0f && x3 == 0f) continue;
                ref float bk = ref Unsafe.Add(ref b, k * ldb + n);
                var w0 = Vector256.LoadUnsafe(ref bk); var w1 = Vector256.LoadUnsafe(ref bk, 8);
                var v = Vector256.Create(x0); r00 = Fma.MultiplyAdd(v, w0, r00); r01 = Fma.MultiplyAdd(v, w1, r01);
                v = Vector256.Create(x1); r10 = Fma.MultiplyAdd(v, w0, r10); r11 = Fma.MultiplyAdd(v, w1, r11);
                v = Vector256.Create(x2); r20 = Fma.MultiplyAdd(v, w0, r20); r21 = Fma.MultiplyAdd(v, w1, r21);
                v = Vector256.Create(x3); r30 = Fma.MultiplyAdd(v, w0, r30); r31 = Fma.MultiplyAdd(v, w1, r31);
            }
            r00.StoreUnsafe(ref c0, (nuint)n); r01.StoreUnsafe(ref c0, (nuint)(n + 8));
            r10.StoreUnsafe(ref c1, (nuint)n); r11.StoreUnsafe(ref c1, (nuint)(n + 8));
            r20.StoreUnsafe(ref c2, (nuint)n); r21.StoreUnsafe(ref c2, (nuint)(n + 8));
            r30.StoreUnsafe(ref c3, (nuint)n); r31.StoreUnsafe(ref c3, (nuint)(n + 8));
        }
        for (; n + 8 <= columns; n += 8)
        {
            var r0 = Vector256.LoadUnsafe(ref c0, (nuint)n); var r1 = Vector256.LoadUnsafe(ref c1, (nuint)n);
            var r2 = Vector256.LoadUnsafe(ref c2, (nuint)n); var r3 = Vector256.LoadUnsafe(ref c3, (nuint)n);
            for (int k = 0; k < depth; k++)
            {
                int ak = k * aCol;
                float x0 = Unsafe.Add(ref a0, ak), x1 = Unsafe.Add(ref a1, ak), x2 = Unsafe.Add(ref a2, ak), x3 = Unsafe.Add(ref a3, ak);
                if (x0 == 0f && x1 == 0f && x2 == 0f && x3 == 0f) continue;
                var w = Vector256.LoadUnsafe(ref Unsafe.Add(ref b, k * ldb + n));
                r0 = Fma.MultiplyAdd(Vector256.Create(x0), w, r0); r1 = Fma.MultiplyAdd(Vector256.Create(x1), w, r1);
                r2 = Fma.MultiplyAdd(Vector256.Create(x2), w, r2); r3 = Fma.MultiplyAdd(Vector256.Create(x3), w, r3);
            }
            r0.StoreUnsafe(ref c0, (nuint)n); r1.StoreUnsafe(ref c1, (nuint)n);
            r2.StoreUnsafe(ref c2, (nuint)n); r3.StoreUnsafe(ref c3, (nuint)n);
        }
        for (; n < columns; n++)
        {
            float s0 = Unsafe.Add(ref c0, n), s1 = Unsafe.Add(ref c1, n), s2 = Unsafe.Add(ref c2, n), s3 = Unsafe.Add(ref c3, n);
            for (int k = 0; k < depth; k++)
            {
                int ak = k * aCol;
                float w = Unsafe.Add(ref b, k * ldb + n);
                s0 = MathF.FusedMultiplyAdd(Unsafe.Add(ref a0, ak), w, s0);
                s1 = MathF.FusedMultiplyAdd(Unsafe.Add(ref a1, ak), w, s1);
                s2 = MathF.FusedMultiplyAdd(Unsafe.Add(ref a2, ak), w, s2);
                s3 = MathF.FusedMultiplyAdd(Unsafe.Add(ref a3, ak), w, s3);
            }
            Unsafe.Add(ref c0, n) = s0; Unsafe.Add(ref c1, n) = s1; Unsafe.Add(ref c2, n) = s2; Unsafe.Add(ref c3, n) = s3;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OneRow(int m, int columns, int depth, ref float a, int aRow, int aCol,
        ref float b, int ldb, ref float c, int ldc)
    {
        ref float a0 = ref Unsafe.Add(ref a, m * aRow);
        ref float c0 = ref Unsafe.Add(ref c, m * ldc);
        int n = 0;
        if (Fma.IsSupported)
        {
            for (; n + 16 <= columns; n += 16)
            {
                var r0 = Vector256.LoadUnsafe(ref c0, (nuint)n); var r1 = Vector256.LoadUnsafe(ref c0, (nuint)(n + 8));
                for (int k = 0; k < depth; k++)
                {
                    float x = Unsafe.Add(ref a0, k * aCol);
                    if (x == 0f) continue;
                    ref float bk = ref Unsafe.Add(ref b, k * ldb + n);
                    var v = Vector256.Create(x);
                    r0 = Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref bk), r0);
                    r1 = Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref bk, 8), r1);
                }
                r0.StoreUnsafe(ref c0, (nuint)n); r1.StoreUnsafe(ref c0, (nuint)(n + 8));
            }
            for (; n + 8 <= columns; n += 8)
            {
                var r0 = Vector256.LoadUnsafe(ref c0, (nuint)n);
                for (int k = 0; k < depth; k++)
                {
                    float x = Unsafe.Add(ref a0, k * aCol);
                    if (x == 0f) continue;
                    r0 = Fma.MultiplyAdd(Vector256.Create(x), Vector256.LoadUnsafe(ref Unsafe.Add(ref b, k * ldb + n)), r0);
                }
                r0.StoreUnsafe(ref c0, (nuint)n);
            }
        }
        for (; n < columns; n++)
        {
            float s = Unsafe.Add(ref c0, n);
            for (int k = 0; k < depth; k++)
                s = MathF.FusedMultiplyAdd(Unsafe.Add(ref a0, k * aCol), Unsafe.Add(ref b, k * ldb + n), s);
            Unsafe.Add(ref c0, n) = s;
        }
    }

    /// <summary>dst[j*rows + i] = src[i*columns + j]: a rows x columns matrix transposed.</summary>
    public static void Transpose(ReadOnlySpan<float> src, int rows, int columns, Span<float> dst)
    {
        Debug.Assert(src.Length >= rows * columns && dst.Length >= rows * columns);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                dst[j * rows + i] = src[i * columns + j];
    }

    /// <summary>sums[n] += sum over rows of x[m*stride + n]: the bias gradient.</summary>
    public static void AddColumnSums(ReadOnlySpan<float> x, int rows, int columns, Span<float> sums)
    {
        for (int m = 0; m < rows; m++)
            System.Numerics.Tensors.TensorPrimitives.Add(sums[..columns], x.Slice(m * columns, columns), sums[..columns]);
    }
}
