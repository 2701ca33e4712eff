using System.Globalization;
using System.Text.Json;
using Mbi.Circuit.Adc;
using Mbi.Circuit.MonteCarlo;
using Mbi.Core.Errors;

namespace Mbi.CoSim.Reports.Charts;

/// <summary>
/// What Fig. 6(b) is drawn from, for one mode (1 = 1-bit columns, 2 = 2-bit elements): the nominal die's V_SLP + V_SLN
/// and ADC code per distance level, every Monte Carlo die's sums (flat, die-major, <see cref="Levels"/> per die) and the
/// ADC that reads them. Built from a run in memory or read back from a run's samples.csv and summary.json.
/// </summary>
internal sealed record StaircaseData
{
    public StaircaseData(int mode, IReadOnlyList<double> nominalSumVolts, IReadOnlyList<int> nominalCodes, IReadOnlyList<int> dieIndices,
        IReadOnlyList<double> dieSumVolts, SumLineAdc adc, string variation)
    {
        if (mode is not (1 or 2)) throw BadInputException.For("mode", mode, "1 (1-bit columns) or 2 (2-bit elements)", "1");
        if (nominalSumVolts.Count < 2 || nominalCodes.Count != nominalSumVolts.Count)
            throw new BadInputException($"the nominal staircase had {nominalSumVolts.Count} sums and {nominalCodes.Count} codes; it must have the same number, at least 2 (e.g. 33 for 32 columns).");
        if (dieSumVolts.Count != dieIndices.Count * nominalSumVolts.Count)
            throw new BadInputException($"the dies' sums were {dieSumVolts.Count} values for {dieIndices.Count} dies; it must be dies x levels = {dieIndices.Count * nominalSumVolts.Count}.");
        Mode = mode; NominalSumVolts = nominalSumVolts; NominalCodes = nominalCodes; DieIndices = dieIndices; DieSumVolts = dieSumVolts;
        Adc = adc; Variation = variation;
    }

    public int Mode { get; }
    public IReadOnlyList<double> NominalSumVolts { get; }
    public IReadOnlyList<int> NominalCodes { get; }
    /// <summary>The Monte Carlo index of each die that simulated (failed dies are not here).</summary>
    public IReadOnlyList<int> DieIndices { get; }
    public IReadOnlyList<double> DieSumVolts { get; }
    public SumLineAdc Adc { get; }
    /// <summary>How the dies vary, for the title (e.g. "sigma(Vth) 60 mV").</summary>
    public string Variation { get; }

    public int Levels => NominalSumVolts.Count;
    public int Dies => DieIndices.Count;
    public string ModeName => Mode == 1 ? "1-bit columns" : "2-bit elements";

    public double Sum(int die, int level) => DieSumVolts[die * Levels + level];

    /// <summary>The smallest adjacent-level step over all dies: its size, the die (position in <see cref="DieIndices"/>) and the lower level.</summary>
    public (double StepVolts, int Die, int Level) SmallestStep()
    {
        (double, int, int) best = (double.PositiveInfinity, -1, -1);
        for (int d = 0; d < Dies; d++)
            for (int l = 0; l + 1 < Levels; l++)
            {
                double step = Sum(d, l) - Sum(d, l + 1);
                if (step < best.Item1) best = (step, d, l);
            }
        return best;
    }

    /// <summary>
    /// The ADC's decision voltages around a level's nominal code: a die's sum reads that code while it lies between
    /// Low and High (NaN on the side where the code saturates, so the window is open). Found by bisection on the
    /// ADC's own Convert (offset and INL included) to 1e-9 of an LSB.
    /// </summary>
    public (double LowVolts, double HighVolts) CodeWindow(int level)
    {
        int code = NominalCodes[level];
        double low = code < Adc.MaxCode ? Boundary(code) : double.NaN;
        double high = code > 0 ? Boundary(code - 1) : double.NaN;
        return (low, high);
    }

    /// <summary>The voltage below which the code exceeds <paramref name="code"/> (Convert falls monotonically in voltage).</summary>
    private double Boundary(int code)
    {
        double margin = 10 + Math.Abs(Adc.OffsetLsb) + Math.Abs(Adc.InlPeakLsb);
        double lo = Adc.TopVolts - (Adc.MaxCode + margin) * Adc.LsbVolts, hi = Adc.TopVolts + margin * Adc.LsbVolts;
        for (int i = 0; i < 80 && hi - lo > 1e-9 * Adc.LsbVolts; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Adc.Convert(mid).Code > code) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /// <summary>One mode of a Monte Carlo run, read by the run's ADC.</summary>
    public static StaircaseData From(MonteCarloResult r, int mode)
    {
        var stats = r.Statistics(mode);
        int first = r.Staircase.FirstCycle(mode), levels = r.Staircase.LevelCount(mode);
        var ok = r.Samples.Where(s => !s.Failed).ToList();
        var sums = new double[ok.Count * levels];
        for (int d = 0; d < ok.Count; d++)
            for (int l = 0; l < levels; l++)
                sums[d * levels + l] = ok[d].SlpVolts[first + l] + ok[d].SlnVolts[first + l];
        return new StaircaseData(mode, stats.NominalSumVolts, stats.NominalCodes, [.. ok.Select(s => s.Index)], sums, r.Adc(mode),
            r.Settings.Mismatch.ToString());
    }

    /// <summary>
    /// One mode read back from a run folder written by `mbi mc --out` (samples.csv: the nominal die is sample -1;
    /// summary.json: the ADC's bits, LSB, offset and INL), so a shipped run's figures can be redrawn without SPICE.
    /// </summary>
    public static StaircaseData Read(string folder, int mode)
    {
        string samplesPath = Path.Combine(folder, "samples.csv"), summaryPath = Path.Combine(folder, "summary.json");
        using var summary = JsonDocument.Parse(File.ReadAllText(summaryPath));
        var root = summary.RootElement;
        var modeSummary = root.GetProperty(mode == 1 ? "bits1" : "bits2");
        var lines = File.ReadAllLines(samplesPath);
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i
            : throw new FileFormatException(samplesPath, $"the header has no column '{name}'", "write it again with mbi mc --out");
        int cSample = Col("sample"), cStatus = Col("status"), cMode = Col("mode_bits"), cLevel = Col("level"), cSum = Col("v_sum_volts"), cCode = Col("nominal_code");
        var nominal = new SortedDictionary<int, (double Sum, int Code)>();
        var dies = new SortedDictionary<int, SortedDictionary<int, double>>();
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            if (f[cStatus] != "ok" || int.Parse(f[cMode], CultureInfo.InvariantCulture) != mode) continue;
            int sample = int.Parse(f[cSample], CultureInfo.InvariantCulture), level = int.Parse(f[cLevel], CultureInfo.InvariantCulture);
            double sum = double.Parse(f[cSum], CultureInfo.InvariantCulture);
            if (sample < 0) nominal[level] = (sum, int.Parse(f[cCode], CultureInfo.InvariantCulture));
            else (dies.TryGetValue(sample, out var d) ? d : dies[sample] = [])[level] = sum;
        }
        int levels = modeSummary.GetProperty("levels").GetInt32();
        if (nominal.Count != levels || dies.Values.Any(d => d.Count != levels))
            throw new FileFormatException(samplesPath, $"mode {mode} has {nominal.Count} nominal levels where summary.json says {levels}", "write the run again with mbi mc --out");
        var adc = new SumLineAdc(root.GetProperty("adc_bits").GetInt32(), nominal[0].Sum, modeSummary.GetProperty("adc_lsb_volts").GetDouble(),
            root.GetProperty("adc_offset_lsb").GetDouble(), root.GetProperty("adc_inl_peak_lsb").GetDouble());
        double sigma = root.GetProperty("sigma_vth_volts").GetDouble();
        double? avt = root.TryGetProperty("pelgrom_avt_volt_meters", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble() : null;
        string variation = new VthMismatch(sigma, avt).ToString();
        return new StaircaseData(mode, [.. nominal.Values.Select(v => v.Sum)], [.. nominal.Values.Select(v => v.Code)], [.. dies.Keys],
            [.. dies.Values.SelectMany(d => d.Values)], adc, variation);
    }
}
