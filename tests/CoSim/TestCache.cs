using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.CoSim.Arrays;
using Mbi.Tests;

namespace Mbi.CoSim.Tests;

/// <summary>
/// One compact-model characterisation per machine for the whole test run (13 ngspice probe transients of the
/// default 32-column bench, the largest single cost of this assembly): cached in a temporary folder like the
/// CLI's .build/cache, keyed by the bench's netlist hash. Fixtures run in parallel; a reproduction that asks for
/// the same design while this one runs waits for it (CompactCalibration.LoadOrCharacterise) instead of repeating it.
/// </summary>
internal static class TestCache
{
    public static readonly string Directory = Path.Combine(Path.GetTempPath(), "mbi-cosim-tests-cache");

    private static CompactCalibration? _calibration;
    private static readonly Lock Gate = new();

    public static CompactCalibration Calibration()
    {
        TestAssets.RequireNgspice();
        lock (Gate)
            return _calibration ??= CompactCalibration.LoadOrCharacterise(Technology.Ptm16Lp(), new ArrayDesign(), 2, Directory, Environment.ProcessorCount);
    }
}
