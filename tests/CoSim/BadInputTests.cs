using Mbi.Algorithm.Memorization;
using Mbi.CoSim.Energy;
using Mbi.CoSim.Mapping;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.CoSim.Tests;

[TestFixture]
public sealed class BadInputTests
{
    [Test]
    public void When_ArrayTooNarrowForAnElement_Expect_BadInput()
    {
        var spec = new GlimpseKeySpec(3, 1, 2, 2, 8, 15, 5);
        // thermometer location needs 14 columns per element; 8-column arrays cannot hold one
        var e = Assert.Throws<BadInputException>(() => new ArrayMapping(spec, ColumnCoding.Binary, columns: 8));
        Assert.That(e!.Message, Does.Contain("Location").And.Contain("columns"));
    }

    [Test]
    public void When_EnergyConfigMissing_Expect_MessageWithOptionAndExample()
    {
        var e = Assert.Throws<BadInputException>(() => EnergyConfig.Load("/nonexistent/energy.json"));
        Assert.That(e!.Message, Does.Contain("energy_config").And.Contain("config/energy.json"));
    }

    [Test]
    public void When_EnergyConfigLosesAKey_Expect_FileFormatErrorWithFix()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mbi-energy-{Environment.ProcessId}.json");
        File.WriteAllText(path, "{\"technology_nm\": 16, \"adc\": {\"bits\": 5}}");
        try
        {
            var e = Assert.Throws<FileFormatException>(() => EnergyConfig.Load(path));
            Assert.That(e!.Message, Does.Contain(path).And.Contain("git checkout config/energy.json"));
        }
        finally { File.Delete(path); }
    }
}
