using System.Text;

namespace Mbi.Circuit.Netlists;

/// <summary>The row bench's rails, control drivers and query-line drivers.</summary>
internal sealed partial class RowBench
{
    private void WriteRails(StringBuilder t)
    {
        t.Append("* precharge rails: column c of a p-bit cycle precharges to VPmax / 2^(c mod p)\n");
        for (int r = 0; r < _railVolts.Length; r++)
        {
            double[] volts = [_railVolts[r][0], .. _railVolts[r]];
            if (volts.All(v => v == volts[0]))
            {
                t.Append($"vpr{r} pr{r} 0 DC {Spice.Num(volts[0])}\n");
                continue;
            }
            var points = new List<(double, double)> { (0, volts[0]) };
            for (int i = 1; i < volts.Length; i++)
                Spice.Step(points, _runTimings[i].Start - _design.GapSeconds, volts[i - 1], volts[i], _design.EdgeSeconds);
            Spice.Pwl(t, $"vpr{r}", $"pr{r}", "0", points);
        }
    }

    private void WriteControls(StringBuilder t, double vdd)
    {
        double edge = _design.EdgeSeconds;
        double pgLow = -_design.PrechargeBoostVolts;
        var pg = new List<(double, double)> { (0, pgLow) };
        var shn = new List<(double, double)> { (0, 0) };
        var shp = new List<(double, double)> { (0, vdd) };
        double shnHigh = vdd + _design.ShareBoostVolts, shpLow = -_design.ShareBoostVolts;
        for (int i = 0; i < _runTimings.Length; i++)
        {
            var c = _runTimings[i];
            if (i > 0) Spice.Step(pg, c.Start, vdd, pgLow, edge);
            Spice.Step(pg, c.EvalStart - edge - _design.GapSeconds, pgLow, vdd, edge);
            Spice.Step(shn, c.ShareStart, 0, shnHigh, edge);
            Spice.Step(shn, c.Settle, shnHigh, 0, edge);
            Spice.Step(shp, c.ShareStart, vdd, shpLow, edge);
            Spice.Step(shp, c.Settle, shpLow, vdd, edge);
        }
        t.Append("* precharge gate (boosted below ground) and transmission-gate drives (boosted both ways)\n");
        Spice.Pwl(t, "vpg", "pg", "0", pg);
        Spice.Pwl(t, "vshn", "shn", "0", shn);
        Spice.Pwl(t, "vshp", "shp", "0", shp);
    }

    private void WriteQueryLines(StringBuilder t, double vdd)
    {
        t.Append("* query lines ql = q, qlb = not q, high only while evaluating; all return through vqret (ammeter)\n");
        t.Append("vqret qret 0 DC 0\n");
        var ql = new List<(double, double)>();
        var qlb = new List<(double, double)>();
        for (int c = 0; c < _program.Columns; c++)
        {
            ql.Clear(); qlb.Clear();
            ql.Add((0, 0)); qlb.Add((0, 0));
            for (int i = 0; i < _runTimings.Length; i++)
            {
                var timing = _runTimings[i];
                bool q = _runCycles[i].Query[c];
                var line = q ? ql : qlb;
                double fall = timing.ShareStart - _design.GapSeconds - _design.EdgeSeconds;
                Spice.Step(line, timing.EvalStart, 0, vdd, _design.EdgeSeconds);
                Spice.Step(line, fall, vdd, 0, _design.EdgeSeconds);
            }
            Spice.Pwl(t, $"vq{c}", $"ql{c}", "qret", ql);
            Spice.Pwl(t, $"vqb{c}", $"qlb{c}", "qret", qlb);
        }
    }
}
