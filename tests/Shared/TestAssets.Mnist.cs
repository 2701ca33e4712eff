using Mbi.Algorithm.Mnist;
using NUnit.Framework;

namespace Mbi.Tests;

internal static partial class TestAssets
{
    private static readonly Lock MnistGate = new();
    private static MnistDataset? s_mnist;

    /// <summary>
    /// The MNIST folder: $MBI_MNIST, else data/mnist (as the CLI looks), else shared/mnist in any folder above the
    /// test binaries (the shared copy beside the clones); null where none holds it.
    /// </summary>
    public static string? FindMnist()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(MnistDataset.EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return Directory.Exists(fromEnvironment) ? fromEnvironment : null;
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            foreach (string candidate in new[] { Path.Combine(dir.FullName, "data", "mnist"), Path.Combine(dir.FullName, "shared", "mnist") })
                if (Directory.Exists(candidate)) return candidate;
        return null;
    }

    /// <summary>The MNIST folder, or the test is ignored with how to provide it.</summary>
    public static string Mnist()
    {
        string? folder = FindMnist();
        if (folder is null) Assert.Ignore($"MNIST not found: set {MnistDataset.EnvironmentVariable} or run `mbi data download` (data/mnist).");
        return folder!;
    }

    /// <summary>All of MNIST, read once per test run.</summary>
    public static MnistDataset RealMnist()
    {
        string folder = Mnist();
        lock (MnistGate) return s_mnist ??= MnistDataset.LoadFolder(folder);
    }
}
