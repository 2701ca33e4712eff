using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.MonteCarlo;

[TestFixture]
public sealed class MonteCarloRunnerTests
{
    // A 4-column row keeps each die's transient (5 + 8 cycles) well under a second.
    private static MonteCarloSettings Small(int workers) => new()
    {
        Technology = Technology.Ptm16Lp(),
        Design = new ArrayDesign { Columns = 4 },
        Samples = 3,
        Seed = 7,
        SigmaVthVolts = 0.06,
        Workers = workers,
    };

    [Test]
    public void When_SameSeedWithOneOrTwoWorkers_Expect_IdenticalSamplesCsv()
    {
        using (EngineRequirement.StartOrIgnore()) { }
        string one = MonteCarloRunner.Run(Small(1)).SamplesCsv().ToString();
        string two = MonteCarloRunner.Run(Small(2)).SamplesCsv().ToString();
        Assert.That(two, Is.EqualTo(one));
        Assert.That(one.Split('\n').Count(l => l.Contains(",ok,")), Is.EqualTo(4 * (5 + 7)), "nominal + 3 dies, 5 + 7 levels each");
    }

    [Test]
    public void When_SigmaIsNegative_Expect_BadInputNamingTheOption()
    {
        var e = Assert.Throws<BadInputException>(() => MonteCarloRunner.Run(Small(1) with { SigmaVthVolts = -0.005 }));
        Assert.That(e!.Message, Does.Contain("--sigma-vth").And.Contain("-5.00 mV").And.Contain("60mV"));
    }

    [TestCase(0)]
    [TestCase(3)]
    public void When_ColumnCountIsNotAPositiveEvenNumber_Expect_BadInputNamingColumns(int columns)
    {
        var e = Assert.Throws<BadInputException>(() => MonteCarloRunner.Run(Small(1) with { Design = new ArrayDesign { Columns = columns } }));
        Assert.That(e!.Message, Does.Contain("--columns").And.Contain(columns.ToString()));
    }

    [Test]
    public void When_RowProgramHasNoColumns_Expect_BadInput()
    {
        var e = Assert.Throws<BadInputException>(() => new RowProgram([], [new RowCycle(1, [])]));
        Assert.That(e!.Message, Does.Contain("--columns"));
    }
}
