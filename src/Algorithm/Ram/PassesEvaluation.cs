namespace Mbi.Algorithm.Ram;

/// <summary>
/// What <see cref="RamModel.EvaluatePasses"/> measured: the accuracy over <paramref name="Images"/> images classified in up
/// to <paramref name="Passes"/> passes, the early-stop confidence (null: every image ran every pass), how many images
/// stopped after their first pass, and the forward passes (one image, one pass) really run.
/// </summary>
public sealed record PassesEvaluation(double Accuracy, int Images, int Passes, double? StopConfidence, int StoppedAfterFirstPass, long ForwardPasses)
{
    /// <summary>Forward passes per image: the cost of this evaluation in units of one ordinary pass.</summary>
    public double MeanPasses => Images == 0 ? 0 : (double)ForwardPasses / Images;
}
