using Mbi.Algorithm.Memorization.Keys;
using Mbi.Circuit.Adc;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Mapping;
using Mbi.Core.Randomness;
using NUnit.Framework;

namespace Mbi.CoSim.Tests.Arrays;

/// <summary>The per-die, per-array ADC mismatch of the compact model (<see cref="DieAdcs"/>), on the cached characterisation.</summary>
[TestFixture]
public sealed class DieAdcsTests
{
    private static readonly ArraySplit Split = new(0, KeyComponent.Patch, 0, 32, 1, 1, ColumnCoding.Binary, 32);

    private static (ulong[] Keys, ulong Query) Row()
    {
        var random = new SeededRandom(3);
        var keys = new ulong[32];
        for (int r = 0; r < keys.Length; r++) keys[r] = random.NextUInt64() & 0xFFFF_FFFF;
        return (keys, keys[5] ^ 0x0000_0F0F);
    }

    private static int[] Read(CompactArrayModel model, ArrayId array)
    {
        var (keys, query) = Row();
        var codes = new int[keys.Length];
        model.Read(array, Split, keys, query, codes);
        return codes;
    }

    [Test]
    public void When_AdcSigmasAreZero_Expect_TheCodesOfTheModelWithoutMismatch()
    {
        var calibration = TestCache.Calibration();
        var zero = new AdcDesign { ComparatorOffsetSigmaLsb = 0, CapacitorMismatchRootFarads = 0 }.Mismatch;
        var array = new ArrayId(3, 1);
        Assert.That(Read(new CompactArrayModel(calibration, 5, 7, 2, 0.06, adcMismatch: zero), array),
            Is.EqualTo(Read(new CompactArrayModel(calibration, 5, 7, 2, 0.06), array)));
    }

    [Test]
    public void When_TheSameDieAndArrayIsReadTwice_Expect_TheSameAdcAndAnotherArrayItsOwn()
    {
        var calibration = TestCache.Calibration();
        var mismatch = new AdcDesign { ComparatorOffsetSigmaLsb = 11.1 }.Mismatch; // the uncalibrated comparator (docs/adc.md)
        var model = new CompactArrayModel(calibration, 5, 7, 2, 0.06, adcMismatch: mismatch);
        var again = new CompactArrayModel(calibration, 5, 7, 2, 0.06, adcMismatch: mismatch);
        var nominal = new CompactArrayModel(calibration, 5, 7, 2, 0.06);
        var array = new ArrayId(3, 1);
        int[] codes = Read(model, array);
        Assert.That(Read(again, array), Is.EqualTo(codes), "die 2's ADC of array (3, 1) depends only on (seed, die, array)");
        // An offset of sigma 11.1 LSB moves every row of the array by the same number of codes (until it clamps): some
        // array among a handful must read differently from the nominal ADC (each stays within 1/2 LSB with p = 3.6 %).
        bool anyDiffers = Enumerable.Range(0, 5).Any(n => !Read(model, new ArrayId(n, 0)).SequenceEqual(Read(nominal, new ArrayId(n, 0))));
        Assert.That(anyDiffers, Is.True);
    }
}
