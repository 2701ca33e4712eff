using Mbi.Circuit.Engine;
using Mbi.Core.Errors;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.Circuit.Tests.Engine;

[TestFixture]
[NonParallelizable] // changes MBI_NGSPICE_LIB for the duration of one test
public sealed class NgSpiceEngineTests
{
    [Test]
    public void When_NetlistIsRejectedByNgspice_Expect_SimulationFailedWithNgspiceMessage()
    {
        using var engine = TestAssets.StartNgspice();
        const string deck = "* broken deck\nv1 a 0 DC 1\nr1 a 0 notanumber\nq1 x y\n.tran 1n 10n\n.end";
        var e = Assert.Throws<SimulationFailedException>(() =>
        {
            engine.Load(deck);
            engine.Execute("run");
        });
        Assert.That(e!.Message, Does.Contain("ngspice failed").And.Contain("rror"));
    }

    [Test]
    public void When_EngineRecoversAfterBadDeck_Expect_NextGoodDeckRuns()
    {
        using var engine = TestAssets.StartNgspice();
        Assert.Throws<SimulationFailedException>(() => { engine.Load("* bad\nr1 a 0 nope\n.tran 1n 2n\n.end"); engine.Execute("run"); });
        engine.Load("* divider\nv1 a 0 DC 1\nr1 a b 1k\nr2 b 0 1k\n.tran 1n 2n\n.end");
        engine.Execute("run");
        // a resistive divider: exact to ngspice's solver tolerance (abstol 1 pA through 1 kOhm)
        Assert.That(engine.RequireVector("b")[^1], Is.EqualTo(0.5).Within(1e-9));
        Assert.That(engine.Version, Does.StartWith("ngspice-"));
    }

    [Test]
    public void When_LibraryVariablePointsNowhere_Expect_EngineMissingNamingPackageAndVariable()
    {
        string? previous = Environment.GetEnvironmentVariable(NgSpiceNative.LibraryVariable);
        try
        {
            Environment.SetEnvironmentVariable(NgSpiceNative.LibraryVariable, "/nonexistent/libngspice.so.0");
            var e = Assert.Throws<EngineMissingException>(() => NgSpiceEngine.Start());
            Assert.That(e!.Message, Does.Contain("MBI_NGSPICE_LIB").And.Contain("libngspice0").And.Contain("/nonexistent/libngspice.so.0"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(NgSpiceNative.LibraryVariable, previous);
        }
    }

    [Test]
    public void When_LibraryIsNotNgspice_Expect_EngineMissing()
    {
        string? previous = Environment.GetEnvironmentVariable(NgSpiceNative.LibraryVariable);
        string fake = Path.Combine(Path.GetTempPath(), $"mbi-not-a-library-{Guid.NewGuid():N}.so");
        File.WriteAllText(fake, "not an ELF file");
        try
        {
            Environment.SetEnvironmentVariable(NgSpiceNative.LibraryVariable, fake);
            var e = Assert.Throws<EngineMissingException>(() => NgSpiceEngine.Start());
            Assert.That(e!.Message, Does.Contain("MBI_NGSPICE_LIB"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(NgSpiceNative.LibraryVariable, previous);
            File.Delete(fake);
        }
    }
}
