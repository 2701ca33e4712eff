using Mbi.Circuit.Engine;
using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Transient;
using Mbi.Tests;

namespace Mbi.Circuit.Tests.Transient;

/// <summary>
/// The nominal 1-bit staircase of the default 32-column row (levels 0..32, 33 cycles, latches and driver chains
/// simulated) that RowSimulatorTests checks: the longest single transient of this assembly. Its fixture sorts last
/// (namespace Transient), so run from there it left one core idle for minutes at the end of the run; <see cref="Start"/>,
/// called when the run begins (<see cref="Tests.LongestTransientFirst"/>), runs it on a thread of its own while the other
/// fixtures fill the cores around it, and <see cref="Result"/> waits for that run. Same deck, same engine settings,
/// same numbers as when the fixture ran it itself.
/// A filtered run that leaves RowSimulatorTests out still starts it, and abandons it when the test host exits
/// (checked: such a run passes and exits at once; TempCopies deletes the engine's library copy on exit), at the cost
/// of the CPU it used meanwhile.
/// </summary>
internal static class NominalStaircase
{
    public static readonly ArrayDesign Design = new();
    private static readonly BackgroundNgspice<RowResult> Run = new(Simulate);

    /// <summary>Starts the transient on a thread-pool thread, once; does nothing where ngspice is missing (RowSimulatorTests reports the skip).</summary>
    public static void Start() => Run.Start();

    /// <summary>The finished transient (started now if <see cref="Start"/> was not called); its failure is rethrown here.</summary>
    public static RowResult Result() => Run.Result();

    private static RowResult Simulate()
    {
        using var engine = NgSpiceEngine.Start();
        var staircase = new Staircase(32);
        // only the 1-bit levels 0..32 (33 cycles): the staircase the paper's 28 mV is about
        var program = new RowProgram(staircase.Program.Key, staircase.Program.Cycles.Take(33).ToArray());
        return new RowSimulator(engine, new RowBench(Technology.Ptm16Lp(), Design, program)).Run();
    }
}
