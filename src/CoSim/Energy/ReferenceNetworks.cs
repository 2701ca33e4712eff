namespace Mbi.CoSim.Energy;

/// <summary>
/// Multiply-accumulate counts of the reference networks Table I's CIM macros run, counted layer by layer
/// from their published definitions on a 1x28x28 MNIST input. Table I uses them to turn a macro's
/// published efficiency (TOPS/W) into an energy per inference: 2 operations per MAC / efficiency.
/// </summary>
internal static class ReferenceNetworks
{
    /// <summary>Names accepted in config/cim-macros.json ("network_macs").</summary>
    public static IReadOnlyList<string> Names { get; } = ["lenet5-mnist", "resnet20-mnist", "resnet20-cifar10"];

    public static long Macs(string name) => name switch
    {
        "lenet5-mnist" => LeNet5(),
        "resnet20-mnist" => ResNet20(channels: 1, size: 28),
        "resnet20-cifar10" => ResNet20(channels: 3, size: 32),
        _ => throw new ArgumentException($"unknown reference network '{name}'; use one of {string.Join(", ", Names)}", nameof(name)),
    };

    /// <summary>MACs of a convolution producing an out x out x filters map from inputChannels with a k x k kernel.</summary>
    public static long Conv(int outSize, int filters, int inputChannels, int kernel) => (long)outSize * outSize * filters * inputChannels * kernel * kernel;

    /// <summary>
    /// LeNet-5 (LeCun et al. 1998) on MNIST padded to 32x32: C1 6@5x5 -> 28x28, pool, C3 16@5x5 (full
    /// connection to the 6 maps) -> 10x10, pool, then 400-120-84-10 fully connected. Pooling is not counted.
    /// </summary>
    public static long LeNet5() => Conv(28, 6, 1, 5) + Conv(10, 16, 6, 5) + 400 * 120 + 120 * 84 + 84 * 10;

    /// <summary>
    /// ResNet-20 for small images (He et al. 2016, Sec. 4.2): a 3x3 conv to 16 maps, three stages of three basic
    /// blocks (two 3x3 convs each) at 16, 32 and 64 maps, the first conv of stages 2 and 3 with stride 2,
    /// identity shortcuts with zero padding (option A, no MACs), global average pooling and a 64-10 layer.
    /// </summary>
    public static long ResNet20(int channels, int size)
    {
        long macs = Conv(size, 16, channels, 3);
        int s = size;
        int inMaps = 16;
        foreach (int maps in new[] { 16, 32, 64 })
        {
            if (maps != 16) s = (s + 1) / 2;
            for (int conv = 0; conv < 6; conv++)
            {
                macs += Conv(s, maps, conv == 0 ? inMaps : maps, 3);
            }
            inMaps = maps;
        }
        return macs + 64 * 10;
    }

    /// <summary>Energy per inference of a design with the given efficiency: 2 operations per MAC.</summary>
    public static double JoulesPerInference(long macs, double topsPerWatt) => 2.0 * macs / (topsPerWatt * 1e12);
}
