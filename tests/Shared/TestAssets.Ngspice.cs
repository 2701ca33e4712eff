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

/// <summary>
/// One long ngspice measurement a test assembly starts in the background when its run begins (a SetUpFixture calls
/// <see cref="Start"/>), so that its minutes overlap the other fixtures instead of ending the run alone; the test that
/// checks it calls <see cref="Result"/>, which waits for it (and starts it if nothing did). Started once; nothing is
/// started where ngspice's library is missing (the test reports that skip). A failure is rethrown by <see cref="Result"/>.
/// </summary>
internal sealed class BackgroundNgspice<T>(Func<T> measure)
{
    private readonly Lock _gate = new();
    private Task<T>? _run;

    /// <summary>Starts the measurement on a thread-pool thread, once; does nothing where ngspice is missing.</summary>
    public void Start()
    {
        try
        {
            NgSpiceNative.LocateLibrary();
        }
        catch (EngineMissingException)
        {
            return;
        }
        lock (_gate) _run ??= Task.Run(measure);
    }

    /// <summary>The finished measurement (started now if <see cref="Start"/> was not called).</summary>
    public T Result()
    {
        Start();
        Task<T> run;
        lock (_gate) run = _run!;
        return run.GetAwaiter().GetResult();
    }
}
