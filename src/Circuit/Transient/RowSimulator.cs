using System.Globalization;
using Mbi.Circuit.Engine;
using Mbi.Circuit.Netlists;

namespace Mbi.Circuit.Transient;

/// <summary>
/// Runs a <see cref="RowBench"/> on one engine. The netlist is parsed once; each run then only
/// alters the transistors whose Vth shift changed (BSIM4 instance parameter delvto) and reruns the
/// transient, which is what makes Monte Carlo fast (no parse, no netlist text per die).
/// </summary>
internal sealed class RowSimulator
{
    private readonly NgSpiceEngine _engine;
    private readonly RowBench _bench;
    private readonly double[] _loaded;

    public RowSimulator(NgSpiceEngine engine, RowBench bench)
    {
        _engine = engine;
        _bench = bench;
        _loaded = new double[bench.Devices.Count];
        _engine.Load(bench.Write());
    }

    public RowBench Bench => _bench;

    /// <summary>Runs the transient with the given per-device Vth shifts (empty = nominal).</summary>
    public RowResult Run(ReadOnlySpan<double> deltaVthVolts = default)
    {
        AlterShifts(deltaVthVolts);
        return RunThen(Collect);
    }

    /// <summary>Alters delvto on every transistor whose shift differs from the one loaded (empty = nominal).</summary>
    private void AlterShifts(ReadOnlySpan<double> deltaVthVolts)
    {
        var devices = _bench.Devices;
        if (deltaVthVolts.Length != 0 && deltaVthVolts.Length != devices.Count)
            throw new ArgumentException($"{deltaVthVolts.Length} Vth shifts for {devices.Count} devices", nameof(deltaVthVolts));
        for (int i = 0; i < devices.Count; i++)
        {
            double shift = deltaVthVolts.Length == 0 ? 0 : deltaVthVolts[i];
            if (shift == _loaded[i] || !devices[i].InDeck) continue;
            _engine.Execute(string.Create(CultureInfo.InvariantCulture, $"alter @{devices[i].InstancePath}[delvto]={shift:R}"));
            _loaded[i] = shift;
        }
    }

    /// <summary>
    /// Runs the nominal transient (no shifts) and records every driver chain's output for <see cref="DriverReplay"/>; the
    /// bench must save them (<see cref="RowBench.Recording"/>).
    /// </summary>
    public (RowResult Result, DriverReplay Replay) RunAndRecord()
    {
        if (!_bench.RecordsDrivers) throw new InvalidOperationException("the bench does not save its driver outputs; use RowBench.Recording()");
        AlterShifts(default);
        return RunThen(() => (Collect(), DriverReplay.From(_engine.RequireVector("time"),
            [.. _bench.Chains.Select(c => (c.Name, _engine.RequireVector(c.Output)))])));
    }

    /// <summary>
    /// The naive path, kept for comparison (bench/Circuit): writes the die's whole netlist with its
    /// delvto values and has ngspice parse it afresh before running.
    /// </summary>
    public RowResult RunFreshlyParsed(ReadOnlySpan<double> deltaVthVolts)
    {
        _engine.Load(_bench.Write(deltaVthVolts));
        deltaVthVolts.CopyTo(_loaded);
        return RunThen(Collect);
    }

    /// <summary>Runs the transient and reads what <paramref name="read"/> needs before the plot is destroyed.</summary>
    private T RunThen<T>(Func<T> read)
    {
        _engine.Execute("run");
        try
        {
            return read();
        }
        finally
        {
            _engine.Execute("destroy all");
        }
    }

    private RowResult Collect()
    {
        double[] time = _engine.RequireVector("time");
        double[] slp = _engine.RequireVector("slp");
        double[] sln = _engine.RequireVector("sln");
        var timings = _bench.Timings;
        var settledSlp = new double[timings.Count];
        var settledSln = new double[timings.Count];
        for (int c = 0; c < timings.Count; c++)
        {
            settledSlp[c] = Waveform.At(time, slp, timings[c].Settle);
            settledSln[c] = Waveform.At(time, sln, timings[c].Settle);
        }
        var supplies = _bench.Supplies;
        var charges = new double[timings.Count * supplies.Count * 3];
        for (int s = 0; s < supplies.Count; s++)
        {
            double[] current = _engine.RequireVector(supplies[s].Source + "#branch");
            Waveform.ChargePerPhase(time, current, timings, s, supplies.Count, charges);
        }
        return new RowResult(time, slp, sln, settledSlp, settledSln, supplies, charges);
    }
}
