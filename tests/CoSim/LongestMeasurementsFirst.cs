using Mbi.CoSim.Tests.Energy;
using NUnit.Framework;

namespace Mbi.CoSim.Tests;

/// <summary>
/// Runs once before every fixture of the assembly: starts the small design's energy-band measurement
/// (<see cref="SmallDesignBands"/>) in the background while ReproduceTests (ordered first) and the other fixtures run,
/// so that its minutes overlap theirs instead of ending the run alone.
/// </summary>
[SetUpFixture]
public sealed class LongestMeasurementsFirst
{
    [OneTimeSetUp]
    public void StartTheLongestMeasurement() => SmallDesignBands.Start();
}
