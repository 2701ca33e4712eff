namespace Mbi.CoSim.Reproduce;

/// <summary>
/// Sizes of a reproduction run. <see cref="Quick"/> is cut to finish within about 5 minutes on a 2-core
/// machine (few training epochs, a subset of images, few Monte Carlo dies); <see cref="Full"/> is what the
/// paper-scale figures need (tens of minutes to hours). The README a run writes states the sizes it used.
/// </summary>
internal sealed record ReproduceSettings
{
    public required string Name { get; init; }
    /// <summary>Fig. 3: which sweep panels, how many training images and epochs per point.</summary>
    public required string Fig3Panels { get; init; }
    public required bool Fig3GlimpsesOnly { get; init; }
    public required int Fig3TrainImages { get; init; }
    public required int Fig3Epochs { get; init; }
    public required int Fig3TestImages { get; init; }
    /// <summary>Distillation: training images run through the RAM and the LUT row budget.</summary>
    public required int DistillImages { get; init; }
    public required int LutRows { get; init; }
    /// <summary>Fig. 4(a): LUT sizes, Bayesian-optimisation budget, validation images.</summary>
    public required int[] Fig4Sizes { get; init; }
    public required int TuneBudget { get; init; }
    public required int ValidationImages { get; init; }
    public required int TestImages { get; init; }
    /// <summary>Fig. 6(b): Monte Carlo row dies; Fig. 6 accuracy under variation: compact-model dies and their test images.</summary>
    public required int McSamples { get; init; }
    public required int Dies { get; init; }
    public required int DieImages { get; init; }

    public static ReproduceSettings Quick => new()
    {
        Name = "quick",
        Fig3Panels = "a", Fig3GlimpsesOnly = true, Fig3TrainImages = 6000, Fig3Epochs = 2, Fig3TestImages = 1000,
        DistillImages = 12000, LutRows = 30000,
        Fig4Sizes = [2000, 8000, 30000], TuneBudget = 6, ValidationImages = 300,
        TestImages = 1000, McSamples = 2, Dies = 8, DieImages = 200,
    };

    public static ReproduceSettings Full => new()
    {
        Name = "full",
        Fig3Panels = "abc", Fig3GlimpsesOnly = false, Fig3TrainImages = 55000, Fig3Epochs = 5, Fig3TestImages = 10000,
        DistillImages = 55000, LutRows = 300000,
        Fig4Sizes = [10000, 30000, 100000, 300000], TuneBudget = 20, ValidationImages = 2000,
        TestImages = 10000, McSamples = 200, Dies = 100, DieImages = 1000,
    };
}
