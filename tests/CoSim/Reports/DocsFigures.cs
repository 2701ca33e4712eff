using Mbi.CoSim.Energy;
using Mbi.CoSim.Reports.Charts;
using NUnit.Framework;

namespace Mbi.CoSim.Tests.Reports;

/// <summary>
/// Redraws the figures docs/ embeds from the data shipped beside them (no SPICE, no training): run by hand after a change
/// to the figure code, `dotnet test tests/CoSim -c Release --filter FullyQualifiedName~DocsFigures`, and commit the PNG/SVG.
/// </summary>
[TestFixture, Explicit("rewrites files under docs/"), Category("Measurement")]
public sealed class DocsFigures
{
    [Test]
    public void When_Run_Expect_CircuitRunFiguresRedrawn()
    {
        string folder = Path.Combine(Repo(), "docs", "circuit", "mc16-12t");
        for (int mode = 1; mode <= 2; mode++)
        {
            StaircaseFigure.Write(StaircaseData.Read(folder, mode), folder, $"levels-bits{mode}", $"steps-bits{mode}");
        }
    }

    /// <summary>Fig. 6(c) from the per-comparison table of docs/energy-bands.md (values as printed there, 3 significant digits).</summary>
    [Test]
    public void When_Run_Expect_EnergyBreakdownRedrawn()
    {
        var (bands, total) = EnergyTable();
        Chart.Save(EnergyFigure.PerComparison(bands, total, "spice"), Path.Combine(Repo(), "docs", "energy"), "fig6c-per-comparison");
    }

    /// <summary>The per-comparison bands of docs/energy-bands.md: one row per component and the total.</summary>
    internal static (List<ComponentBand> Bands, ComponentBand Total) EnergyTable()
    {
        string doc = Path.Combine(Repo(), "docs", "energy-bands.md");
        var rows = File.ReadAllLines(doc).SkipWhile(l => !l.StartsWith("| component | group | min | typical | max |", StringComparison.Ordinal))
            .Skip(2).TakeWhile(l => l.StartsWith('|')).Select(l => l.Split('|').Select(c => c.Trim().Trim('*')).ToArray()).ToList();
        var bands = rows.Where(r => r[1] != "total").Select(r => new ComponentBand(r[1], r[2], Joules(r[3]), Joules(r[4]), Joules(r[5]), "", "", "", Joules(r[6]), "")).ToList();
        var t = rows.Single(r => r[1] == "total");
        Assert.That(bands, Has.Count.GreaterThan(5), $"the per-comparison table of {doc}");
        return (bands, new ComponentBand("total", "", Joules(t[3]), Joules(t[4]), Joules(t[5]), "", "", "", Joules(t[6]), ""));
    }

    private static double Joules(string text)
    {
        if (text is "-" or "0" or "") return 0;
        var parts = text.Split(' ');
        double v = double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        return v * parts[1] switch { "fJ" => 1e-15, "pJ" => 1e-12, "nJ" => 1e-9, "aJ" => 1e-18, "J" => 1, _ => throw new FormatException(text) };
    }

    internal static string Repo()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Mbi.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("Mbi.sln not found above " + AppContext.BaseDirectory);
    }
}
