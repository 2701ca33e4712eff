using System.Numerics;
using Mbi.Circuit.Adc;

namespace Mbi.CoSim.Arrays;

/// <summary>
/// The ADCs of one die's arrays: each physical array has one sum-line pair and one ADC, so array a of die d reads every
/// row through the nominal ADC of its precision with the die's own comparator offset and capacitor errors
/// (<see cref="AdcMismatch.Apply"/>, ADC index node x 64 + split as in <see cref="ArrayVth"/>), drawn the first time the
/// array is read. Both precisions of one array share the draws; the offset's sigma is counted in the 1-bit ADC's LSB.
/// With no mismatch (null or zero) every array reads through the nominal ADCs. One instance per die and thread.
/// </summary>
internal sealed class DieAdcs(SumLineAdc[] nominal, AdcMismatch? mismatch, ulong seed, int die)
{
    private readonly Dictionary<(ulong Array, int Precision), SumLineAdc> _drawn = [];
    private readonly bool _varies = mismatch is { IsZero: false };

    /// <summary>The ADC array <paramref name="array"/> reads <paramref name="bitsPerElement"/>-bit rows with.</summary>
    public SumLineAdc Of(ArrayId array, int bitsPerElement)
    {
        int precision = BitOperations.Log2((uint)bitsPerElement);
        if (!_varies) return nominal[precision];
        if (_drawn.TryGetValue((array.Packed, precision), out var adc)) return adc;
        adc = mismatch!.Apply(nominal[precision], nominal[0].LsbVolts, seed, die, (uint)(array.Node * 64 + array.Split));
        _drawn[(array.Packed, precision)] = adc;
        return adc;
    }
}
