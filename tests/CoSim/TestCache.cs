using Mbi.Circuit.Design;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Characterisation;
using Mbi.Tests;

namespace Mbi.CoSim.Tests;

/// <summary>
/// One compact-model characterisation per machine for the whole test run (15 ngspice probe transients of the
/// default 32-column bench, the largest single cost of this assembly): cached in a temporary folder like the
/// CLI's .build/cache, keyed by the bench's netlist hash. Fixtures run in parallel; a reproduction that asks for
/// the same design while this one runs waits for it (CompactCalibration.LoadOrCharacterise) instead of repeating it.
/// The cache is first seeded from the repository's shipped data (models/characterisation, `mbi characterise`) when they
/// match the default design, deck and ngspice, as every command does; CompactModelTests then check that calibration
/// against fresh ngspice dies, and ShippedCharacterisationTests that it belongs to today's deck.
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
        {
            if (_calibration is null)
                ShippedCharacterisation.SeedCache(new CircuitDesign(), Directory, Path.Combine(TestAssets.RepositoryRoot(), ShippedCharacterisation.DefaultRoot));
            return _calibration ??= CompactCalibration.LoadOrCharacterise(Technology.Ptm16Lp(), new ArrayDesign(), 2, Directory, Environment.ProcessorCount);
        }
    }
}
