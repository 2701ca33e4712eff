using System.Numerics;
using Mbi.Circuit.Adc;
using Mbi.Circuit.Engine;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.CoSim.Mapping;

namespace Mbi.CoSim.Arrays;

/// <summary>
/// The spice model on one die: every row read is an ngspice row transient of the stored key against the
/// query on the row's own delta-Vth draws (the same draws as <see cref="CompactArrayModel"/>), converted by
/// the same ADC. About 0.1-0.3 s per row: for checking the compact model and for very small runs.
/// </summary>
public sealed class SpiceArrayModel : IArrayModel, IDisposable
{
    private readonly NgSpiceEngine _engine;
    private readonly Technology _technology;
    private readonly ArrayDesign _design;
    private readonly ulong _seed;
    private readonly int _die;
    private readonly double _sigmaVolts;
    private readonly SumLineAdc[] _adcs;
    private readonly DieAdcs _dieAdcs;
    private readonly double[] _shifts;

    /// <summary>The ngspice model of die <paramref name="die"/> (same draws as <see cref="CompactArrayModel"/>); starts a private ngspice engine: dispose it.</summary>
    public SpiceArrayModel(Technology technology, ArrayDesign design, CompactCalibration calibration, int adcBits, ulong seed, int die, double sigmaVolts,
        AdcMismatch? adcMismatch = null)
    {
        _engine = NgSpiceEngine.Start();
        _technology = technology;
        _design = design;
        _seed = seed;
        _die = die;
        _sigmaVolts = sigmaVolts;
        _adcs = new SumLineAdc[BitOperations.Log2((uint)calibration.Levels) + 1];
        for (int i = 0; i < _adcs.Length; i++) _adcs[i] = calibration.Adc(1 << i, adcBits);
        _dieAdcs = new DieAdcs(_adcs, adcMismatch, seed, die);
        _shifts = new double[ArrayVth.Count(design.Rows, design.Columns)];
    }

    /// <summary>Always <see cref="ArrayModelKind.Spice"/>.</summary>
    public ArrayModelKind Kind => ArrayModelKind.Spice;
    /// <summary>Readouts clamped at either end of the ADC's range so far.</summary>
    public long SaturatedReadouts { get; private set; }
    /// <summary>ngspice row transients run so far.</summary>
    public long Transients { get; private set; }

    /// <summary>V_SLP + V_SLN of row <paramref name="row"/> for each query, in one transient.</summary>
    public double[] SumVolts(ArrayId array, ArraySplit split, ulong key, int row, ReadOnlySpan<ulong> queries)
    {
        if (_sigmaVolts > 0) ArrayVth.Fill(_seed, _die, array, _sigmaVolts, _shifts);
        else Array.Clear(_shifts);
        var rowShifts = ArrayVth.RowBenchShifts(_shifts, _design.Rows, _design.Columns, row, _design.RowSelect == RowSelect.RowGated);
        var result = SpiceRows.Run(_engine, _technology, _design, split.BitsPerElement, key, queries, rowShifts);
        Transients++;
        return Enumerable.Range(0, result.Cycles).Select(result.SumVolts).ToArray();
    }

    /// <summary>Reads every row of <paramref name="keys"/> against <paramref name="query"/>, one ngspice transient per row: one ADC code per row into <paramref name="codes"/>.</summary>
    public void Read(ArrayId array, ArraySplit split, ReadOnlySpan<ulong> keys, ulong query, Span<int> codes)
    {
        var adc = _dieAdcs.Of(array, split.BitsPerElement);
        for (int r = 0; r < keys.Length; r++)
        {
            double v = SumVolts(array, split, keys[r], r, [query])[0];
            var (code, saturated) = adc.Convert(v);
            codes[r] = code;
            if (saturated) SaturatedReadouts++;
        }
    }

    /// <summary>Releases the ngspice engine.</summary>
    public void Dispose() => _engine.Dispose();
}
