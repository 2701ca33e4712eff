namespace Mbi.Algorithm.Ram;

/// <summary>
/// Dense-equivalent floating-point work of the RAM: 2 FLOPs per multiply-accumulate of every matrix
/// product. The kernels skip all-zero input rows (ReLU and binary activations), so the work actually done
/// is lower; throughput quoted from these counts is the dense-equivalent rate.
/// </summary>
internal static class RamFlops
{
    /// <summary>Multiply-accumulates of one image's forward pass (every glimpse step, heads, classifier).</summary>
    public static long ForwardMacs(RamConfig c)
    {
        long glimpse = (long)c.PatchElements * c.GlimpseHidden + 2L * c.LocationHidden
                       + (long)(c.GlimpseHidden + c.LocationHidden) * c.GlimpseFeatures;
        long core = (long)(c.Hidden + c.GlimpseFeatures) * c.CoreLayerWidth(0);
        for (int j = 0; j < c.ExtraCoreLayers; j++) core += (long)c.CoreLayerWidth(j) * c.CoreLayerWidth(j + 1);
        long heads = 3L * c.Hidden; // location mean (2) and baseline (1)
        long classifier = c.HeadHidden > 0 ? (long)c.Hidden * c.HeadHidden + (long)c.HeadHidden * c.Classes : (long)c.Hidden * c.Classes;
        return c.Glimpses * (glimpse + core) + (c.Glimpses - 1) * heads + classifier;
    }

    /// <summary>
    /// FLOPs of one image's training step: the forward pass, the weight gradients (same MACs again) and the
    /// input gradients of every layer whose input is not data (patch and location get none).
    /// </summary>
    public static long TrainingFlopsPerImage(RamConfig c)
    {
        long forward = ForwardMacs(c);
        long inputGradients = forward - c.Glimpses * ((long)c.PatchElements * c.GlimpseHidden + 2L * c.LocationHidden)
                              - (c.Glimpses - 1) * 3L * c.Hidden;
        return 2 * (2 * forward + inputGradients);
    }
}
