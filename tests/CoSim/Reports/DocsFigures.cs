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

    internal static string Repo()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Mbi.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("Mbi.sln not found above " + AppContext.BaseDirectory);
    }
}
