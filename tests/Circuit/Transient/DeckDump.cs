using System.Globalization;
using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.Transient;

/// <summary>Writes the default bench's nominal deck and die 0 (seed 1, 60 mV) to MBI_DECK_DIR for hand runs with ngspice -b.</summary>
[TestFixture, Explicit("writes decks for hand measurements"), Category("Measurement")]
public sealed class DeckDump
{
    [Test]
    public void WriteDecks()
    {
        string folder = Environment.GetEnvironmentVariable("MBI_DECK_DIR") ?? Path.GetTempPath();
        var technology = Technology.Ptm16Lp();
        var staircase = new Staircase(32);
        foreach (var (name, program) in new[] { ("full", staircase.Program), ("short", ConvergenceStudy.ShortProgram(staircase)) })
        {
            var bench = new RowBench(technology, new ArrayDesign(), program);
            var held = new RowBench(technology, new ArrayDesign(), program, storage: CellStorage.Held);
            var shifts = new double[bench.Devices.Count];
            new VthMismatch(0.060).Fill(bench, 1, 0, shifts);
            File.WriteAllText(Path.Combine(folder, name + "-nominal.cir"), bench.Write());
            File.WriteAllText(Path.Combine(folder, name + "-die0.cir"), bench.Write(shifts));
            File.WriteAllText(Path.Combine(folder, name + "-held-nominal.cir"), held.Write());
            File.WriteAllText(Path.Combine(folder, name + "-held-die0.cir"), held.Write(shifts));
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {program.Cycles.Count} cycles, {bench.Devices.Count} devices"));
        }
    }
}
