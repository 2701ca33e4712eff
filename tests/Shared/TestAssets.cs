using NUnit.Framework;

namespace Mbi.Tests;

/// <summary>
/// The one place tests find what lives outside them: the repository's files (the shipped model, netlists,
/// config), MNIST (TestAssets.Mnist.cs) and ngspice (TestAssets.Ngspice.cs). Each test project links the parts
/// its references allow (tests/Algorithm knows no SPICE). What is missing makes the test Ignored with the reason
/// and the fix, never passed.
/// </summary>
internal static partial class TestAssets
{
    /// <summary>The clone's root: the first folder above the test binaries that holds Mbi.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Mbi.sln"))) return dir.FullName;
        throw new InvalidOperationException("Mbi.sln not found above " + TestContext.CurrentContext.TestDirectory);
    }

    /// <summary>A file of the repository (e.g. "models/ram-mbi.ram"); the test is ignored where it is absent.</summary>
    public static string RepositoryFile(string relative)
    {
        string path = Path.Combine(RepositoryRoot(), relative);
        if (!File.Exists(path)) Assert.Ignore($"{relative} is not in this clone (git lfs pull, or restore it from git)");
        return path;
    }

    /// <summary>The shipped MBI-configuration RAM, models/ram-mbi.ram.</summary>
    public static string ShippedModel() => RepositoryFile("models/ram-mbi.ram");

    /// <summary>A command on PATH (e.g. "ngspice"), or null.</summary>
    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
