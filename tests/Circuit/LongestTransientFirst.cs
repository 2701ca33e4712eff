using Mbi.Circuit.Tests.Transient;
using NUnit.Framework;

namespace Mbi.Circuit.Tests;

/// <summary>
/// Runs once before every fixture of the assembly: starts its longest single transient (<see cref="NominalStaircase"/>)
/// in the background, as CoSim's ReproduceTests is ordered first, so that its minutes overlap the other fixtures instead
/// of running alone at the end.
/// </summary>
[SetUpFixture]
public sealed class LongestTransientFirst
{
    [OneTimeSetUp]
    public void StartTheLongestTransient() => NominalStaircase.Start();
}
