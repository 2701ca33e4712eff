using System.Diagnostics;
using Mbi.Circuit.Engine;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Tests;

internal static partial class TestAssets
{
    /// <summary>Ignores the test, with the reason, where ngspice's shared library cannot be found.</summary>
    public static void RequireNgspice()
    {
        try
        {
            NgSpiceNative.LocateLibrary();
        }
        catch (EngineMissingException e)
        {
            Assert.Ignore($"ngspice shared library not available: {e.Message}");
        }
    }

    /// <summary>A started engine, or the test is ignored where ngspice is missing.</summary>
    public static NgSpiceEngine StartNgspice()
    {
        RequireNgspice();
        return NgSpiceEngine.Start();
    }

    /// <summary>The ngspice command line (for `ngspice -b deck.cir` checks), or the test is ignored.</summary>
    public static string NgspiceCommand()
    {
        string? path = FindOnPath("ngspice");
        if (path is null) Assert.Ignore("the ngspice command is not on PATH (apt-get install ngspice); the shared library alone cannot run a deck in batch mode");
        return path!;
    }

    /// <summary>
    /// Runs `ngspice -b <paramref name="deck"/>` (a self-contained deck, absolute path) from a folder of its own whose
    /// .spiceinit sets one thread, as the engine does (NgSpiceEngine: `set num_threads=1`), and returns its exit code and
    /// output. ngspice's default OpenMP threads busy-wait: measured on the loaded 2-core VM, a 4-column staircase deck took
    /// 57 s of CPU (248 s wall) that way against 3.8 s (20 s wall) on one thread, the same .meas values.
    /// The test is ignored where the command is missing.
    /// </summary>
    public static (int ExitCode, string Stdout, string Stderr) RunNgspiceBatch(string deck)
    {
        string ngspice = NgspiceCommand();
        string folder = Path.Combine(Path.GetTempPath(), $"mbi-ngspice-b-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, ".spiceinit"), "set num_threads=1\n");
            var start = new ProcessStartInfo(ngspice, ["-b", Path.GetFullPath(deck)])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder,
            };
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout, stderr.Result);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
