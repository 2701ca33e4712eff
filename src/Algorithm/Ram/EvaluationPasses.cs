namespace Mbi.Algorithm.Ram;

/// <summary>
/// Test-time passes: the deterministic policy run M times per image, pass k on the image translated by the fixed whole-pixel
/// offset <see cref="Offset"/>(k), and the M softmax outputs averaged (or, where only classes are known, as in MBI, the M
/// classes voted). Pass 0 is the image as it is, so one pass is the ordinary evaluation. The offsets are a fixed schedule,
/// no random draw: the glimpse sensor reads the image buffer that many pixels from the glimpse centre, so in hardware a pass
/// is an address offset, and M passes cost M times the glimpses (and, in MBI, the lookups) of one.
/// </summary>
internal static class EvaluationPasses
{
    // The centre, its four 1-pixel neighbours, the four diagonals, then the four 2-pixel steps.
    private static readonly (int X, int Y)[] Schedule =
        [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, -1), (1, -1), (-1, 1), (2, 0), (-2, 0), (0, 2), (0, -2)];

    /// <summary>The most passes the schedule holds.</summary>
    public static int Max => Schedule.Length;

    /// <summary>Pass <paramref name="pass"/>'s translation of the image, in pixels (x right, y down).</summary>
    public static (int X, int Y) Offset(int pass) => Schedule[pass];

    /// <summary>The first <paramref name="passes"/> offsets as text, "(0,0) (1,0) ...".</summary>
    public static string Describe(int passes) => string.Join(" ", Schedule.Take(passes).Select(o => $"({o.X},{o.Y})"));

    /// <summary>The first <paramref name="passes"/> offsets as [x, y] pairs (the reports' JSON).</summary>
    public static int[][] Offsets(int passes) => [.. Schedule.Take(passes).Select(o => new[] { o.X, o.Y })];
}
