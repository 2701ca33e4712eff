namespace Mbi.Bench.CoSim;

/// <summary>Finds the repository (models/, config/, MNIST, the characterisation cache) from a benchmark process.</summary>
internal static class BenchPaths
{
    public static string Root()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Mbi.sln"))) return d.FullName;
        for (var d = new DirectoryInfo(Environment.CurrentDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Mbi.sln"))) return d.FullName;
        throw new InvalidOperationException("Mbi.sln not found above the benchmark; run from the repository");
    }

    public static string Cache => Path.Combine(Root(), ".build", "cache");

    public static string? Mnist()
    {
        if (Environment.GetEnvironmentVariable("MBI_MNIST") is { Length: > 0 } env) return env;
        string shared = Path.Combine(Root(), "..", "shared", "mnist");
        return Directory.Exists(shared) ? shared : null;
    }
}
