using Mbi.Circuit.Design;
using Mbi.Circuit.Engine;
using Mbi.Circuit.Netlists;
using Mbi.CoSim.Arrays;
using Mbi.Core.Errors;

namespace Mbi.CoSim.Tail;

/// <summary>What `mbi tail` estimates.</summary>
/// <param name="Arrays">Arrays in the LUT whose yield is reported (every row of each read at the level).</param>
/// <param name="SpiceDraws">Importance-sampling draws re-read in ngspice per level (0: none).</param>
internal sealed record TailSettings(int BitsPerElement, IReadOnlyList<int> Levels, double SigmaVthVolts, long MonteCarloSamples,
    long ImportanceSamples, ulong Seed, int Workers, long Arrays, int RowsPerArray, double AdcOffsetSigmaLsb = 0, int SpiceDraws = 0)
{
    public void Validate()
    {
        if (MonteCarloSamples < 0) throw BadInputException.For("monte-carlo samples", MonteCarloSamples, "zero or more", "100000");
        if (ImportanceSamples < 1) throw BadInputException.For("importance samples", ImportanceSamples, "at least 1", "20000");
        if (Arrays < 1) throw BadInputException.For("arrays", Arrays, "at least 1", "41080");
        if (Levels.Count == 0) throw BadInputException.For("levels", "", "at least one distance level", "1,16,31");
        if (SpiceDraws < 0) throw BadInputException.For("spice draws", SpiceDraws, "zero or more", "8");
    }
}

/// <summary>One level's answer.</summary>
/// <param name="AgreeWithinInterval">Whether the importance-sampling and plain Monte Carlo 95 % intervals overlap
/// (null when plain Monte Carlo saw no failure or did not run).</param>
/// <param name="LutYieldUnionBound">1 - arrays x rows x the estimate's upper bound (a lower bound on the yield: every row read at this level).</param>
/// <param name="LutYieldIndependent">(1 - p)^(arrays x rows), treating rows as independent.</param>
internal sealed record TailLevel(int Level, int IdealCode, double NominalVolts, double LsbVolts, IReadOnlyList<FailurePointReport> FailurePoints,
    ProbabilityEstimate? MonteCarlo, ProbabilityEstimate ImportanceSampling, bool? AgreeWithinInterval, double LutYieldUnionBound,
    double LutYieldIndependent, SpiceCheck? Spice);

internal sealed record FailurePointReport(string Side, string Mode, double Beta, bool Reached, bool BeyondGrid, double MaxShiftVolts, int Iterations);

/// <summary>Importance-sampling draws re-read in ngspice: how often ngspice and the compact model agree on failure, and the
/// estimate with ngspice's indicator on those draws alone (a wide interval: few draws).</summary>
internal sealed record SpiceCheck(int Draws, int CompactFailures, int SpiceFailures, int Disagreements, double MaxCodeDifference,
    double Probability, double Seconds);

internal sealed record TailReport(int BitsPerElement, double SigmaVthVolts, double AdcOffsetSigmaLsb, int AdcBits, long Arrays, int RowsPerArray,
    ulong Seed, IReadOnlyList<TailLevel> Levels, DesignStamp Design, string Method);

/// <summary>Runs the tail estimate level by level on the compact model (and optionally ngspice).</summary>
internal static class TailStudy
{
    public const string MethodNote =
        "Per-readout failure = ADC code differs from the nominal die's code. Variables: the read-stack delta-Vth of the differing columns " +
        "(and the ADC offset when --adc-offset-sigma is set). Plain Monte Carlo: Clopper-Pearson 95 % interval. Importance sampling: " +
        "unit-variance normals centred on each side's most probable failure point (HL-RF on the compact model), 10 % defensive " +
        "nominal component, likelihood-ratio weights, normal 95 % interval. The compact model clamps read-stack shifts to its " +
        "characterised grid; a failure point beyond it is flagged.";

    public static TailReport Run(CompactCalibration calibration, CircuitDesign design, DesignStamp stamp, TailSettings settings,
        IProgress<string>? progress = null)
    {
        settings.Validate();
        var levels = new List<TailLevel>();
        foreach (int level in settings.Levels)
        {
            progress?.Report($"level {level}");
            var readout = new ReadoutFailure(calibration, settings.BitsPerElement, level, design.Adc.Bits, settings.SigmaVthVolts, settings.AdcOffsetSigmaLsb);
            var points = TailEstimator.FailurePoints(readout, -1).Concat(TailEstimator.FailurePoints(readout, +1)).ToList();
            ProbabilityEstimate? mc = settings.MonteCarloSamples > 0
                ? TailEstimator.MonteCarlo(readout, settings.MonteCarloSamples, settings.Seed, settings.Workers) : null;
            var importance = TailEstimator.ImportanceSampling(readout, points, settings.ImportanceSamples, settings.Seed, settings.Workers);
            bool? agree = mc is { Failures: > 0 } ? importance.Lower95 <= mc.Upper95 && mc.Lower95 <= importance.Upper95 : null;
            double rows = (double)settings.Arrays * settings.RowsPerArray;
            double unionBound = Math.Max(0, 1 - rows * importance.Upper95);
            double independent = Math.Exp(rows * Log1P(-Math.Min(importance.Probability, 1 - 1e-16)));
            var spice = settings.SpiceDraws > 0 ? SpiceConfirm(readout, points, design, settings) : null;
            levels.Add(new TailLevel(level, readout.IdealCode, readout.Volts(new double[readout.Dimensions]), readout.LsbVolts,
                points.Select(p => new FailurePointReport(p.Side < 0 ? "reads-nearer" : "reads-farther", p.Mode, p.Beta, p.Reached, p.BeyondGrid,
                    p.Z.Take(2 * readout.DifferingColumns.Count).Select(v => Math.Abs(v) * settings.SigmaVthVolts).DefaultIfEmpty(0).Max(), p.Iterations)).ToList(),
                mc, importance, agree, unionBound, independent, spice));
        }
        return new TailReport(settings.BitsPerElement, settings.SigmaVthVolts, settings.AdcOffsetSigmaLsb, design.Adc.Bits, settings.Arrays,
            settings.RowsPerArray, settings.Seed, levels, stamp, MethodNote);
    }

    /// <summary>log(1 + x), accurate for the tiny x of tail probabilities.</summary>
    private static double Log1P(double x) => Math.Abs(x) < 1e-4 ? x - x * x / 2 + x * x * x / 3 : Math.Log(1 + x);

    /// <summary>Re-reads the first importance-sampling draws in ngspice (the row bench with those read-stack shifts).</summary>
    private static SpiceCheck SpiceConfirm(ReadoutFailure readout, IReadOnlyList<FailurePoint> points, CircuitDesign design, TailSettings settings)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (key, query) = readout.Masks();
        bool rowGated = design.Array.RowSelect == RowSelect.RowGated;
        int compactFailures = 0, spiceFailures = 0, disagreements = 0, draws = 0;
        double maxDifference = 0, weighted = 0;
        using var engine = NgSpiceEngine.Start();
        foreach (var (z, weight) in TailEstimator.ProposalDraws(readout, points, settings.Seed, settings.SpiceDraws))
        {
            var result = SpiceRows.Run(engine, design.Technology, design.Array, readout.BitsPerElement, key, [query], readout.RowBenchShifts(z, rowGated));
            double volts = result.SumVolts(0);
            var adc = readout.Adc;
            int spiceCode = new Circuit.Adc.SumLineAdc(adc.Bits, adc.TopVolts, adc.LsbVolts, readout.OffsetLsb(z), adc.InlPeakLsb).Convert(volts).Code;
            int compactCode = readout.Code(z);
            bool spiceFails = spiceCode != readout.IdealCode, compactFails = compactCode != readout.IdealCode;
            draws++;
            if (spiceFails) { spiceFailures++; weighted += weight; }
            if (compactFails) compactFailures++;
            if (spiceFails != compactFails) disagreements++;
            maxDifference = Math.Max(maxDifference, Math.Abs(spiceCode - compactCode));
        }
        return new SpiceCheck(draws, compactFailures, spiceFailures, disagreements, maxDifference, weighted / Math.Max(1, draws), clock.Elapsed.TotalSeconds);
    }
}
