namespace Mbi.Algorithm.Memorization;

/// <summary>
/// How lookup-only inference runs in passes (<see cref="MbiEvaluation.RunPassesStopping"/>): <paramref name="Passes"/> passes
/// at the offsets of <see cref="Ram.EvaluationPasses"/>, and the early stops: after pass 1 when the worst match is within
/// <paramref name="StopDistance"/>, after any pass when the passes' vote leads by <paramref name="StopMargin"/> (null: no
/// such stop). <see cref="One"/> is the paper's single pass.
/// </summary>
public sealed record PassesPlan(int Passes = 1, double? StopDistance = null, double? StopMargin = null)
{
    /// <summary>One pass, no stop.</summary>
    public static PassesPlan One { get; } = new();

    /// <summary>True when an early stop can close images before the last pass.</summary>
    public bool Stops => StopDistance is not null || StopMargin is not null;
}
