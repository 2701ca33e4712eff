namespace Mbi.CoSim.Reproduce;

/// <summary>
/// The numbers a reproduction measured (fractions, SI units), beside the text of its README table: what tests
/// check against stated bands and what `mbi reproduce --json` reports. NaN until the stage that measures it ran.
/// </summary>
internal sealed record ReproducedNumbers
{
    /// <summary>The shipped quantized RAM's accuracy on all MNIST test images.</summary>
    public double ShippedRamAccuracy { get; init; } = double.NaN;

    /// <summary>Fig. 4(a): mean accuracy gain (fraction) of the Bayesian-optimised weights over the unweighted distance.</summary>
    public double WeightedDistanceGain { get; init; } = double.NaN;

    /// <summary>Fig. 4(b): average tree levels per lookup.</summary>
    public double TreeLevels { get; init; } = double.NaN;

    /// <summary>Fig. 4(c): mean of tree match distance / brute-force match distance (1 = always the same match distance).</summary>
    public double TreeDistanceRatio { get; init; } = double.NaN;

    /// <summary>Fig. 4(c): fraction of lookups where the tree found the brute-force best match.</summary>
    public double TreeRecallAt1 { get; init; } = double.NaN;

    /// <summary>Fig. 5: lookup-only accuracy on the test images.</summary>
    public double PureMbiAccuracy { get; init; } = double.NaN;

    /// <summary>Fig. 5: the RAM alone on the same test images.</summary>
    public double RamAccuracy { get; init; } = double.NaN;

    /// <summary>Fig. 5: mixed MBI accuracy at the paper's threshold, and the fraction of images lookups served there.</summary>
    public double MixedAccuracyAtPaperThreshold { get; init; } = double.NaN;

    /// <inheritdoc cref="MixedAccuracyAtPaperThreshold"/>
    public double MixedMbiFractionAtPaperThreshold { get; init; } = double.NaN;

    /// <summary>Fig. 6(b): nominal mean 1-bit sum-line step and the smallest step over the SPICE dies.</summary>
    public double NominalStepVolts { get; init; } = double.NaN;

    /// <inheritdoc cref="NominalStepVolts"/>
    public double MinStepVolts { get; init; } = double.NaN;

    /// <summary>Fig. 6(c): energy per 32x32 comparison and per inference (typical), and the comparison band.</summary>
    public double EnergyPerComparisonJoules { get; init; } = double.NaN;

    /// <inheritdoc cref="EnergyPerComparisonJoules"/>
    public double EnergyPerInferenceJoules { get; init; } = double.NaN;

    /// <inheritdoc cref="EnergyPerComparisonJoules"/>
    public double EnergyPerComparisonMinJoules { get; init; } = double.NaN;

    /// <inheritdoc cref="EnergyPerComparisonJoules"/>
    public double EnergyPerComparisonMaxJoules { get; init; } = double.NaN;

    /// <summary>Accuracy under variation: lookup-only accuracy on ideal arrays and the mean over the compact-model dies.</summary>
    public double IdealArrayAccuracy { get; init; } = double.NaN;

    /// <inheritdoc cref="IdealArrayAccuracy"/>
    public double MeanDieAccuracy { get; init; } = double.NaN;
}
