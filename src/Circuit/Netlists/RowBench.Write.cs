using System.Text;

namespace Mbi.Circuit.Netlists;

/// <summary>The netlist text of a <see cref="RowBench"/>: self-contained, invariant culture.</summary>
internal sealed partial class RowBench
{
    /// <summary>
    /// The netlist. <paramref name="deltaVthVolts"/> (one per <see cref="Devices"/> entry, or empty for
    /// nominal) is written as each transistor's delvto, so a Monte Carlo die can be rerun by hand.
    /// </summary>
    public string Write(ReadOnlySpan<double> deltaVthVolts = default)
    {
        if (deltaVthVolts.Length != 0 && deltaVthVolts.Length != _devices.Length)
            throw new ArgumentException($"{deltaVthVolts.Length} Vth shifts for {_devices.Length} devices", nameof(deltaVthVolts));
        var t = new StringBuilder(64 * 1024);
        double vdd = _technology.VddVolts;
        var scheme = _design.RowSelect;
        string how = _unselected.Length == 0 ? "no other rows" : _design.UnselectedRows == UnselectedRows.Full
            ? $"{_unselected.Length} unselected rows, every cell" : $"{_unselected.Length} unselected rows merged per column and stored bit";
        t.Append($"* Mbi array bench ({CellTemplate.NameOf(scheme, Storage)}, row select {scheme}; selected row + {how}): ")
         .Append(_program.Columns).Append(" columns, ").Append(_program.Cycles.Count)
         .Append(" precharge/evaluate/share cycles after ").Append(WarmUpCycles).Append(" warm-up cycle, technology ").Append(_technology.Name).Append('\n');
        t.Append("* Written by Mbi (src/Circuit/Netlists/RowBench.cs); runs unchanged with `ngspice -b`.\n");
        if (Replay is not null)
            t.Append("* Driver chains replayed: each chain's output is the waveform recorded on this run's nominal die (").Append(Replay.Points)
             .Append(" time points, within ").Append(Spice.Num(DriverReplay.ToleranceVolts)).Append(" V); the chains take no Vth shift\n");
        t.Append(_technology.ModelCardForNetlist).Append('\n');
        t.Append(CellTemplate.For(_technology, scheme, _design.RowGateWidthRatio, Storage)).Append('\n');
        string cellName = CellTemplate.NameOf(scheme, Storage);

        t.Append("* supplies: cell VDD, write word line (off); the selected row's source line has its own driver below\n");
        t.Append("vdd vdd 0 DC ").Append(Spice.Num(vdd)).Append('\n');
        t.Append("vwl wl 0 DC 0\n");
        WriteRails(t);
        WriteControls(t, vdd);
        WriteQueryLines(t, vdd);

        int deviceIndex = 0;
        string flags = _technology.DeviceFlags;
        string size = $"w={Spice.Num(_technology.WidthMeters)} l={Spice.Num(_technology.LengthMeters)} {flags}";
        string prechargeSize = $"w={Spice.Num(_technology.WidthMeters * _design.PrechargeWidthRatio)} l={Spice.Num(_technology.LengthMeters)} {flags}";
        string shareSize = $"w={Spice.Num(_technology.WidthMeters * _design.ShareWidthRatio)} l={Spice.Num(_technology.LengthMeters)} {flags}";
        for (int c = 0; c < _program.Columns; c++)
        {
            t.Append("* column ").Append(c).Append(": key bit ").Append(_program.Key[c] ? 1 : 0).Append('\n');
            t.Append("xc").Append(c).Append($" bl{c} blb{c} ql{c} qlb{c} sl ").Append(scheme == RowSelect.RowGated ? "rwl " : "")
             .Append("wl ").Append(StorageNodes($"q{c}", $"qb{c}", _program.Key[c])).Append(" vdd 0 ").Append(cellName);
            foreach (var (name, _, parameter) in CellTemplate.Transistors)
            {
                double d = Shift(deltaVthVolts, deviceIndex++);
                if (d != 0 && InDeck(name)) t.Append(' ').Append(parameter).Append('=').Append(Spice.Num(d));
            }
            if (scheme == RowSelect.RowGated)
                for (int g = 0; g < CellTemplate.RowGates.Length; g++)
                {
                    double d = Shift(deltaVthVolts, RowGateIndex(c) + g);
                    if (d != 0) t.Append(' ').Append(CellTemplate.RowGates[g].Parameter).Append('=').Append(Spice.Num(d));
                }
            t.Append('\n');
            if (_design.BitlineCapacitanceFarads > 0)
            {
                t.Append($"cbl{c} bl{c} 0 {Spice.Num(_design.BitlineCapacitanceFarads)}\n");
                t.Append($"cblb{c} blb{c} 0 {Spice.Num(_design.BitlineCapacitanceFarads)}\n");
            }
            string rail = "pr" + _railOfColumn[c];
            Mos(t, $"mpb{c}", $"bl{c} pg {rail} vdd", true, prechargeSize, Shift(deltaVthVolts, deviceIndex++));
            Mos(t, $"mpbb{c}", $"blb{c} pg {rail} vdd", true, prechargeSize, Shift(deltaVthVolts, deviceIndex++));
            Mos(t, $"mtn{c}", $"bl{c} shn slp 0", false, shareSize, Shift(deltaVthVolts, deviceIndex++));
            Mos(t, $"mtp{c}", $"bl{c} shp slp vdd", true, shareSize, Shift(deltaVthVolts, deviceIndex++));
            Mos(t, $"mtnb{c}", $"blb{c} shn sln 0", false, shareSize, Shift(deltaVthVolts, deviceIndex++));
            Mos(t, $"mtpb{c}", $"blb{c} shp sln vdd", true, shareSize, Shift(deltaVthVolts, deviceIndex++));
        }
        t.Append(_design.SumLineReset == SumLineReset.UntilShare
            ? "* sum lines and their reset to VPmax (own gate line psl: on through precharge and evaluation, off as sharing starts)\n"
            : "* sum lines and their precharge to VPmax (with the bitlines, gate line pg)\n");
        if (_design.SumLineCapacitanceFarads > 0)
        {
            t.Append($"cslp slp 0 {Spice.Num(_design.SumLineCapacitanceFarads)}\n");
            t.Append($"csln sln 0 {Spice.Num(_design.SumLineCapacitanceFarads)}\n");
        }
        string reset = SumLineResetGate;
        Mos(t, "mpsp", $"slp {reset} pr0 vdd", true, prechargeSize, Shift(deltaVthVolts, deviceIndex++));
        Mos(t, "mpsn", $"sln {reset} pr0 vdd", true, prechargeSize, Shift(deltaVthVolts, deviceIndex++));
        if (scheme == RowSelect.RowGated) deviceIndex += _program.Columns * CellTemplate.RowGates.Length;
        WriteUnselectedRows(t, deltaVthVolts, ref deviceIndex);
        System.Diagnostics.Debug.Assert(deviceIndex == _devices.Length);

        WriteStoredKeyIc(t, vdd);
        t.Append(".save v(slp) v(sln)");
        foreach (var s in _supplies) t.Append(" i(").Append(s.Source).Append(')');
        if (RecordsDrivers)
            foreach (var chain in Chains) t.Append(" v(").Append(chain.Output).Append(')');
        t.Append('\n');
        t.Append(".options reltol=").Append(Spice.Num(_design.RelativeTolerance)).Append('\n');
        t.Append(".tran ").Append(Spice.Num(_design.MaxStepSeconds)).Append(' ').Append(Spice.Num(StopSeconds)).Append('\n');
        for (int i = 0; i < Timings.Count; i++)
        {
            t.Append($".meas tran slp_{i} find v(slp) at={Spice.Num(Timings[i].Settle)}\n");
            t.Append($".meas tran sln_{i} find v(sln) at={Spice.Num(Timings[i].Settle)}\n");
        }
        t.Append(".end\n");
        return t.ToString();
    }

    /// <summary>
    /// The stored key (held while the operating point is found, free afterwards); nothing under
    /// <see cref="CellStorage.Held"/>, whose storage nodes are the rails themselves.
    /// </summary>
    private void WriteStoredKeyIc(StringBuilder t, double vdd)
    {
        if (Storage == CellStorage.Held) return;
        t.Append("* stored key (held while the operating point is found, free afterwards)\n.ic");
        for (int c = 0; c < _program.Columns; c++)
        {
            if (c > 0 && c % 8 == 0) t.Append("\n+");
            bool k = _program.Key[c];
            t.Append($" v(q{c})={Spice.Num(k ? vdd : 0)} v(qb{c})={Spice.Num(k ? 0 : vdd)}");
        }
        if (_design.UnselectedRows == UnselectedRows.Full)
            for (int u = 0; u < _unselected.Length; u++)
                for (int c = 0; c < _program.Columns; c++)
                {
                    bool k = _unselected[u][c];
                    t.Append($"\n+ v(qu{u}_{c})={Spice.Num(k ? vdd : 0)} v(qbu{u}_{c})={Spice.Num(k ? 0 : vdd)}");
                }
        else
            for (int c = 0; c < _program.Columns; c++)
                foreach (bool k in new[] { true, false })
                    if (MergedCount(c, k) > 0)
                        t.Append($"\n+ v(qm{(k ? 1 : 0)}_{c})={Spice.Num(k ? vdd : 0)} v(qbm{(k ? 1 : 0)}_{c})={Spice.Num(k ? 0 : vdd)}");
        t.Append('\n');
    }

    /// <summary>A cell instance's q and qb ports: its own storage nodes, or under <see cref="CellStorage.Held"/> the rails of its stored bit.</summary>
    private string StorageNodes(string q, string qb, bool storedBit) =>
        Storage == CellStorage.Latched ? q + " " + qb : storedBit ? "vdd 0" : "0 vdd";

    /// <summary>Whether a cell transistor is in the deck (the latch is not under held storage).</summary>
    private bool InDeck(string transistor) => Storage == CellStorage.Latched || !CellTemplate.LatchTransistors.Contains(transistor);

    private static double Shift(ReadOnlySpan<double> shifts, int index) => shifts.Length == 0 ? 0 : shifts[index];

    private void Mos(StringBuilder t, string name, string nodes, bool pmos, string size, double shift)
    {
        t.Append(name).Append(' ').Append(nodes).Append(' ').Append(pmos ? _technology.PmosModel : _technology.NmosModel).Append(' ').Append(size);
        t.Append(" delvto=").Append(Spice.Num(shift)).Append('\n');
    }

    private int RowGateIndex(int column) => _program.Columns * 16 + 2 + column * CellTemplate.RowGates.Length;

    private int MergedCount(int column, bool storedBit) =>
        storedBit ? _unselectedOnes[column] : _unselected.Length - _unselectedOnes[column];

    private void WriteUnselectedRows(StringBuilder t, ReadOnlySpan<double> deltaVthVolts, ref int deviceIndex)
    {
        if (_unselected.Length == 0) return;
        var scheme = _design.RowSelect;
        string cell = CellTemplate.NameOf(scheme, Storage);
        string select = scheme == RowSelect.RowGated ? " rwlu" : "";
        if (scheme == RowSelect.RowGated)
        {
            t.Append("* unselected rows: read word lines low (row-gated devices off), source lines grounded\n");
            t.Append("vrwlu rwlu 0 DC 0\nvslu slu 0 DC 0\n");
        }
        else
        {
            t.Append("* unselected rows (paper's 10T scheme): source lines held at VPmax\n");
            t.Append($"vslu slu 0 DC {Spice.Num(_design.VpMaxVolts)}\n");
        }
        if (_design.UnselectedRows == UnselectedRows.Merged)
        {
            t.Append("* unselected cells merged: per column, one instance (multiplier mult) per stored bit\n");
            for (int c = 0; c < _program.Columns; c++)
                foreach (bool k in new[] { true, false })
                {
                    int count = MergedCount(c, k);
                    if (count == 0) continue;
                    int b = k ? 1 : 0;
                    t.Append($"xm{b}_{c} bl{c} blb{c} ql{c} qlb{c} slu{select} wl {StorageNodes($"qm{b}_{c}", $"qbm{b}_{c}", k)} vdd 0 {cell} mult={count}\n");
                }
            return;
        }
        var transistors = CellTemplate.TransistorsOf(scheme);
        for (int u = 0; u < _unselected.Length; u++)
        {
            t.Append($"* unselected row {u}\n");
            for (int c = 0; c < _program.Columns; c++)
            {
                t.Append($"xu{u}_{c} bl{c} blb{c} ql{c} qlb{c} slu{select} wl {StorageNodes($"qu{u}_{c}", $"qbu{u}_{c}", _unselected[u][c])} vdd 0 {cell}");
                foreach (var (name, _, parameter) in transistors)
                {
                    double d = Shift(deltaVthVolts, deviceIndex++);
                    if (d != 0 && InDeck(name)) t.Append(' ').Append(parameter).Append('=').Append(Spice.Num(d));
                }
                t.Append('\n');
            }
        }
    }
}
