using System.Globalization;
using Mbi.Algorithm.Ram;
using Mbi.Core.Errors;

namespace Mbi.Algorithm.Memorization;

/// <summary>
/// How a training image is moved before its lookup chain is recorded as fit queries (<see cref="FitQueryRecorder"/>): a
/// shift by whole pixels (zeros shifted in), or a rotation or scaling about the image centre (bilinear, zero outside the
/// frame, <see cref="AffineWarp"/>). The unmoved image is the shift (0, 0). Pure functions of the image: no random draw.
/// </summary>
public readonly record struct FitMove(int Dx, int Dy, double Degrees, double Scale)
{
    /// <summary>A shift by (<paramref name="dx"/>, <paramref name="dy"/>) pixels.</summary>
    public static FitMove Shift(int dx, int dy) => new(dx, dy, 0, 1);

    /// <summary>A rotation by <paramref name="degrees"/> (counter-clockwise as displayed) about the centre.</summary>
    public static FitMove Rotate(double degrees) => new(0, 0, degrees, 1);

    /// <summary>A scaling by <paramref name="factor"/> about the centre.</summary>
    public static FitMove Zoom(double factor) => new(0, 0, 0, factor);

    private bool IsShift => Degrees == 0 && Scale == 1;

    /// <summary>Writes the moved <paramref name="image"/> (<paramref name="side"/> x <paramref name="side"/>) into <paramref name="destination"/>.</summary>
    public void Apply(ReadOnlySpan<float> image, Span<float> destination, int side)
    {
        if (IsShift) Distiller.Shift(image, destination, side, Dx, Dy);
        else AffineWarp.Apply(image, side, Degrees * Math.PI / 180, Scale, destination);
    }

    /// <summary>"(1,0)", "rotate 10", "scale 0.9".</summary>
    public override string ToString() =>
        IsShift ? $"({Dx},{Dy})"
        : Scale == 1 ? string.Create(CultureInfo.InvariantCulture, $"rotate {Degrees:0.###}")
        : string.Create(CultureInfo.InvariantCulture, $"scale {Scale:0.###}");
}

/// <summary>The named sets of moves that `mbi fit-queries --moves` takes, in the order they are recorded.</summary>
public static class FitMoves
{
    /// <summary>One pixel along the axes: +x, -x, +y, -y.</summary>
    public static readonly IReadOnlyList<FitMove> Axes = [FitMove.Shift(1, 0), FitMove.Shift(-1, 0), FitMove.Shift(0, 1), FitMove.Shift(0, -1)];

    /// <summary>One pixel along the diagonals.</summary>
    public static readonly IReadOnlyList<FitMove> Diagonals = [FitMove.Shift(1, 1), FitMove.Shift(-1, -1), FitMove.Shift(1, -1), FitMove.Shift(-1, 1)];

    /// <summary>Two pixels along the axes.</summary>
    public static readonly IReadOnlyList<FitMove> TwoPixel = [FitMove.Shift(2, 0), FitMove.Shift(-2, 0), FitMove.Shift(0, 2), FitMove.Shift(0, -2)];

    /// <summary>What the --moves list accepts, for messages.</summary>
    public const string Vocabulary = "axes, diagonals, two-pixel, none, rotate:DEG (+DEG and -DEG, 0 < DEG <= 45), scale:F (1+F and 1-F, 0 < F <= 0.5)";

    /// <summary>The first <paramref name="directions"/> one-pixel shifts then two-pixel steps: 4 the axes, 8 also the diagonals, 12 also two pixels.</summary>
    public static IReadOnlyList<FitMove> Directions(int directions) => directions switch
    {
        4 => Axes,
        8 => [.. Axes, .. Diagonals],
        12 => [.. Axes, .. Diagonals, .. TwoPixel],
        _ => throw BadInputException.For("shift directions", directions, "4 (the axes), 8 (also the diagonals) or 12 (also two-pixel steps)", "4"),
    };

    /// <summary>
    /// Parses a comma-separated list of <see cref="Vocabulary"/> (e.g. "axes,diagonals,two-pixel,none,rotate:10"), in that
    /// order; refuses unknown names, out-of-range amounts and a move named twice, naming the fix.
    /// </summary>
    public static IReadOnlyList<FitMove> Parse(string list)
    {
        var moves = new List<FitMove>();
        foreach (string raw in list.Split(','))
        {
            string item = raw.Trim();
            string[] parts = item.Split(':');
            IReadOnlyList<FitMove> add = parts[0] switch
            {
                "axes" when parts.Length == 1 => Axes,
                "diagonals" when parts.Length == 1 => Diagonals,
                "two-pixel" when parts.Length == 1 => TwoPixel,
                "none" when parts.Length == 1 => [FitMove.Shift(0, 0)],
                "rotate" when parts.Length == 2 && Amount(parts[1], 45) is double d => [FitMove.Rotate(d), FitMove.Rotate(-d)],
                "scale" when parts.Length == 2 && Amount(parts[1], 0.5) is double f => [FitMove.Zoom(1 + f), FitMove.Zoom(1 - f)],
                _ => throw BadInputException.For("moves", list, $"a comma-separated list of {Vocabulary}; '{item}' is not one", "axes,diagonals"),
            };
            foreach (var m in add)
            {
                if (moves.Contains(m))
                    throw BadInputException.For("moves", list, $"each move once ({m} is named twice)", "axes,diagonals");
                moves.Add(m);
            }
        }
        return moves;
    }

    private static double? Amount(string text, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && v <= max ? v : null;
}
