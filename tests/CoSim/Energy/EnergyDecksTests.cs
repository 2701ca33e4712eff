using Mbi.Circuit.Engine;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.CoSim.Energy;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.CoSim.Tests.Energy;

[TestFixture]
public sealed class EnergyDecksTests
{
    [Test]
    public void When_EnergyMeasuredWithDeckFolder_Expect_TheLoadedNetlistSavedAtTheCorner()
    {
        TestAssets.RequireNgspice();
        string dir = Path.Combine(Path.GetTempPath(), $"mbi-energy-decks-{Environment.ProcessId}");
        try
        {
            var technology = Technology.Ptm16Lp().At("FF", -40);
            var design = new ArrayDesign { Columns = 4 };
            var program = new RowProgram([true, false, true, false], [new RowCycle(1, [true, true, false, false])]);
            using (var engine = NgSpiceEngine.Start())
            {
                var energy = RowEnergyMeter.Measure(engine, technology, design, program, new DeckFolder(dir), "energy-p1.cir");
                Assert.That(energy.TotalJoules, Is.GreaterThan(0));
            }
            string deck = File.ReadAllText(Path.Combine(dir, "energy-p1.cir"));
            string expected = string.Join('\n', new RowBench(technology, design, program).Write().Split('\n').Where(l => !l.StartsWith(".save", StringComparison.Ordinal)));
            Assert.That(deck, Is.EqualTo(expected));
            Assert.That(deck, Does.Contain(".temp -40").And.Contain("corner FF"));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
