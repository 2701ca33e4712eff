using Mbi.Circuit.Adc;
using Mbi.Core.Errors;
using Mbi.CoSim.Arrays;

namespace Mbi.CoSim.Tail;

/// <summary>A failure event over standard-normal variables, as the tail estimators see it.</summary>
internal interface ILimitState
{
    int Dimensions { get; }
    bool Fails(ReadOnlySpan<double> z);
    /// <summary>Signed distance to failure on one side (negative once failed); smooth, for the design-point search.</summary>
    double Margin(ReadOnlySpan<double> z, int side);
    /// <summary>Whether <paramref name="z"/> lies where the model is extrapolated (flagged, not refused).</summary>
    bool BeyondGrid(ReadOnlySpan<double> z);
    /// <summary>Groups of variables that can fail on their own (one column's two read stacks); the design-point search
    /// looks for a failure point in each group's subspace as well as a collective one.</summary>
    IReadOnlyList<int[]> Groups { get; }
}

/// <summary>
/// One readout of one row, as a function of standard-normal variables: a p-bit split's row whose query differs
/// from the stored key at bit-weighted distance <see cref="Distance"/>, read through the compact model and the
/// ADC. Only the read stacks of the differing columns move the reading (the compact model's premise: a column
/// that does not differ does not discharge), so the variables are, per differing column, the delta-Vth of its
/// discharging stack's key-gated and query-gated devices and (12T, when the calibration tables it) its row-gate device,
/// in units of sigma (z), and optionally the ADC's offset in units of its sigma.
/// Failure: the ADC code differs from the nominal die's code. The differing columns are taken most significant
/// first (element order); with independent, identically drawn devices every pattern with the same column counts
/// fails with the same probability. Stored bits alternate by element (even elements store 1: their drops land on
/// SL+, odd elements on SL-), so both sum lines carry charge.
/// </summary>
internal sealed class ReadoutFailure : ILimitState
{
    private readonly CompactCalibration _calibration;
    private readonly SumLineAdc _adc;
    private readonly double _referenceLsbVolts;
    private readonly int[] _columns;
    private readonly bool[] _storedOne;
    private readonly int _perColumn;

    public ReadoutFailure(CompactCalibration calibration, int bitsPerElement, int distance, int adcBits, double sigmaVthVolts,
        double adcOffsetSigmaLsb = 0)
    {
        if (bitsPerElement < 1 || bitsPerElement > calibration.Levels || (bitsPerElement & (bitsPerElement - 1)) != 0)
            throw BadInputException.For("bits_per_element", bitsPerElement, $"1 or a power of two up to the calibration's {calibration.Levels}", "1");
        int elements = calibration.Columns / bitsPerElement;
        int maxDistance = Math.Min(elements * ((1 << bitsPerElement) - 1), (1 << adcBits) - 1);
        if (distance < 1 || distance > maxDistance)
            throw BadInputException.For("distance level", distance, $"between 1 and {maxDistance} (the {adcBits}-bit ADC's full scale and the row's reach)", "16");
        if (!(sigmaVthVolts > 0) || !double.IsFinite(sigmaVthVolts))
            throw BadInputException.For("sigma_vth_volts", sigmaVthVolts, "a positive voltage", "0.06");
        if (!(adcOffsetSigmaLsb >= 0) || !double.IsFinite(adcOffsetSigmaLsb))
            throw BadInputException.For("adc_offset_sigma_lsb", adcOffsetSigmaLsb, "zero or a positive number of LSB", "0.2");
        _calibration = calibration;
        BitsPerElement = bitsPerElement;
        Distance = distance;
        SigmaVthVolts = sigmaVthVolts;
        AdcOffsetSigmaLsb = adcOffsetSigmaLsb;
        _adc = calibration.Adc(bitsPerElement, adcBits);
        _perColumn = calibration.HasRowGates ? 3 : 2;
        _referenceLsbVolts = calibration.Adc(1, adcBits).LsbVolts;
        var columns = new List<int>();
        int remaining = distance;
        for (int level = 0; level < bitsPerElement && remaining > 0; level++)
        {
            int weight = 1 << (bitsPerElement - 1 - level);
            for (int e = 0; e < elements && remaining >= weight; e++)
            {
                columns.Add(e * bitsPerElement + level);
                remaining -= weight;
            }
        }
        if (remaining != 0) throw new InvalidOperationException($"distance {distance} not reachable with {bitsPerElement}-bit elements");
        _columns = [.. columns];
        _storedOne = _columns.Select(c => (c / bitsPerElement) % 2 == 0).ToArray();
        IdealCode = _adc.Convert(Volts(new double[Dimensions])).Code;
    }

    public int BitsPerElement { get; }
    public int Distance { get; }
    public double SigmaVthVolts { get; }
    public double AdcOffsetSigmaLsb { get; }
    public int IdealCode { get; }
    public double LsbVolts => _adc.LsbVolts;

    /// <summary>The columns that differ (bit c of the masks is column c).</summary>
    public IReadOnlyList<int> DifferingColumns => _columns;

    /// <summary>Two (10T) or three (12T: with the row gate) stack devices per differing column, then the ADC offset if it varies.</summary>
    public int Dimensions => _perColumn * _columns.Length + (AdcOffsetSigmaLsb > 0 ? 1 : 0);

    /// <summary>Each differing column's stack devices (and the ADC offset on its own, when it varies).</summary>
    public IReadOnlyList<int[]> Groups
    {
        get
        {
            var groups = Enumerable.Range(0, _columns.Length).Select(i => Enumerable.Range(_perColumn * i, _perColumn).ToArray()).ToList();
            if (AdcOffsetSigmaLsb > 0) groups.Add([Dimensions - 1]);
            return groups;
        }
    }

    /// <summary>The stored key and the query of this readout.</summary>
    public (ulong Key, ulong Query) Masks()
    {
        ulong key = 0, differ = 0;
        for (int c = 0; c < _calibration.Columns; c++)
            if ((c / BitsPerElement) % 2 == 0) key |= 1UL << c;
        foreach (int c in _columns) differ |= 1UL << c;
        return (key, key ^ differ);
    }

    /// <summary>V_SLP + V_SLN for the variables <paramref name="z"/> (read stacks in sigma units).</summary>
    public double Volts(ReadOnlySpan<double> z)
    {
        double slp = 0, sln = 0;
        for (int i = 0; i < _columns.Length; i++)
        {
            int at = _perColumn * i;
            double drop = _calibration.Drop(_columns[i] % BitsPerElement, SigmaVthVolts * z[at], SigmaVthVolts * z[at + 1],
                _perColumn == 3 ? SigmaVthVolts * z[at + 2] : 0);
            if (_storedOne[i]) slp += drop; else sln += drop;
        }
        return _calibration.SumVolts(BitsPerElement, slp, sln);
    }

    /// <summary>
    /// The ADC's offset in LSB of this readout's ADC for <paramref name="z"/> (zero when the offset does not vary): the
    /// comparator offset model of the per-die ADC mismatch (<see cref="AdcMismatch.OffsetLsb"/>), its sigma counted in LSB
    /// of the 1-bit ADC, drawn here per readout.
    /// </summary>
    public double OffsetLsb(ReadOnlySpan<double> z) =>
        AdcOffsetSigmaLsb > 0 ? AdcMismatch.OffsetLsb(AdcOffsetSigmaLsb, z[^1], _referenceLsbVolts, _adc.LsbVolts) : 0;

    /// <summary>The code the ADC gives.</summary>
    public int Code(ReadOnlySpan<double> z)
    {
        double offset = OffsetLsb(z);
        var adc = offset == 0 ? _adc : new SumLineAdc(_adc.Bits, _adc.TopVolts, _adc.LsbVolts, offset, _adc.InlPeakLsb);
        return adc.Convert(Volts(z)).Code;
    }

    public bool Fails(ReadOnlySpan<double> z) => Code(z) != IdealCode;

    /// <summary>
    /// Distance to the decision threshold on one side, in LSB: negative once the reading crosses it.
    /// <paramref name="side"/> -1: the threshold below the ideal code (the row reads nearer than it is: slow stacks);
    /// +1: the one above (reads farther: fast stacks).
    /// </summary>
    public double Margin(ReadOnlySpan<double> z, int side)
    {
        double x = (_adc.TopVolts - Volts(z)) / _adc.LsbVolts + OffsetLsb(z);
        return side < 0 ? x - (IdealCode - 0.5) : IdealCode + 0.5 - x;
    }

    /// <summary>Whether some read stack's shift at <paramref name="z"/> lies outside the characterised grid (the compact model clamps there).</summary>
    public bool BeyondGrid(ReadOnlySpan<double> z)
    {
        double low = _calibration.Grid[0], high = _calibration.Grid[^1];
        for (int i = 0; i < _perColumn * _columns.Length; i++)
        {
            double v = SigmaVthVolts * z[i];
            if (v < low || v > high) return true;
        }
        return false;
    }

    /// <summary>
    /// The row bench's device shifts for <paramref name="z"/> (every other device nominal): the differing columns'
    /// read stacks at their shifts, so ngspice can read the same row (<see cref="ArrayVth.RowBenchShifts"/>'s order).
    /// </summary>
    public double[] RowBenchShifts(ReadOnlySpan<double> z, bool rowGated)
    {
        var shifts = new double[ArrayVth.RowBenchCount(_calibration.Columns, rowGated)];
        int perColumn = ArrayVth.CellDevices + ArrayVth.PeripheryPerColumn;
        for (int i = 0; i < _columns.Length; i++)
        {
            int c = _columns[i];
            shifts[c * perColumn + (_storedOne[i] ? ArrayVth.KeyBl : ArrayVth.KeyBlb)] = SigmaVthVolts * z[_perColumn * i];
            shifts[c * perColumn + (_storedOne[i] ? ArrayVth.QueryBl : ArrayVth.QueryBlb)] = SigmaVthVolts * z[_perColumn * i + 1];
            if (_perColumn == 3 && rowGated)
                shifts[ArrayVth.RowBenchRowGate(_calibration.Columns, c, _storedOne[i] ? 0 : 1)] = SigmaVthVolts * z[_perColumn * i + 2];
        }
        return shifts;
    }

    /// <summary>The ADC the code is read with (offset applied by <see cref="Code"/>).</summary>
    public SumLineAdc Adc => _adc;
}
