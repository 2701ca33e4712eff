using System.Diagnostics;
using System.Globalization;

namespace Mbi.Circuit.Engine;

/// <summary>
/// The temporary folders that hold each engine's private copy of libngspice (about 7 MB each), named
/// <c>mbi-ngspice-PID-RANDOM</c> in the temp folder. A folder is deleted when its engine is disposed, when the
/// process exits normally or by Environment.Exit (ProcessExit), and by <see cref="DeleteAll"/> (the CLI's Ctrl-C and
/// SIGTERM handler). Folders left by a process that is gone (kill -9, a power cut) are removed by
/// <see cref="ReclaimStale"/>, which the CLI runs before every circuit command.
/// </summary>
internal static class TempCopies
{
    public const string Prefix = "mbi-ngspice-";

    /// <summary>An old-style folder (no process id in its name) younger than this may still be being set up: left alone.</summary>
    private static readonly TimeSpan SetupGrace = TimeSpan.FromMinutes(10);

    private static readonly Lock Gate = new();
    private static readonly HashSet<string> Live = [];

    static TempCopies() => AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteAll();

    /// <summary>Creates a new folder for this process's next engine.</summary>
    public static string Create()
    {
        string path = Path.Combine(Path.GetTempPath(), $"{Prefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        lock (Gate) Live.Add(path);
        return path;
    }

    /// <summary>Folders this process created and has not deleted yet.</summary>
    public static IReadOnlyList<string> LiveFolders
    {
        get { lock (Gate) return [.. Live]; }
    }

    /// <summary>Deletes one folder (its library stays mapped until exit on Unix, which is safe).</summary>
    public static void Delete(string path)
    {
        lock (Gate) Live.Remove(path);
        try { Directory.Delete(path, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Trace.TraceWarning($"could not delete {path}: {e.Message}");
        }
    }

    /// <summary>Deletes every folder this process created (engines still running keep their mapped library).</summary>
    public static void DeleteAll()
    {
        foreach (string path in LiveFolders) Delete(path);
    }

    /// <summary>
    /// Deletes the folders in <paramref name="tempFolder"/> (default: the temp folder) left by processes that are gone:
    /// <c>mbi-ngspice-PID-*</c> whose process no longer runs, and older-style <c>mbi-ngspice-RANDOM</c> folders that no
    /// running process has a file of mapped (Linux /proc; elsewhere: older than a day). Returns the folders and bytes reclaimed.
    /// </summary>
    public static (int Folders, long Bytes) ReclaimStale(string? tempFolder = null)
    {
        string temp = tempFolder ?? Path.GetTempPath();
        string[] folders;
        try { folders = Directory.GetDirectories(temp, Prefix + "*"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Trace.TraceWarning($"could not list {temp}: {e.Message}");
            return (0, 0);
        }
        HashSet<string>? mapped = null;
        bool mappedKnown = false;
        int count = 0;
        long bytes = 0;
        foreach (string folder in folders)
        {
            string rest = Path.GetFileName(folder)[Prefix.Length..];
            int dash = rest.IndexOf('-');
            bool stale;
            if (dash > 0 && int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                stale = pid != Environment.ProcessId && !ProcessAlive(pid);
            else
            {
                if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) < SetupGrace) continue;
                if (!mappedKnown) { mapped = MappedFolders(); mappedKnown = true; }
                stale = mapped is null ? DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) > TimeSpan.FromDays(1) : !mapped.Contains(folder);
            }
            if (!stale) continue;
            long size = FolderBytes(folder);
            try
            {
                Directory.Delete(folder, recursive: true);
                count++;
                bytes += size;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Trace.TraceWarning($"could not reclaim {folder}: {e.Message}");
            }
        }
        return (count, bytes);
    }

    private static bool ProcessAlive(int pid)
    {
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}");
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
    }

    /// <summary>The engine folders some running process has a file of mapped, or null when that cannot be known for every process.</summary>
    private static HashSet<string>? MappedFolders()
    {
        if (!OperatingSystem.IsLinux()) return null;
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (string process in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), NumberStyles.None, CultureInfo.InvariantCulture, out _)) continue;
            try
            {
                foreach (string line in File.ReadLines(Path.Combine(process, "maps")))
                {
                    int at = line.IndexOf("/" + Prefix, StringComparison.Ordinal);
                    if (at < 0) continue;
                    string file = line[line.IndexOf('/')..].Replace(" (deleted)", "", StringComparison.Ordinal);
                    if (Path.GetDirectoryName(file) is string folder) folders.Add(folder);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (Directory.Exists(process)) return null; // a process we may not inspect: cannot tell
            }
        }
        return folders;
    }

    private static long FolderBytes(string folder)
    {
        try { return new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return 0; }
    }
}
