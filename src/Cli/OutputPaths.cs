using Mbi.Core.Errors;

namespace Mbi.Cli;

/// <summary>
/// Where a command will write, checked before any work starts (an hour of simulation must not end in "access
/// denied"): not empty, not the wrong kind of thing (a file where a folder goes, a folder where a file goes), no
/// parent that is a file, and a folder this process can create a file in (probed with a temporary file that is
/// deleted at once). Nothing is created by the checks. <see cref="Lock"/> then claims a folder for one run.
/// </summary>
internal static class OutputPaths
{
    /// <summary>The name of the lock file in a folder a run writes (left in place; only its lock matters).</summary>
    public const string LockName = ".mbi.lock";

    /// <summary>Checks an output folder; returns its full path.</summary>
    public static string Folder(string flag, string? path, string example)
    {
        string full = Full(flag, path, "a folder path", example);
        if (System.IO.File.Exists(full))
            throw BadInputException.For(flag, path, "a folder, not an existing file", example);
        Writable(flag, path!, full, example);
        return full;
    }

    /// <summary>Checks an output file (an existing file is replaced when the run finishes); returns its full path.</summary>
    public static string File(string flag, string? path, string example)
    {
        string full = Full(flag, path, "a file path", example);
        if (Directory.Exists(full) || path!.EndsWith('/') || path.EndsWith(Path.DirectorySeparatorChar))
            throw BadInputException.For(flag, path, "a file name, not a folder", example);
        Writable(flag, path, Path.GetDirectoryName(full)!, example);
        return full;
    }

    /// <summary>
    /// Claims <paramref name="folder"/> for this run (an exclusive lock on its lock file, released when disposed or when
    /// the process dies, even by kill -9). A second run into a folder in use is refused with the fix.
    /// </summary>
    public static IDisposable Lock(string flag, string folder)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, LockName);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            stream.Write(System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
            stream.Flush();
            return stream;
        }
        catch (IOException)
        {
            throw BadInputException.For(flag, folder, "a folder no other mbi run is writing (another run holds its lock file " + LockName +
                "); wait for that run to finish, or write to another folder", flag + " " + folder.TrimEnd('/') + "-2");
        }
    }

    private static string Full(string flag, string? path, string what, string example)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw BadInputException.For(flag, path, what, example);
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw BadInputException.For(flag, path, $"{what} ({e.Message})", example);
        }
    }

    /// <summary>The nearest existing folder above <paramref name="folder"/> must be a folder this process can write.</summary>
    private static void Writable(string flag, string typed, string folder, string example)
    {
        string? existing = folder;
        while (existing is not null && !Directory.Exists(existing))
        {
            if (System.IO.File.Exists(existing))
                throw BadInputException.For(flag, typed, $"a path whose folders can be created ({existing} is a file)", example);
            existing = Path.GetDirectoryName(existing);
        }
        if (existing is null)
            throw BadInputException.For(flag, typed, "a path on an existing drive", example);
        string probe = Path.Combine(existing, $".mbi-write-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BadInputException.For(flag, typed, $"in a folder this user can write ({existing} is not writable: {e.Message})", example);
        }
    }
}
