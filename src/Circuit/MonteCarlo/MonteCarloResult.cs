using Mbi.Circuit.Adc;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Transient;
using Mbi.Core.IO;

namespace Mbi.Circuit.MonteCarlo;

/// <summary>The nominal staircase, every die's staircase, and the statistics the paper's claim is about.</summary>
public sealed class MonteCarloResult
{
    internal MonteCarloResult(MonteCarloSettings settings, Staircase staircase, RowBench bench, RowResult nominal,
        IReadOnlyList<SampleOutcome> samples, string engineVersion, double wallSeconds, int workers)
    {
        Settings = settings; Staircase = staircase; Bench = bench; Nominal = nominal; Samples = samples;
        EngineVersion = engineVersion; WallSeconds = wallSeconds; Workers = workers;
    }

    /// <summary>The settings the run used (validated).</summary>
    public MonteCarloSettings Settings { get; }
    /// <summary>The distance staircase every die was read on: which cycle is which level (<see cref="SampleOutcome.SlpVolts"/> is indexed by cycle).</summary>
    public Staircase Staircase { get; }
    internal RowBench Bench { get; }

    /// <summary>The bench the dies ran: <see cref="Bench"/> with its driver chains replayed (<see cref="DriverSimulation.Replayed"/>), or the same bench.</summary>
    internal RowBench DieBench { get; init; } = null!;
    internal RowResult Nominal { get; }
    /// <summary>Every die in index order, failed ones included.</summary>
    public IReadOnlyList<SampleOutcome> Samples { get; }
    /// <summary>The ngspice version that simulated the run.</summary>
    public string EngineVersion { get; }
    /// <summary>Wall-clock time of the run, in seconds.</summary>
    public double WallSeconds { get; }
    /// <summary>Worker engines that ran.</summary>
    public int Workers { get; }
    /// <summary>Dies read back from the run's journal rather than simulated in this process.</summary>
    public int ResumedDies { get; init; }
    /// <summary>Damaged journal lines skipped when the journal was read (their dies were simulated again).</summary>
    public int DamagedJournalLines { get; init; }
    /// <summary>The nominal die was read back from the journal (bit for bit), not simulated in this process.</summary>
    public bool NominalResumed { get; init; }
    /// <summary>Dies whose simulation failed (their reason is in <see cref="SampleOutcome.Failure"/>).</summary>
    public int FailedSamples => Samples.Count(s => s.Failed);

    /// <summary>Transients simulated in this process per second (nominal + dies not read back from a journal).</summary>
    public double TransientsPerSecond => (Samples.Count - ResumedDies + (NominalResumed ? 0 : 1)) / WallSeconds;

    /// <summary>The same dies read by a different ADC (no new simulation).</summary>
    public MonteCarloResult WithAdcBits(int bits) =>
        new(Settings with { AdcBits = bits }, Staircase, Bench, Nominal, Samples, EngineVersion, WallSeconds, Workers) { ResumedDies = ResumedDies, DamagedJournalLines = DamagedJournalLines, NominalResumed = NominalResumed, DieBench = DieBench };

    /// <summary>
    /// The ADC of a mode: top = nominal level-0 sum, LSB = mean nominal step of that mode (the
    /// one-level step: VPmax/32 for 1-bit columns, VPmax/64 for 2-bit elements at 32 columns).
    /// </summary>
    public SumLineAdc Adc(int mode)
    {
        int first = Staircase.FirstCycle(mode), levels = Staircase.LevelCount(mode);
        double top = Nominal.SumVolts(first), bottom = Nominal.SumVolts(first + levels - 1);
        return new SumLineAdc(Settings.AdcBits, top, (top - bottom) / (levels - 1), Settings.AdcOffsetLsb, Settings.AdcInlPeakLsb);
    }

    /// <summary>
    /// The ADC die <paramref name="die"/> reads mode <paramref name="mode"/> with: <see cref="Adc"/> with the die's own
    /// comparator offset and capacitor errors (<see cref="AdcMismatch"/>, ADC 0 of the die: the row bench has one sum-line
    /// pair). Both modes go through the same converter, so they share the draws; the offset's sigma is counted in the 1-bit
    /// mode's LSB. The nominal ADC itself when the design's ADC sigmas are zero.
    /// </summary>
    public SumLineAdc DieAdc(int mode, int die) => Settings.Adc.Mismatch.Apply(Adc(mode), Adc(1).LsbVolts, Settings.Seed, die, 0);

    /// <summary>Step and code statistics of one mode (1 = 1-bit columns, 2 = 2-bit elements).</summary>
    public StepStatistics Statistics(int mode)
    {
        int first = Staircase.FirstCycle(mode), levels = Staircase.LevelCount(mode);
        var adc = Adc(mode);
        var nominalSums = new double[levels];
        var nominalCodes = new int[levels];
        for (int l = 0; l < levels; l++)
        {
            nominalSums[l] = Nominal.SumVolts(first + l);
            nominalCodes[l] = adc.Convert(nominalSums[l]).Code;
        }
        var nominalSteps = new double[levels - 1];
        for (int l = 0; l + 1 < levels; l++) nominalSteps[l] = nominalSums[l] - nominalSums[l + 1];

        var steps = new List<double>((levels - 1) * Samples.Count);
        long readouts = 0, errors = 0, idealAdcErrors = 0, saturated = 0, inversions = 0;
        bool mismatch = !Settings.Adc.Mismatch.IsZero;
        int minSample = -1, minLevel = -1;
        double min = double.PositiveInfinity;
        foreach (var s in Samples)
        {
            if (s.Failed) continue;
            double previous = double.NaN;
            var dieAdc = mismatch ? DieAdc(mode, s.Index) : adc;
            for (int l = 0; l < levels; l++)
            {
                double sum = s.SlpVolts[first + l] + s.SlnVolts[first + l];
                var (code, clamped) = dieAdc.Convert(sum);
                readouts++;
                if (code != nominalCodes[l]) errors++;
                if (mismatch && adc.Convert(sum).Code != nominalCodes[l]) idealAdcErrors++;
                if (clamped) saturated++;
                if (l > 0)
                {
                    double step = previous - sum;
                    steps.Add(step);
                    if (step <= 0) inversions++;
                    if (step < min) { min = step; minSample = s.Index; minLevel = l - 1; }
                }
                previous = sum;
            }
        }
        double mean = steps.Count == 0 ? double.NaN : steps.Average();
        double sigma = steps.Count < 2 ? double.NaN : Math.Sqrt(steps.Sum(x => (x - mean) * (x - mean)) / (steps.Count - 1));
        return new StepStatistics(mode, levels, nominalSteps.Average(), nominalSteps.Min(), mean, sigma,
            steps.Count == 0 ? double.NaN : min, minSample, minLevel, readouts == 0 ? double.NaN : (double)errors / readouts,
            readouts, errors, saturated, inversions, adc.LsbVolts, nominalSums, nominalCodes)
        {
            CodeErrorsWithoutAdcMismatch = mismatch ? idealAdcErrors : null,
        };
    }

    /// <summary>
    /// samples.csv: one row per (die, mode, level) with V_SLP, V_SLN, their sum, the ADC code and the
    /// nominal code of the level; sample -1 is the nominal die; a failed die is one row with its reason.
    /// </summary>
    public CsvWriter SamplesCsv()
    {
        var csv = new CsvWriter("sample", "status", "mode_bits", "level", "v_slp_volts", "v_sln_volts", "v_sum_volts", "adc_code", "nominal_code", "reason");
        var adcs = new[] { Adc(1), Adc(2) };
        var nominalCodes = new[] { Statistics(1).NominalCodes, Statistics(2).NominalCodes };
        var nominal = new SampleOutcome(-1, null, Nominal.SettledSlpVolts, Nominal.SettledSlnVolts);
        foreach (var s in Samples.Prepend(nominal))
        {
            if (s.Failed)
            {
                csv.Row(s.Index, "failed", null, null, null, null, null, null, null, s.Failure);
                continue;
            }
            // The nominal die (-1) is read by the nominal ADC: it defines the codes every die should read.
            SumLineAdc[] dieAdcs = s.Index < 0 ? adcs : [DieAdc(1, s.Index), DieAdc(2, s.Index)];
            for (int i = 0; i < Staircase.Levels.Count; i++)
            {
                var (mode, level) = Staircase.Levels[i];
                if (level < 0) continue;
                double sum = s.SlpVolts[i] + s.SlnVolts[i];
                csv.Row(s.Index, "ok", mode, level, s.SlpVolts[i], s.SlnVolts[i], sum,
                    dieAdcs[mode - 1].Convert(sum).Code, nominalCodes[mode - 1][level], null);
            }
        }
        return csv;
    }
}

/// <summary>
/// Adjacent-level steps (drop of V_SLP + V_SLN from level d to d+1 within a die) and ADC readouts of
/// one mode, over all successful dies.
/// </summary>
public sealed record StepStatistics(int Mode, int Levels, double NominalStepMeanVolts, double NominalStepMinVolts,
    double StepMeanVolts, double StepSigmaVolts, double StepMinVolts, int StepMinSample, int StepMinLevel,
    double AdcCodeErrorRate, long Readouts, long CodeErrors, long SaturatedReadouts, long InvertedSteps,
    double AdcLsbVolts, IReadOnlyList<double> NominalSumVolts, IReadOnlyList<int> NominalCodes)
{
    /// <summary>
    /// Code errors of the same readouts through the nominal ADC (no per-die comparator offset or capacitor errors): the
    /// array's own share of <see cref="CodeErrors"/>. Null when the design's ADC sigmas are zero (then the two are equal).
    /// </summary>
    public long? CodeErrorsWithoutAdcMismatch { get; init; }

    /// <summary><see cref="CodeErrorsWithoutAdcMismatch"/> per readout (null when the ADC sigmas are zero).</summary>
    public double? AdcCodeErrorRateWithoutAdcMismatch => CodeErrorsWithoutAdcMismatch is long e && Readouts > 0 ? (double)e / Readouts : null;
}
