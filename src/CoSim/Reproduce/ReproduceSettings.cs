namespace Mbi.CoSim.Reproduce;

/// <summary>
/// Sizes of a reproduction run. <see cref="Full"/> is what the paper-scale figures need (an hour and more on a 2-core
/// machine). <see cref="Quick"/> keeps every MBI result at full size (the whole distilled table of the shipped model,
/// all 10,000 test images, pure and mixed MBI, the shipped tree search) and cuts only what cannot fit in about 3 minutes:
/// Fig. 3's training, Fig. 4(a)'s tuning, the SPICE and compact-model die counts. Each cut figure says so beside it.
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
    /// <summary>Fig. 4(a): LUT sizes, Bayesian-optimisation budget, validation images; Fig. 4(a-c): test images.</summary>
    public required int[] Fig4Sizes { get; init; }
    public required int TuneBudget { get; init; }
    public required int ValidationImages { get; init; }
    public required int Fig4TestImages { get; init; }
    /// <summary>Fig. 5, the RAM and the energy per inference: test images.</summary>
    public required int TestImages { get; init; }
    /// <summary>Fig. 6(b): Monte Carlo row dies; Fig. 6 accuracy under variation: compact-model dies and their test images.</summary>
    public required int McSamples { get; init; }
    public required int Dies { get; init; }
    public required int DieImages { get; init; }

    public static ReproduceSettings Quick => new()
    {
        Name = "quick",
        Fig3Panels = "a", Fig3GlimpsesOnly = true, Fig3TrainImages = 6000, Fig3Epochs = 2, Fig3TestImages = 1000,
        DistillImages = 55000, LutRows = 300000,
        Fig4Sizes = [2000, 8000, 30000], TuneBudget = 6, ValidationImages = 300, Fig4TestImages = 1000,
        TestImages = 10000, McSamples = 2, Dies = 8, DieImages = 200,
    };

    public static ReproduceSettings Full => new()
    {
        Name = "full",
        Fig3Panels = "abc", Fig3GlimpsesOnly = false, Fig3TrainImages = 55000, Fig3Epochs = 5, Fig3TestImages = 10000,
        DistillImages = 55000, LutRows = 300000,
        Fig4Sizes = [10000, 30000, 100000, 300000], TuneBudget = 20, ValidationImages = 2000, Fig4TestImages = 10000,
        TestImages = 10000, McSamples = 200, Dies = 100, DieImages = 1000,
    };

    /// <summary>Fig. 3 is cut (fewer points, epochs or images than <see cref="Full"/>): the sentence saying how, or null.</summary>
    public string? Fig3Cut => Fig3Epochs < Full.Fig3Epochs || Fig3TrainImages < Full.Fig3TrainImages || Fig3GlimpsesOnly
        ? $"cut: {(Fig3GlimpsesOnly ? "glimpse points of panel (a) only, " : "")}{Fig3Epochs} epochs on {Fig3TrainImages:N0} images (full size: panels abc, {Full.Fig3Epochs} epochs on {Full.Fig3TrainImages:N0})"
        : null;

    /// <summary>Fig. 4 is cut: the sentence, or null.</summary>
    public string? Fig4Cut => TuneBudget < Full.TuneBudget || ValidationImages < Full.ValidationImages || Fig4TestImages < Full.Fig4TestImages
        ? $"cut: tuned with a budget of {TuneBudget} on {ValidationImages:N0} validation images, sizes {string.Join(", ", Fig4Sizes)}, scored on {Fig4TestImages:N0} test images (full size: budget {Full.TuneBudget} on {Full.ValidationImages:N0}, sizes {string.Join(", ", Full.Fig4Sizes)}, {Full.Fig4TestImages:N0} test images)"
        : null;

    /// <summary>The SPICE Monte Carlo is cut: the sentence, or null.</summary>
    public string? McCut => McSamples < Full.McSamples ? $"cut: {McSamples} SPICE dies (full size: {Full.McSamples})" : null;

    /// <summary>The compact-model dies are cut: the sentence, or null.</summary>
    public string? DiesCut => Dies < Full.Dies || DieImages < Full.DieImages
        ? $"cut: {Dies} compact-model dies x {DieImages:N0} test images (full size: {Full.Dies} x {Full.DieImages:N0})" : null;

    /// <summary>The MBI results (table, test images) are cut: the sentence, or null (quick and full run them at full size).</summary>
    public string? MbiCut => LutRows < Full.LutRows || DistillImages < Full.DistillImages || TestImages < Full.TestImages
        ? $"cut: table of at most {LutRows:N0} rows from {DistillImages:N0} training images, {TestImages:N0} test images (full size: all {Full.DistillImages:N0} training images, {Full.TestImages:N0} test images)"
        : null;
}
