using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Mbi.Core.Errors;

namespace Mbi.Circuit.Engine;

/// <summary>
/// One ngspice instance: a private copy of the shared library, started in its own empty working
/// directory (so no stray .spiceinit is read), single-threaded. Not thread-safe; one per worker.
/// ngspice reports errors only as text, so every line it prints is watched for "Error",
/// "circuit not parsed" and aborted runs, which become <see cref="SimulationFailedException"/>s
/// carrying ngspice's own words. `quit` is never sent (any later call would abort the process).
/// </summary>
internal sealed partial class NgSpiceEngine : IDisposable
{
    private static readonly Lock WorkingDirectoryLock = new();
    private readonly NgSpiceNative.Api _api;
    private readonly GCHandle _self;
    private readonly string _directory;
    private readonly List<string> _recent = [];
    private readonly List<string> _errors = [];
    private bool _hasCircuit;
    private bool _disposed;

    private NgSpiceEngine(string libraryPath)
    {
        LibraryPath = libraryPath;
        _directory = TempCopies.Create();
        string copy = Path.Combine(_directory, Path.GetFileName(libraryPath));
        File.Copy(libraryPath, copy);
        _self = GCHandle.Alloc(this, GCHandleType.Normal);
        try
        {
            _api = NgSpiceNative.Load(copy);
            // ngspice reads .spiceinit from the working directory while it starts: start it in our own.
            lock (WorkingDirectoryLock)
            {
                string previous = Environment.CurrentDirectory;
                Environment.CurrentDirectory = _directory;
                try { NgSpiceNative.Initialise(_api, _self); }
                finally { Environment.CurrentDirectory = previous; }
            }
            Version = VersionPattern().Match(string.Join('\n', _recent)) is { Success: true } m ? m.Value : "ngspice (version unknown)";
            Execute("set num_threads=1");
        }
        catch
        {
            _self.Free();
            TryDeleteDirectory();
            throw;
        }
    }

    /// <summary>Starts a new engine on $MBI_NGSPICE_LIB or the system library.</summary>
    public static NgSpiceEngine Start() => new(NgSpiceNative.LocateLibrary());

    /// <summary>The library this engine copied, e.g. /usr/lib/x86_64-linux-gnu/libngspice.so.0.</summary>
    public string LibraryPath { get; }

    /// <summary>e.g. "ngspice-39".</summary>
    public string Version { get; }


    /// <summary>Replaces the loaded circuit with <paramref name="netlist"/> (a whole deck ending in .end).</summary>
    public void Load(string netlist)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_hasCircuit)
        {
            Execute("destroy all");
            Execute("remcirc");
            _hasCircuit = false;
        }
        string[] lines = netlist.Split('\n');
        _errors.Clear();
        NgSpiceNative.Circuit(_api, lines);
        ThrowOnErrors("loading the netlist");
        _hasCircuit = true;
    }

    /// <summary>Sends one command (e.g. "run", "alter @m1[delvto]=0.01") and fails with ngspice's message.</summary>
    public void Execute(string command)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _errors.Clear();
        int status = NgSpiceNative.Command(_api, command);
        if (status != 0 && _errors.Count == 0) _errors.Add($"ngSpice_Command returned {status}");
        ThrowOnErrors($"'{command}'");
    }

    /// <summary>A real vector of the current plot (valid until the next command); empty if absent.</summary>
    public ReadOnlySpan<double> Vector(string name) => NgSpiceNative.Vector(_api, name);

    /// <summary>Like <see cref="Vector"/> but fails when the vector is missing.</summary>
    public double[] RequireVector(string name)
    {
        var data = Vector(name);
        if (data.IsEmpty)
            throw new SimulationFailedException($"ngspice produced no vector '{name}' (plot {NgSpiceNative.CurrentPlot(_api)}); the analysis did not run.");
        return data.ToArray();
    }

    internal void Receive(string line)
    {
        string text = line.StartsWith("stdout ", StringComparison.Ordinal) || line.StartsWith("stderr ", StringComparison.Ordinal) ? line[7..] : line;
        if (_recent.Count >= 40) _recent.RemoveAt(0);
        _recent.Add(text);
        if (IsError(text)) _errors.Add(text.Trim());
    }

    internal static bool IsError(string text) =>
        text.Contains("Error", StringComparison.Ordinal) || text.Contains("error:", StringComparison.Ordinal)
        || text.Contains("circuit not parsed", StringComparison.Ordinal)
        || text.Contains("simulation(s) aborted", StringComparison.Ordinal)
        || text.Contains("Timestep too small", StringComparison.Ordinal);

    private void ThrowOnErrors(string what)
    {
        if (_errors.Count == 0) return;
        string message = string.Join(" | ", _errors.Distinct().Take(6));
        _errors.Clear();
        throw new SimulationFailedException($"ngspice failed while {what}: {message}");
    }

    [GeneratedRegex(@"ngspice-\d+(\.\d+)?")]
    private static partial Regex VersionPattern();

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // The library stays mapped (unloading ngspice is not safe); its deleted file lives until exit.
        if (_hasCircuit)
        {
            NgSpiceNative.Command(_api, "destroy all");
            NgSpiceNative.Command(_api, "remcirc");
        }
        _self.Free();
        TryDeleteDirectory();
    }

    private void TryDeleteDirectory() => TempCopies.Delete(_directory);
}
