using Mbi.Core.Errors;
using Mbi.Core.Units;
using NUnit.Framework;

namespace Mbi.Core.Tests;

[TestFixture]
public sealed class EngineeringTests
{
    // Parsed values are compared with a relative tolerance of 1e-12: the only error is the
    // decimal-to-binary rounding of the mantissa and the prefix multiplication.
    [TestCase("60mV", "V", 0.06)]
    [TestCase("0.9", "V", 0.9)]
    [TestCase("1.5fF", "F", 1.5e-15)]
    [TestCase("3ns", "s", 3e-9)]
    [TestCase("2e-9s", "s", 2e-9)]
    [TestCase("10meg", "Hz", 1e7)]
    [TestCase("4.7pJ", "J", 4.7e-12)]
    public void When_ValueHasPrefixAndUnit_Expect_SiValue(string text, string unit, double expected) =>
        Assert.That(Engineering.Parse(text, unit, "--x"), Is.EqualTo(expected).Within(1e-12).Percent);

    // Negative values as users type them (temperatures, shifts); C is degrees Celsius.
    [TestCase("-40C", "C", -40)]
    [TestCase("-40", "C", -40)]
    [TestCase("-40 C", "C", -40)]
    [TestCase("-40°C", "C", -40)]
    [TestCase("\u221240C", "C", -40)]
    [TestCase("125C", "C", 125)]
    [TestCase("-5mV", "V", -0.005)]
    [TestCase("-1.5e-3V", "V", -0.0015)]
    public void When_ValueIsNegativeOrCelsius_Expect_SignedSiValue(string text, string unit, double expected) =>
        Assert.That(Engineering.Parse(text, unit, "--temp"), Is.EqualTo(expected).Within(1e-12).Percent);

    // SPICE's forms (issue #12): the unit is optional, and a lone "f" is femto, not farads.
    [TestCase("4f", "F", 4e-15)]
    [TestCase("4fF", "F", 4e-15)]
    [TestCase("60m", "V", 0.06)]
    [TestCase("60mV", "V", 0.06)]
    [TestCase("3n", "s", 3e-9)]
    [TestCase("3ns", "s", 3e-9)]
    [TestCase("3nS", "s", 3e-9)]
    public void When_SpiceForm_Expect_SiValue(string text, string unit, double expected) =>
        Assert.That(Engineering.Parse(text, unit, "--x"), Is.EqualTo(expected).Within(1e-12).Percent);

    [Test]
    public void When_CapacitanceMalformed_Expect_MessageListingTheAcceptedForms()
    {
        var e = Assert.Throws<BadInputException>(() => Engineering.Parse("4x", "F", "--bitline-cap"));
        Assert.That(e!.Message, Does.StartWith("--bitline-cap was '4x'").And.Contain("4f, 4fF, 4e-15"));
    }

    [Test]
    public void When_TemperatureHasAnotherUnit_Expect_BadInputNamingTheOption()
    {
        var e = Assert.Throws<BadInputException>(() => Engineering.Parse("-40K", "C", "--temp"));
        Assert.That(e!.Message, Does.Contain("--temp").And.Contain("-40K"));
    }

    [TestCase("sixty")]
    [TestCase("60mA")]
    [TestCase("")]
    public void When_TextIsNotAQuantity_Expect_BadInputNamingTheOption(string text)
    {
        var e = Assert.Throws<BadInputException>(() => Engineering.Parse(text, "V", "--sigma-vth"));
        Assert.That(e!.Message, Does.Contain("--sigma-vth").And.Contain("60mV"));
    }

    [TestCase(0.0281, "V", "28.1 mV")]
    [TestCase(4.7e-12, "J", "4.70 pJ")]
    [TestCase(13.16e-9, "J", "13.2 nJ")]
    public void When_Formatting_Expect_EngineeringPrefix(double value, string unit, string expected) =>
        Assert.That(Engineering.Format(value, unit), Is.EqualTo(expected));

    [TestCase("3ns", "s", 3e-9)]
    [TestCase("60mV", "V", 0.06)]
    [TestCase("4fF", "F", 4e-15)]
    public void When_SubUnitPrefix_Expect_TheDoubleNearestTheDecimalValue(string text, string unit, double expected) =>
        // Exact equality on purpose: dividing by an exact power of ten is correctly rounded, so "3ns"
        // must be the very double 3e-9 (help texts and CSVs print it back as 3E-09).
        Assert.That(Engineering.Parse(text, unit, "--x"), Is.EqualTo(expected));
}
