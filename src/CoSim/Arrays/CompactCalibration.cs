using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Mbi.Circuit.Adc;
using Mbi.Circuit.Engine;
using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Transient;
using Mbi.Core.IO;
using Mbi.Core.Progress;

namespace Mbi.CoSim.Arrays;

/// <summary>
/// What the compact model knows, all measured with ngspice on the row bench: for every precharge level
/// k (VPmax / 2^k), the drop of V_SLP + V_SLN that one discharging column causes, tabulated over the
/// delta-Vth of its read stack's two transistors (key-gated and query-gated) on a grid, at the design's
/// evaluation window; and for every element precision p the level-0 sum (all columns still precharged).
/// Charge sharing is linear in the bitline charges, so a row's sum is Top(p) minus the drops of its
/// differing columns; the ADC then converts it. Characterisation runs probe transients in which each probe
/// column carries one grid point and one cycle flips only that column, so one transient measures up to
/// 32 grid points. On the row-gated 12T design a third device sits in series in each stack (the row-gate NMOS,
/// gate = read word line): its shift is a separate 1-D table over the same grid at nominal key and query devices,
/// added to the 2-D table's drop as a correction (drop(k, key, query) + g_k(rowGate) - g_k(0)); measured against
/// ngspice in docs/cosim.md.
/// </summary>
public sealed class CompactCalibration
{
    private const string Magic = "MBICOMPC";
    private const uint Version = 3;
    private readonly double[] _drops; // [level][key-transistor grid][query-transistor grid]
    private readonly double[] _top;   // indexed by log2(p)
    private readonly double[] _linearity; // per log2(p): gain, quadratic coefficient (1/V)
    private readonly double[] _rowGateDrops; // [level][row-gate grid]; empty when the design has no row-gate device

    private CompactCalibration(double[] grid, int levels, double[] drops, double[] top, double[] linearity, double[] rowGateDrops,
        double vpMax, int columns, int transients, double seconds)
    {
        Grid = grid; Levels = levels; _drops = drops; _top = top; _linearity = linearity; _rowGateDrops = rowGateDrops;
        VpMaxVolts = vpMax; Columns = columns; Transients = transients; CharacterisationSeconds = seconds;
    }

    /// <summary>True when the characterised design has a row-gate device in each read stack (12T) and its shift is tabled.</summary>
    public bool HasRowGates => _rowGateDrops.Length > 0;

    /// <summary>The delta-Vth grid of each read-stack transistor, in volts.</summary>
    public IReadOnlyList<double> Grid { get; }
    /// <summary>Precharge levels characterised (the largest element precision p).</summary>
    public int Levels { get; }
    /// <summary>VPmax of the characterised design, in volts.</summary>
    public double VpMaxVolts { get; }
    /// <summary>Columns of the characterised design.</summary>
    public int Columns { get; }
    /// <summary>ngspice transients the characterisation ran.</summary>
    public int Transients { get; }
    /// <summary>Wall-clock time of the characterisation, in seconds (as stored with a cached characterisation).</summary>
    public double CharacterisationSeconds { get; }

    /// <summary>The default grid: -240 mV .. +400 mV in 80 mV steps (4 sigma below, 6.7 sigma above at 60 mV; slow stacks matter).</summary>
    public static double[] DefaultGrid() => Enumerable.Range(0, 9).Select(i => -0.24 + 0.08 * i).ToArray();

    /// <summary>V_SLP + V_SLN with every column still precharged (distance 0) at element precision <paramref name="bitsPerElement"/>, in volts.</summary>
    public double Top(int bitsPerElement) => _top[Log2(bitsPerElement)];

    /// <summary>
    /// V_SLP + V_SLN from the summed single-column drops on each sum line: charge sharing is close to linear,
    /// but the transmission gates make each line fall slightly faster than the sum of isolated drops
    /// (about 1.5 mV at 16 differing columns, measured), so a gain and a quadratic term per line are fitted
    /// on nominal staircase transients.
    /// </summary>
    public double SumVolts(int bitsPerElement, double dropSlp, double dropSln)
    {
        int i = Log2(bitsPerElement);
        double gain = _linearity[2 * i], quadratic = _linearity[2 * i + 1];
        return _top[i] - gain * (dropSlp + dropSln) - quadratic * (dropSlp * dropSlp + dropSln * dropSln);
    }

    /// <summary>Drop of V_SLP+V_SLN from one discharging column at level k with the given read-stack shifts (bicubic in the grid).</summary>
    public double Drop(int level, double keyShift, double queryShift)
    {
        int n = Grid.Count;
        double step = Grid[1] - Grid[0];
        double x = Math.Clamp((keyShift - Grid[0]) / step, 0, n - 1);
        double y = Math.Clamp((queryShift - Grid[0]) / step, 0, n - 1);
        int i = Math.Min((int)x, n - 2), j = Math.Min((int)y, n - 2);
        double fx = x - i, fy = y - j;
        int baseIndex = level * n * n;
        Span<double> column = stackalloc double[4];
        for (int a = -1; a <= 2; a++)
        {
            int ii = Math.Clamp(i + a, 0, n - 1);
            int row = baseIndex + ii * n;
            column[a + 1] = CatmullRom(_drops[row + Math.Clamp(j - 1, 0, n - 1)], _drops[row + j], _drops[row + Math.Min(j + 1, n - 1)],
                _drops[row + Math.Clamp(j + 2, 0, n - 1)], fy);
        }
        return CatmullRom(column[0], column[1], column[2], column[3], fx);
    }

    /// <summary>
    /// Drop of V_SLP+V_SLN from one discharging column at level k with the given shifts of its stack's key, query and
    /// row-gate devices: the 2-D table's drop plus the row-gate table's change from its nominal (no change without row gates).
    /// </summary>
    public double Drop(int level, double keyShift, double queryShift, double rowGateShift) =>
        Drop(level, keyShift, queryShift) + RowGateCorrection(level, rowGateShift);

    /// <summary>How much the row-gate device's shift changes a level-k column's drop (0 when the design has none).</summary>
    public double RowGateCorrection(int level, double rowGateShift) =>
        HasRowGates && rowGateShift != 0 ? RowGateDrop(level, rowGateShift) - RowGateDrop(level, 0) : 0;

    private double RowGateDrop(int level, double shift)
    {
        int n = Grid.Count;
        double x = Math.Clamp((shift - Grid[0]) / (Grid[1] - Grid[0]), 0, n - 1);
        int i = Math.Min((int)x, n - 2);
        ReadOnlySpan<double> g = _rowGateDrops.AsSpan(level * n, n);
        return CatmullRom(g[Math.Max(i - 1, 0)], g[i], g[i + 1], g[Math.Min(i + 2, n - 1)], x - i);
    }

    /// <summary>The nominal drop of a level-k column (both shifts zero).</summary>
    public double NominalDrop(int level) => Drop(level, 0, 0);

    /// <summary>
    /// The ADC for p-bit elements, calibrated end to end as `mbi mc` calibrates it (MonteCarloResult.Adc) and as a real
    /// converter's references are trimmed: code 0 at Top(p), and one LSB = the nominal full-scale drop divided by the
    /// full-scale distance, (C / p) (2^p - 1). Full scale is every column differing with the drops shared between the two
    /// lines as mc's staircase shares them (column c stores 1, so discharges SLP, when c div 2 is even), read through the
    /// fitted gain and quadratic of each line. The staircase is compressive, so an LSB of one column's isolated drop (the
    /// co-simulation's convention before session 25) read large distances one or two codes low on a nominal die.
    /// </summary>
    public SumLineAdc Adc(int bitsPerElement, int adcBits)
    {
        var (slp, sln) = FullScaleDrops(bitsPerElement);
        double top = Top(bitsPerElement);
        int fullScale = Columns / bitsPerElement * ((1 << bitsPerElement) - 1);
        return new SumLineAdc(adcBits, top, (top - SumVolts(bitsPerElement, slp, sln)) / fullScale);
    }

    /// <summary>Summed nominal single-column drops on SLP and SLN with every column of a p-bit row differing (mc's staircase key).</summary>
    private (double Slp, double Sln) FullScaleDrops(int bitsPerElement)
    {
        double slp = 0, sln = 0;
        for (int c = 0; c < Columns; c++)
        {
            double drop = NominalDrop(c % bitsPerElement);
            if (Staircase.KeyBit(c)) slp += drop; else sln += drop;
        }
        return (slp, sln);
    }

    private static double CatmullRom(double p0, double p1, double p2, double p3, double t) =>
        p1 + 0.5 * t * (p2 - p0 + t * (2 * p0 - 5 * p1 + 4 * p2 - p3 + t * (3 * (p1 - p2) + p3 - p0)));

    private static int Log2(int p) => System.Numerics.BitOperations.Log2((uint)p);

    /// <summary>Characterisations running in this process, by cache file (or by key when not cached): one per design at a time.</summary>
    private static readonly ConcurrentDictionary<string, Lazy<CompactCalibration>> InFlight = new();

    /// <summary>
    /// Loads the characterisation from <paramref name="cacheDirectory"/> or runs it there (ngspice, all workers).
    /// Callers in one process that ask for the same design while it is being characterised wait for that run
    /// instead of starting a second one (the test suite and an in-process reproduction share it this way).
    /// </summary>
    public static CompactCalibration LoadOrCharacterise(Technology technology, ArrayDesign design, int maxBitsPerElement,
        string? cacheDirectory, int workers, IProgress<ProgressUpdate>? progress = null)
    {
        var grid = DefaultGrid();
        string key = CacheKey(technology, design, maxBitsPerElement, grid);
        string? path = cacheDirectory is null ? null : Path.Combine(cacheDirectory, $"compact-{key}.bin");
        if (path is not null && File.Exists(path)) return Read(path);
        var run = InFlight.GetOrAdd(path ?? key, _ => new Lazy<CompactCalibration>(() =>
        {
            // a run that finished between the check above and this entry has written the file
            if (path is not null && File.Exists(path)) return Read(path);
            var calibration = Characterise(technology, design, maxBitsPerElement, grid, workers, progress);
            if (path is not null)
            {
                Directory.CreateDirectory(cacheDirectory!);
                calibration.Write(path);
            }
            return calibration;
        }));
        try
        {
            return run.Value;
        }
        finally
        {
            // once finished (or failed) the file is the cache; a failure is not remembered, the next caller tries again
            InFlight.TryRemove(KeyValuePair.Create(path ?? key, run));
        }
    }

    /// <summary>Characterises the design with ngspice probe transients on <paramref name="workers"/> engines over the delta-Vth <paramref name="grid"/> (volts; <see cref="DefaultGrid"/>), without a cache.</summary>
    public static CompactCalibration Characterise(Technology technology, ArrayDesign design, int maxBitsPerElement,
        double[] grid, int workers, IProgress<ProgressUpdate>? progress = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int columns = design.Columns, n = grid.Length, levels = maxBitsPerElement;
        bool rowGated = design.RowSelect == RowSelect.RowGated;
        var jobs = Plan(columns, maxBitsPerElement, n);
        if (rowGated) jobs.AddRange(RowGateJobs(columns, maxBitsPerElement, n));
        var linearityJobs = LinearityJobs(columns, maxBitsPerElement);
        jobs.AddRange(linearityJobs);
        var drops = new double[levels * n * n];
        var rowGateDrops = new double[rowGated ? levels * n : 0];
        var top = new double[Log2(maxBitsPerElement) + 1];
        var topCount = new int[top.Length];
        var results = new (double[] Sums, Job Job)[jobs.Count];
        int done = 0;
        EnginePool.Run(jobs.Count, workers, "compact", engine => engine, (engine, i) =>
        {
            var job = jobs[i];
            var result = RunJob(engine, technology, design, job, grid);
            results[i] = (Enumerable.Range(0, result.Cycles).Select(result.SumVolts).ToArray(), job);
            progress?.Report(new ProgressUpdate("compact-model characterisation", Interlocked.Increment(ref done), jobs.Count));
        });

        foreach (var (sums, job) in results)
        {
            if (job.Linearity) continue;
            if (job.RowGate)
            {
                for (int i = 0; i < job.Probes.Count; i++)
                    rowGateDrops[(job.Probes[i].Column % job.BitsPerElement) * n + job.Probes[i].KeyGrid] = sums[0] - sums[i + 1];
                continue;
            }
            top[Log2(job.BitsPerElement)] += sums[0];
            topCount[Log2(job.BitsPerElement)]++;
            for (int i = 0; i < job.Probes.Count; i++)
            {
                var (column, gi, gj) = job.Probes[i];
                int level = column % job.BitsPerElement;
                drops[(level * n + gi) * n + gj] = sums[0] - sums[i + 1];
            }
        }
        for (int i = 0; i < top.Length; i++) top[i] = topCount[i] == 0 ? double.NaN : top[i] / topCount[i];
        var linearity = new double[2 * top.Length];
        var partial = new CompactCalibration(grid, levels, drops, top, linearity, rowGateDrops, design.VpMaxVolts, columns, jobs.Count, 0);
        for (int i = 0; i < top.Length; i++)
        {
            // least squares of D = g S + k Q over the staircase cycles (S = summed drops, Q = sum of squares per line)
            double ss = 0, sq = 0, qq = 0, sd = 0, qd = 0;
            foreach (var (sums, job) in results)
            {
                if (!job.Linearity || Log2(job.BitsPerElement) != i) continue;
                for (int cycle = 1; cycle < sums.Length; cycle++)
                {
                    var (slp, sln) = partial.NominalDrops(job, cycle);
                    double sValue = slp + sln, qValue = slp * slp + sln * sln, d = sums[0] - sums[cycle];
                    ss += sValue * sValue; sq += sValue * qValue; qq += qValue * qValue; sd += sValue * d; qd += qValue * d;
                }
            }
            double det = ss * qq - sq * sq;
            linearity[2 * i] = det == 0 ? 1 : (sd * qq - qd * sq) / det;
            linearity[2 * i + 1] = det == 0 ? 0 : (ss * qd - sq * sd) / det;
        }
        return new CompactCalibration(grid, levels, drops, top, linearity, rowGateDrops, design.VpMaxVolts, columns, jobs.Count, clock.Elapsed.TotalSeconds);
    }

    /// <summary>One probe transient: precision p, and per probe column the grid point (key shift, query shift) it carries.</summary>
    internal sealed record Job(int BitsPerElement, List<(int Column, int KeyGrid, int QueryGrid)> Probes)
    {
        /// <summary>A nominal staircase for the linearity fit: cycle i flips the first 2i columns of <see cref="Order"/>.</summary>
        public bool Linearity { get; init; }
        /// <summary>Probes of the row-gate device: KeyGrid is the row gate's grid point (key and query devices nominal).</summary>
        public bool RowGate { get; init; }
        public ulong Key { get; init; } = ulong.MaxValue;
        public int[] Order { get; init; } = [];
    }

    /// <summary>Two nominal staircases per precision: every column stores 1 (all drops on SLP), and a 1100 pattern (drops on both lines).</summary>
    private static List<Job> LinearityJobs(int columns, int maxBitsPerElement)
    {
        var jobs = new List<Job>();
        var order = Enumerable.Range(0, columns).ToArray();
        new Core.Randomness.SeededRandom(3).Shuffle<int>(order);
        ulong pattern = 0;
        for (int c = 0; c < columns; c++) if (Staircase.KeyBit(c)) pattern |= 1UL << c;
        for (int p = 1; p <= maxBitsPerElement; p *= 2)
            foreach (ulong key in new[] { ulong.MaxValue, pattern })
                jobs.Add(new Job(p, []) { Linearity = true, Key = key, Order = order });
        return jobs;
    }

    /// <summary>Nominal drops on SLP (stored 1) and SLN (stored 0) of a linearity cycle.</summary>
    private (double Slp, double Sln) NominalDrops(Job job, int cycle)
    {
        double slp = 0, sln = 0;
        for (int i = 0; i < 2 * cycle && i < job.Order.Length; i++)
        {
            int c = job.Order[i];
            double d = NominalDrop(c % job.BitsPerElement);
            if (((job.Key >> c) & 1) != 0) slp += d; else sln += d;
        }
        return (slp, sln);
    }

    /// <summary>
    /// The row-gate table's probes: per precision p, its own levels (as in <see cref="Plan"/>), one probe column per grid
    /// point of the row gate's shift: one transient per precision (9 grid points fit in 16 columns of a level).
    /// </summary>
    internal static List<Job> RowGateJobs(int columns, int maxBitsPerElement, int gridPoints)
    {
        var jobs = new List<Job>();
        for (int p = 1; p <= maxBitsPerElement; p *= 2)
        {
            int firstLevel = p == 1 ? 0 : p / 2;
            var next = new Dictionary<int, int>();
            for (int k = firstLevel; k < p; k++) next[k] = 0;
            while (next.Values.Any(g => g < gridPoints))
            {
                var probes = new List<(int, int, int)>();
                for (int c = 0; c < columns; c++)
                    if (next.TryGetValue(c % p, out int g) && g < gridPoints)
                    {
                        probes.Add((c, g, -1));
                        next[c % p] = g + 1;
                    }
                jobs.Add(new Job(p, probes) { RowGate = true });
            }
        }
        return jobs;
    }

    /// <summary>
    /// Level k is measured on columns c with c mod p == k of a p-bit transient, p the smallest power of two
    /// above k (level 0 on 1-bit columns); p-bit precisions without own levels still get one transient for Top(p).
    /// </summary>
    internal static List<Job> Plan(int columns, int maxBitsPerElement, int gridPoints)
    {
        var jobs = new List<Job>();
        for (int p = 1; p <= maxBitsPerElement; p *= 2)
        {
            int firstLevel = p == 1 ? 0 : p / 2;
            var queues = new Dictionary<int, Queue<(int, int)>>();
            for (int k = firstLevel; k < p; k++)
                queues[k] = new Queue<(int, int)>(Enumerable.Range(0, gridPoints * gridPoints).Select(g => (g / gridPoints, g % gridPoints)));
            while (queues.Values.Any(q => q.Count > 0))
            {
                var probes = new List<(int, int, int)>();
                for (int c = 0; c < columns; c++)
                    if (queues.TryGetValue(c % p, out var queue) && queue.Count > 0)
                    {
                        var (gi, gj) = queue.Dequeue();
                        probes.Add((c, gi, gj));
                    }
                jobs.Add(new Job(p, probes));
            }
        }
        return jobs;
    }

    private static RowResult RunJob(NgSpiceEngine engine, Technology technology, ArrayDesign design, Job job, double[] grid)
    {
        int columns = design.Columns;
        ulong all = columns == 64 ? ulong.MaxValue : (1UL << columns) - 1;
        if (job.Linearity)
        {
            ulong key = job.Key & all;
            var staircase = new ulong[columns / 2 + 1];
            ulong flips = 0;
            for (int i = 0; i < staircase.Length; i++)
            {
                staircase[i] = key ^ flips;
                if (2 * i + 1 < columns) flips |= (1UL << job.Order[2 * i]) | (1UL << job.Order[2 * i + 1]);
            }
            return SpiceRows.Run(engine, technology, design, job.BitsPerElement, key, staircase, []);
        }
        // Every column stores 1 (BL side reads) and sees query 1 (nothing discharges) except the flipped probe.
        var queries = new ulong[job.Probes.Count + 1];
        queries[0] = all;
        for (int i = 0; i < job.Probes.Count; i++) queries[i + 1] = all & ~(1UL << job.Probes[i].Column);
        var shifts = new double[ArrayVth.RowBenchCount(columns, design.RowSelect == RowSelect.RowGated)];
        int stride = ArrayVth.CellDevices + ArrayVth.PeripheryPerColumn;
        foreach (var (column, gi, gj) in job.Probes)
        {
            if (job.RowGate)
            {
                shifts[ArrayVth.RowBenchRowGate(columns, column, 0)] = grid[gi];
                continue;
            }
            shifts[column * stride + ArrayVth.KeyBl] = grid[gi];
            shifts[column * stride + ArrayVth.QueryBl] = grid[gj];
        }
        return SpiceRows.Run(engine, technology, design, job.BitsPerElement, all, queries, shifts);
    }

    /// <summary>The cache file <see cref="LoadOrCharacterise"/> reads and writes for this design (the shipped data are checked against it).</summary>
    internal static string CacheFileName(Technology technology, ArrayDesign design, int maxBitsPerElement) =>
        $"compact-{CacheKey(technology, design, maxBitsPerElement, DefaultGrid())}.bin";

    private static string CacheKey(Technology technology, ArrayDesign design, int maxBits, double[] grid)
    {
        // the whole netlist of a reference bench: any change in the circuit layer's bench or cell invalidates the cache
        var reference = new RowBench(technology, design, SpiceRows.Program(design.Columns, maxBits, 0, [1UL]));
        string text = string.Join("|", reference.Write(), design.ToString(), maxBits,
            string.Join(",", grid.Select(g => g.ToString("R", System.Globalization.CultureInfo.InvariantCulture))), Version);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
    }

    private void Write(string path)
    {
        var payload = new List<double> { Grid.Count, Levels, VpMaxVolts, Columns, Transients, CharacterisationSeconds, _top.Length, _rowGateDrops.Length };
        payload.AddRange(Grid);
        payload.AddRange(_top);
        payload.AddRange(_linearity);
        payload.AddRange(_drops);
        payload.AddRange(_rowGateDrops);
        var bytes = new byte[payload.Count * sizeof(double)];
        Buffer.BlockCopy(payload.ToArray(), 0, bytes, 0, bytes.Length);
        ChecksummedFile.Write(path, Magic, Version, bytes);
    }

    private static CompactCalibration Read(string path)
    {
        byte[] bytes = ChecksummedFile.Read(path, Magic, Version, "a compact-model characterisation", "delete it; Mbi characterises again with ngspice");
        var values = new double[bytes.Length / sizeof(double)];
        Buffer.BlockCopy(bytes, 0, values, 0, values.Length * sizeof(double));
        int n = (int)values[0], levels = (int)values[1], tops = (int)values[6], rowGates = (int)values[7];
        int at = 8;
        double[] grid = values[at..(at += n)];
        double[] top = values[at..(at += tops)];
        double[] linearity = values[at..(at += 2 * tops)];
        double[] drops = values[at..(at += levels * n * n)];
        double[] rowGateDrops = values[at..(at + rowGates)];
        return new CompactCalibration(grid, levels, drops, top, linearity, rowGateDrops, values[2], (int)values[3], (int)values[4], values[5]);
    }
}
