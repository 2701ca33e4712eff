using System.Globalization;
using Mbi.Core.Errors;
using Mbi.Core.IO;

namespace Mbi.Circuit.Netlists;

/// <summary>
/// A folder that receives the exact decks a run simulates (the nominal die and each Monte Carlo die,
/// named by die index), so a user can rerun any of them unchanged with <c>ngspice -b</c> and get the
/// same .meas values. Each file is written under a temporary name and renamed (a crash never leaves a
/// half deck); safe to call from several worker threads.
/// </summary>
public sealed class DeckFolder
{
    /// <summary>The nominal die's deck name.</summary>
    public const string NominalName = "nominal.cir";

    /// <summary>A deck folder at <paramref name="path"/> (created if missing).</summary>
    public DeckFolder(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw BadInputException.For("SaveDecksDirectory", path, "a folder path", "decks/");
        Path = System.IO.Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"SaveDecksDirectory was '{path}'; it must be a folder Mbi can create and write ({e.Message}) (e.g. decks/).", e);
        }
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>"die-000012.cir" for die 12 (sorts in die order up to a million dies).</summary>
    public static string DieName(long die) => "die-" + die.ToString("D6", CultureInfo.InvariantCulture) + ".cir";

    /// <summary>Writes one deck; returns its full path.</summary>
    public string Save(string name, string deck)
    {
        string file = System.IO.Path.Combine(Path, name);
        AtomicFile.WriteAllText(file, deck);
        return file;
    }
}
