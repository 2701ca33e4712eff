using Mbi.Core.Randomness;

namespace Mbi.Algorithm.Ram;

/// <summary>
/// Training augmentation: an elastic distortion (Simard, Steinkraus and Platt, ICDAR 2003). Every pixel draws a
/// displacement uniform in [-1, 1] per axis; both fields are smoothed by a Gaussian of <c>sigma</c> pixels (separable,
/// truncated at 3 sigma, zero outside the frame) and scaled by <c>alpha</c>; every output pixel then reads the source
/// bilinearly at its own position plus its displacement (zero outside the frame). A smooth field bends strokes locally the
/// way handwriting varies, which a global rotation or scaling cannot.
/// </summary>
internal sealed class ElasticWarp
{
    private readonly int _size, _radius;
    private readonly float[] _kernel, _dx, _dy, _scratch;

    /// <summary>A workspace for <paramref name="size"/> x <paramref name="size"/> images; nothing is allocated per image.</summary>
    public ElasticWarp(int size, double sigma)
    {
        System.Diagnostics.Debug.Assert(size > 0 && sigma > 0);
        (_size, Sigma) = (size, sigma);
        _radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        _kernel = new float[2 * _radius + 1];
        double sum = 0;
        for (int k = -_radius; k <= _radius; k++) sum += Math.Exp(-k * k / (2 * sigma * sigma));
        for (int k = -_radius; k <= _radius; k++) _kernel[k + _radius] = (float)(Math.Exp(-k * k / (2 * sigma * sigma)) / sum);
        _dx = new float[size * size];
        _dy = new float[size * size];
        _scratch = new float[size * size];
    }

    /// <summary>The smoothing Gaussian's standard deviation, pixels.</summary>
    public double Sigma { get; }

    /// <summary>The horizontal displacement (pixels, + = the output reads farther right) of the last <see cref="Draw"/>.</summary>
    public ReadOnlySpan<float> Dx => _dx;
    /// <summary>The vertical displacement (pixels, + = the output reads farther down) of the last <see cref="Draw"/>.</summary>
    public ReadOnlySpan<float> Dy => _dy;

    /// <summary>Draws a smoothed displacement field of strength <paramref name="alpha"/> from <paramref name="random"/> (x field first, then y).</summary>
    public void Draw(SeededRandom random, double alpha)
    {
        int n = _size * _size;
        for (int i = 0; i < n; i++) _dx[i] = (float)(2 * random.NextDouble() - 1);
        for (int i = 0; i < n; i++) _dy[i] = (float)(2 * random.NextDouble() - 1);
        Smooth(_dx, (float)alpha);
        Smooth(_dy, (float)alpha);
    }

    /// <summary>Sets the field to the constant displacement (<paramref name="dx"/>, <paramref name="dy"/>) (for tests and probes).</summary>
    public void SetConstant(float dx, float dy)
    {
        _dx.AsSpan().Fill(dx);
        _dy.AsSpan().Fill(dy);
    }

    /// <summary>Writes <paramref name="source"/> resampled through the current field into <paramref name="destination"/> (both size x size, not the same buffer).</summary>
    public void Apply(ReadOnlySpan<float> source, Span<float> destination)
    {
        System.Diagnostics.Debug.Assert(source.Length == _size * _size && destination.Length >= _size * _size);
        for (int r = 0; r < _size; r++)
            for (int c = 0; c < _size; c++)
            {
                int i = r * _size + c;
                destination[i] = AffineWarp.Sample(source, _size, c + _dx[i], r + _dy[i]);
            }
    }

    /// <summary>Gaussian smoothing of one field, along rows then along columns (zero outside the frame), times <paramref name="scale"/>.</summary>
    private void Smooth(float[] field, float scale)
    {
        Convolve(field, _scratch, 1, 1f);
        Convolve(_scratch, field, _size, scale);
    }

    /// <summary>One pass of the kernel along the axis whose neighbouring pixels are <paramref name="stride"/> apart (1: along a row).</summary>
    private void Convolve(ReadOnlySpan<float> from, Span<float> to, int stride, float scale)
    {
        int n = _size, radius = _radius;
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
            {
                int position = stride == 1 ? c : r;
                float v = 0;
                for (int k = -radius; k <= radius; k++)
                {
                    int p = position + k;
                    if (p >= 0 && p < n) v += _kernel[k + radius] * from[r * n + c + k * stride];
                }
                to[r * n + c] = scale * v;
            }
    }
}
