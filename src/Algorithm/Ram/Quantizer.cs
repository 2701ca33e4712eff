namespace Mbi.Algorithm.Ram;

/// <summary>
/// Uniform quantizers used in the forward pass (straight-through in the backward pass).
/// Bits = 0 means full precision everywhere.
/// </summary>
internal static class Quantizer
{
    /// <summary>Level of a value in [0, 1] on a (2^bits)-level uniform grid: round(v * (2^bits - 1)), clamped.</summary>
    public static int Level(float value, int bits)
    {
        int top = (1 << bits) - 1;
        int level = (int)MathF.Floor(value * top + 0.5f);
        return Math.Clamp(level, 0, top);
    }

    /// <summary>The value a level stands for: level / (2^bits - 1).</summary>
    public static float Value(int level, int bits) => level / (float)((1 << bits) - 1);

    /// <summary>Rounds a value in [0, 1] to its grid value (identity when bits = 0).</summary>
    public static float Round(float value, int bits) => bits == 0 ? value : Value(Level(value, bits), bits);

    /// <summary>
    /// The hidden-state activation: full precision is ReLU; with b bits it is clip(pre, 0, 1) rounded to
    /// 2^b levels (1 bit: 1 when pre > 0.5). Returns the value; <paramref name="gradientGate"/> is the
    /// straight-through derivative (1 inside the clipping window, 0 outside).
    /// </summary>
    public static float Activate(float pre, int bits, out float gradientGate)
    {
        if (bits == 0)
        {
            gradientGate = pre > 0f ? 1f : 0f;
            return pre > 0f ? pre : 0f;
        }
        gradientGate = pre > 0f && pre < 1f ? 1f : 0f;
        float clipped = Math.Clamp(pre, 0f, 1f);
        return Value(Level(clipped, bits), bits);
    }

    /// <summary>
    /// The straight-through derivative the backward pass uses: <see cref="Activate"/>'s gate, or with <paramref name="triangle"/>
    /// and a 1-bit state the triangle 2 - 4 |pre - 0.5| on the same window 0 &lt; pre &lt; 1 (its area is 1, as the box's).
    /// </summary>
    public static float StraightThrough(float pre, int bits, bool triangle)
    {
        Activate(pre, bits, out float gate);
        return triangle && bits == 1 ? gate * (2f - 4f * MathF.Abs(pre - 0.5f)) : gate;
    }
}

/// <summary>
/// The location grid: <see cref="Levels"/> points per axis, index 0 at -1 and the last at +1.
/// Levels = 0 leaves locations continuous.
/// </summary>
internal readonly record struct LocationGrid(int Levels)
{
    public bool IsContinuous => Levels == 0;

    public int Index(float l)
    {
        int top = Levels - 1;
        int index = (int)MathF.Floor((Math.Clamp(l, -1f, 1f) + 1f) * 0.5f * top + 0.5f);
        return Math.Clamp(index, 0, top);
    }

    public float Value(int index) => -1f + 2f * index / (Levels - 1);

    /// <summary>Snaps a location coordinate to the grid (identity when continuous), after clipping to [-1, 1].</summary>
    public float Snap(float l) => IsContinuous ? Math.Clamp(l, -1f, 1f) : Value(Index(l));

    /// <summary>The grid index of the centre, 0 (with an even number of levels, the one just above it).</summary>
    public int CentreIndex => Index(0f);
}
