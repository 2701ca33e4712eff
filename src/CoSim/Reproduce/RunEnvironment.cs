using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Kernels = Mbi.Algorithm.Memorization.Keys.DistanceKernel;

namespace Mbi.CoSim.Reproduce;

/// <summary>
/// What a run's report says about where it ran: the source commit (and whether the tree had changes), the machine
/// (CPU model, cores), the operating-system kernel, the distance kernel the lookups ran on (AVX-512, AVX2, ...), the runtime
/// and the load average, so a time in the report can be judged.
/// </summary>
internal sealed record RunEnvironment(string Commit, string Cpu, int Cores, string Kernel, string Runtime, string LoadAverage, DateTime StartedUtc,
    string DistanceKernel = "")
{
    /// <summary>Reads the environment now (git is asked for the commit of the working directory; "unknown" without git).</summary>
    public static RunEnvironment Capture() => new(ReadCommit(), CpuModel(), Environment.ProcessorCount, ReadKernel(), RuntimeInformation.FrameworkDescription, LoadAverageNow(), DateTime.UtcNow,
        DistanceKernelName());

    /// <summary>"Avx2 distance kernel (widest here)" or "Avx2 distance kernel (MBI_KERNEL)": the path every lookup of the run takes.</summary>
    public static string DistanceKernelName() =>
        $"{Kernels.BestPath} distance kernel ({(Kernels.BestPathForced ? Kernels.PathVariable : "widest here")})";

    /// <summary>The 1-minute load average from /proc/loadavg ("n/a" off Linux).</summary>
    public static string LoadAverageNow()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "n/a"; }
        catch (UnauthorizedAccessException) { return "n/a"; }
    }

    private static string ReadKernel()
    {
        try { return "Linux " + File.ReadAllText("/proc/sys/kernel/osrelease").Trim(); }
        catch (IOException) { return RuntimeInformation.OSDescription; }
        catch (UnauthorizedAccessException) { return RuntimeInformation.OSDescription; }
    }

    /// <summary>The processor's model name from /proc/cpuinfo (Linux), or its architecture elsewhere (also `mbi info`'s).</summary>
    internal static string CpuModel()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is var colon and > 0)
                    return line[(colon + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string ReadCommit()
    {
        string? head = Git("rev-parse HEAD");
        if (head is null || head.Length < 12) return "unknown (not a git checkout, or git is not installed)";
        head = head[..12];
        string? status = Git("status -s -uno"); // short format, tracked files only: empty when the tree is clean
        return status is { Length: > 0 } ? head + " with uncommitted changes" : head;
    }

    private static string? Git(string arguments)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", arguments)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            });
            if (git is null) return null;
            string output = git.StandardOutput.ReadToEnd().Trim();
            git.StandardError.ReadToEnd();
            return git.WaitForExit(10_000) && git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // git is not installed: the report says the commit is unknown
        }
    }

    /// <summary>One line for the report.</summary>
    public string Describe(double wallSeconds, string loadAtEnd) => string.Create(CultureInfo.InvariantCulture,
        $"commit {Commit}; {Cpu}, {Cores} cores; {Kernel}; {(DistanceKernel.Length > 0 ? DistanceKernel + "; " : "")}{Runtime}; started {StartedUtc:yyyy-MM-dd HH:mm} UTC, {wallSeconds:F0} s in the program (load average {LoadAverage} at the start, {loadAtEnd} at the end)");
}
