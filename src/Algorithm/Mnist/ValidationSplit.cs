namespace Mbi.Algorithm.Mnist;

/// <summary>
/// The held-out validation split every MBI command and study uses: the same seeded split everywhere,
/// so tuning never scores on distilled images.
/// </summary>
internal static class ValidationSplit
{
    /// <summary>Training images held out as the validation split unless the caller asks otherwise.</summary>
    public const int DefaultImages = 5000;

    /// <summary>Loads MNIST from <paramref name="mnist"/> (or the default locations) and splits its training set.</summary>
    public static (MnistImages Train, MnistImages Validation) Load(string? mnist, int validation, ulong seed) =>
        MnistDataset.Load(mnist).Train.SplitValidation(validation, seed);
}
