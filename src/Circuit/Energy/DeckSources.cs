using Mbi.Core.Errors;

namespace Mbi.Circuit.Energy;

/// <summary>
/// The elements of a deck that can deliver energy, and the check every metered bench makes before it runs: a source the
/// supply meter does not see could do work for free.
/// </summary>
internal static class DeckSources
{
    /// <summary>
    /// The names of every element line that can deliver energy: independent voltage and current sources and the
    /// controlled and behavioural ones (v, i, e, f, g, h, b), lower case.
    /// </summary>
    public static IEnumerable<string> Names(string netlist)
    {
        foreach (string raw in netlist.Split('\n'))
        {
            string line = raw.TrimStart();
            if (line.Length < 2 || !"vifgheb".Contains(char.ToLowerInvariant(line[0]))) continue;
            yield return line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0].ToLowerInvariant();
        }
    }

    /// <summary>Refuses <paramref name="netlist"/> (naming <paramref name="bench"/>) when it has a source that is not one of <paramref name="rails"/>.</summary>
    public static void RequireMetered(string netlist, IEnumerable<MeteredRail> rails, string bench)
    {
        var metered = rails.Select(r => r.Source).ToHashSet(StringComparer.Ordinal);
        var unmetered = Names(netlist).Where(s => !metered.Contains(s)).ToList();
        if (unmetered.Count > 0)
            throw new SimulationFailedException($"the {bench} has sources the energy meter does not see ({string.Join(", ", unmetered)}); every source must be a metered rail.");
    }
}
