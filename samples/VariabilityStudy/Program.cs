// A custom variability study through Mbi's public API: read a design file, shrink the row for a quick
// look (optional), and sweep sigma(Vth) with the ngspice Monte Carlo of the distance row, printing one
// table row per sigma. Every die is seeded: the same arguments print the same numbers.
//
//   dotnet run --project samples/VariabilityStudy -- --design samples/designs/default.json \
//       --columns 4 --dies 2 --sigmas 0,30m,60m
//
// Columns of the table: sigma(Vth); dies simulated and failed; for 1-bit columns the nominal one-level
// step of V_SLP + V_SLN, the mean, sigma and minimum step over the dies, the largest deviation of any
// die's V_SLP + V_SLN from the nominal die's at the same level, and the share of ADC readouts whose code
// differs from the nominal die's; the same code-error share for 2-bit elements. The codes are those of the
// nominal ADC (the array's own errors under this sigma(Vth)); `mbi mc` also reports them with the design's
// per-die ADC mismatch (comparator offset, capacitor errors: design fields adc.*).
using System.Globalization;
using Mbi.Circuit.Design;
using Mbi.Circuit.MonteCarlo;
using Mbi.Core.Errors;
using Mbi.Core.Units;

var inv = CultureInfo.InvariantCulture;
try
{
    var options = Options.Parse(args);
    CircuitDesign design = DesignFile.Read(options.DesignPath);
    if (options.Columns is int columns)
        design = design with { Array = design.Array with { Columns = columns } };
    design = design.Validated();

    Console.WriteLine($"design {options.DesignPath} sha256 {DesignFile.Hash(design)[..12]}: {design.Technology.Name}, " +
        $"{design.Array.Columns} columns x {design.Array.Rows} rows, VPmax {Engineering.Format(design.Array.VpMaxVolts, "V")}, " +
        $"eval window {Engineering.Format(design.Array.EvalWindowSeconds, "s")}, {design.Adc.Bits}-bit ADC; seed {options.Seed}");
    Console.WriteLine("sigma_vth_mv dies failed nominal_step_mv mean_step_mv step_sigma_mv min_step_mv max_deviation_mv code_errors_1bit code_errors_2bit");
    string engine = "";
    double seconds = 0;
    foreach (double sigma in options.SigmasVolts)
    {
        var settings = design.ApplyTo(new MonteCarloSettings
        {
            Technology = design.Technology,
            Samples = options.Dies,
            Seed = options.Seed,
            SigmaVthVolts = sigma,
            Workers = options.Workers,
            // Every die simulates its driver chains, as the nominal die does, so that a die differs from the nominal die by
            // its Vth shifts alone: replayed drivers (mc's default) move a 4-column row's sums by up to 0.16 mV (the same
            // circuit on other time points; 0.009 mV on the default 32 columns), which is what this study's small rows resolve.
            Drivers = DriverSimulation.Simulated,
        });
        MonteCarloResult result = MonteCarloRunner.Run(settings);
        StepStatistics bit1 = result.Statistics(mode: 1), bit2 = result.Statistics(mode: 2);
        Console.WriteLine(string.Join(' ',
            (sigma * 1e3).ToString("F1", inv), options.Dies.ToString(inv), result.FailedSamples.ToString(inv),
            Milli(bit1.NominalStepMeanVolts), Milli(bit1.StepMeanVolts), Milli(bit1.StepSigmaVolts), Milli(bit1.StepMinVolts),
            Milli(MaxDeviationVolts(result, bit1)),
            ArrayOwn(bit1).ToString("F4", inv), ArrayOwn(bit2).ToString("F4", inv)));
        engine = result.EngineVersion;
        seconds += result.WallSeconds;
    }
    Console.WriteLine($"ngspice {engine}; {seconds.ToString("F1", inv)} s simulated wall time");
    return 0;
}
catch (MbiException e)
{
    Console.Error.WriteLine($"VariabilityStudy: {e.Message}");
    return e is EngineMissingException ? 3 : 2;
}

// The largest |V_SLP + V_SLN - nominal| over every die and 1-bit level (the staircase says which cycle reads which level).
// The code error rate through the nominal ADC: without the design's per-die ADC mismatch (equal to AdcCodeErrorRate when it is zero).
static double ArrayOwn(StepStatistics s) => s.AdcCodeErrorRateWithoutAdcMismatch ?? s.AdcCodeErrorRate;

static double MaxDeviationVolts(MonteCarloResult result, StepStatistics bit1)
{
    int first = result.Staircase.FirstCycle(mode: 1);
    double worst = 0;
    foreach (SampleOutcome die in result.Samples)
    {
        if (die.Failed) continue;
        for (int level = 0; level < bit1.Levels; level++)
            worst = Math.Max(worst, Math.Abs(die.SlpVolts[first + level] + die.SlnVolts[first + level] - bit1.NominalSumVolts[level]));
    }
    return worst;
}

static string Milli(double volts) => (volts * 1e3).ToString("F2", CultureInfo.InvariantCulture);

/// <summary>The study's arguments: --design FILE, --columns N, --dies N, --sigmas LIST, --seed N, --workers N.</summary>
internal sealed record Options(string DesignPath, int? Columns, int Dies, IReadOnlyList<double> SigmasVolts, ulong Seed, int Workers)
{
    public static Options Parse(string[] args)
    {
        var o = new Options("samples/designs/default.json", null, 2, [0.0, 0.030, 0.060], 1, 0);
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string value = i + 1 < args.Length ? args[++i] : throw new BadInputException($"{name} needs a value.");
            o = name switch
            {
                "--design" => o with { DesignPath = value },
                "--columns" => o with { Columns = Whole(name, value) },
                "--dies" => o with { Dies = Whole(name, value) },
                "--seed" => o with { Seed = (ulong)Whole(name, value) },
                "--workers" => o with { Workers = Whole(name, value) },
                "--sigmas" => o with { SigmasVolts = value.Split(',').Select(s => Engineering.Parse(s, "V", name)).ToArray() },
                _ => throw new BadInputException($"{name} is not an option; the options are --design, --columns, --dies, --sigmas, --seed, --workers."),
            };
        }
        return o;
    }

    private static int Whole(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            ? n : throw BadInputException.For(name, value, "a whole number >= 0", "3");
}
