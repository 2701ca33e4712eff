using System.Numerics;
using Mbi.Circuit.Adc;
using Mbi.CoSim.Mapping;

namespace Mbi.CoSim.Arrays;

/// <summary>
/// The compact model on one die: the first time an array is read, its delta-Vth draws (see
/// <see cref="ArrayVth"/>) are turned into one drop per cell: the drop of V_SLP + V_SLN the cell causes when
/// its column differs, from the calibration table at the cell's precharge level and the read stack that
/// discharges (BL's for a stored 1, BLB's for a stored 0): its key, query and (12T) row-gate devices. A read is
/// then Top(p) minus the drops of the differing columns, converted by the 5-bit ADC. Only the read stacks' shifts enter: the characterisation
/// showed the other devices' effect below the agreement bound (docs/cosim.md). One instance per die and thread.
/// </summary>
public sealed class CompactArrayModel : IArrayModel
{
    private readonly CompactCalibration _calibration;
    private readonly ulong _seed;
    private readonly int _die;
    private readonly double _sigmaVolts;
    private readonly Dictionary<ulong, double[]> _drops = [];
    private readonly double[] _shifts;
    private readonly SumLineAdc[] _adcs;
    private readonly DieAdcs _dieAdcs;
    private readonly int _rows;

    /// <summary>
    /// The compact model of die <paramref name="die"/>: delta-Vth drawn from (<paramref name="seed"/>, die, array) with sigma
    /// <paramref name="sigmaVolts"/> (0: the nominal die), codes from an <paramref name="adcBits"/>-bit ADC per array, with the
    /// die's own comparator offset and capacitor errors per array when <paramref name="adcMismatch"/> is given and not zero.
    /// </summary>
    public CompactArrayModel(CompactCalibration calibration, int adcBits, ulong seed, int die, double sigmaVolts, int rows = 32,
        AdcMismatch? adcMismatch = null)
    {
        _calibration = calibration;
        _seed = seed;
        _die = die;
        _sigmaVolts = sigmaVolts;
        _rows = rows;
        _shifts = new double[ArrayVth.Count(rows, calibration.Columns)];
        _adcs = new SumLineAdc[BitOperations.Log2((uint)calibration.Levels) + 1];
        for (int i = 0; i < _adcs.Length; i++) _adcs[i] = calibration.Adc(1 << i, adcBits);
        _dieAdcs = new DieAdcs(_adcs, adcMismatch, seed, die);
    }

    /// <summary>Always <see cref="ArrayModelKind.Compact"/>.</summary>
    public ArrayModelKind Kind => ArrayModelKind.Compact;
    /// <summary>Readouts clamped at either end of the ADC's range so far.</summary>
    public long SaturatedReadouts { get; private set; }
    /// <summary>Rows read so far.</summary>
    public long Readouts { get; private set; }

    /// <summary>V_SLP + V_SLN of one row: what the agreement test compares with ngspice.</summary>
    public double SumVolts(ArrayId array, ArraySplit split, ReadOnlySpan<ulong> keys, int row, ulong query)
    {
        double[] drops = DropsOf(array, split, keys);
        ulong differ = keys[row] ^ query;
        ulong stored = keys[row];
        double slp = 0, sln = 0;
        int baseIndex = row * _calibration.Columns;
        while (differ != 0)
        {
            int c = BitOperations.TrailingZeroCount(differ);
            if (((stored >> c) & 1) != 0) slp += drops[baseIndex + c]; else sln += drops[baseIndex + c];
            differ &= differ - 1;
        }
        return _calibration.SumVolts(split.BitsPerElement, slp, sln);
    }

    /// <summary>Reads every row of <paramref name="keys"/> against <paramref name="query"/>: one ADC code per row into <paramref name="codes"/>.</summary>
    public void Read(ArrayId array, ArraySplit split, ReadOnlySpan<ulong> keys, ulong query, Span<int> codes)
    {
        var adc = _dieAdcs.Of(array, split.BitsPerElement);
        for (int r = 0; r < keys.Length; r++)
        {
            var (code, saturated) = adc.Convert(SumVolts(array, split, keys, r, query));
            codes[r] = code;
            if (saturated) SaturatedReadouts++;
        }
        Readouts += keys.Length;
    }

    private double[] DropsOf(ArrayId array, ArraySplit split, ReadOnlySpan<ulong> keys)
    {
        if (_drops.TryGetValue(array.Packed, out var cached)) return cached;
        int columns = _calibration.Columns, p = split.BitsPerElement;
        var drops = new double[_rows * columns];
        if (_sigmaVolts > 0) ArrayVth.Fill(_seed, _die, array, _sigmaVolts, _shifts);
        for (int r = 0; r < keys.Length; r++)
            for (int c = 0; c < columns; c++)
            {
                bool stored = ((keys[r] >> c) & 1) != 0;
                double keyShift = 0, queryShift = 0, rowGateShift = 0;
                if (_sigmaVolts > 0)
                {
                    keyShift = _shifts[ArrayVth.Cell(columns, r, c, stored ? ArrayVth.KeyBl : ArrayVth.KeyBlb)];
                    queryShift = _shifts[ArrayVth.Cell(columns, r, c, stored ? ArrayVth.QueryBl : ArrayVth.QueryBlb)];
                    if (_calibration.HasRowGates) rowGateShift = _shifts[ArrayVth.RowGate(_rows, columns, r, c, stored ? 0 : 1)];
                }
                drops[r * columns + c] = _calibration.Drop(c % p, keyShift, queryShift, rowGateShift);
            }
        _drops[array.Packed] = drops;
        return drops;
    }
}
