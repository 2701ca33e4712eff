using Mbi.CoSim.Reports;
using Mbi.Core.Units;
using Spectre.Console;

namespace Mbi.Cli.Printing;

/// <summary>The human table `mbi mc` prints for a <see cref="CircuitReport.Summary"/>.</summary>
internal static class CircuitSummaryTable
{
    public static void Print(IAnsiConsole console, CircuitReport.Summary s, string? folder)
    {
        var table = new Table().AddColumn("").AddColumn("1-bit columns").AddColumn("2-bit elements");
        table.AddRow("levels", s.Bits1.Levels.ToString(), s.Bits2.Levels.ToString());
        table.AddRow("nominal step (mean / min)", $"{Mv(s.Bits1.NominalStepMeanVolts)} / {Mv(s.Bits1.NominalStepMinVolts)}", $"{Mv(s.Bits2.NominalStepMeanVolts)} / {Mv(s.Bits2.NominalStepMinVolts)}");
        table.AddRow("step mean", Mv(s.Bits1.StepMeanVolts), Mv(s.Bits2.StepMeanVolts));
        table.AddRow("step sigma", Mv(s.Bits1.StepSigmaVolts), Mv(s.Bits2.StepSigmaVolts));
        table.AddRow("step min (die, level)", $"{Mv(s.Bits1.StepMinVolts)} ({s.Bits1.StepMinSample}, {s.Bits1.StepMinLevel})", $"{Mv(s.Bits2.StepMinVolts)} ({s.Bits2.StepMinSample}, {s.Bits2.StepMinLevel})");
        table.AddRow("inverted steps", s.Bits1.InvertedSteps.ToString(), s.Bits2.InvertedSteps.ToString());
        table.AddRow($"ADC LSB / code error rate", $"{Mv(s.Bits1.AdcLsbVolts)} / {s.Bits1.AdcCodeErrorRate:P2}", $"{Mv(s.Bits2.AdcLsbVolts)} / {s.Bits2.AdcCodeErrorRate:P2}");
        if (s.Bits1.AdcCodeErrorRateWithoutAdcMismatch is double ideal1 && s.Bits2.AdcCodeErrorRateWithoutAdcMismatch is double ideal2)
            table.AddRow("code error rate, nominal ADC", $"{ideal1:P2}", $"{ideal2:P2}");
        table.AddRow("saturated readouts", s.Bits1.SaturatedReadouts.ToString(), s.Bits2.SaturatedReadouts.ToString());
        console.Write(table);
        console.WriteLine($"{s.Samples} dies ({s.FailedSamples} failed), {s.Workers} workers, {s.WallSeconds:F1} s{(s.ResumedDies > 0 ? $" ({s.ResumedDies} dies read back from the journal)" : "")}, {s.TransientsPerSecond:F3} transients/s, {s.NgspiceVersion}");
        if (s.AdcMismatch is { } adc)
            console.WriteLine($"ADC per die: comparator offset sigma {adc.ComparatorOffsetSigmaLsb:G3} LSB, unit capacitor sigma {adc.UnitCapacitorSigma:P2} (adc.* in the design; 0 for the nominal ADC)");
        console.WriteLine($"cycle {Engineering.Format(s.CycleSeconds, "s")}; {s.GateStress.Summary}");
        string verdict = s.Bits1.StepMinVolts >= s.PaperMinStepVolts ? "meets" : "misses";
        console.WriteLine($"paper: min step >= {Mv(s.PaperMinStepVolts)} under sigma(Vth) = {Engineering.Format(PaperFigures.SigmaVthVolts, "V", 2)}; here min step {Mv(s.Bits1.StepMinVolts)} ({verdict} it)");
        foreach (var f in s.Failures.Take(5)) console.WriteLine($"die {f.Sample} failed: {f.Reason}");
        if (folder is not null) console.WriteLine($"wrote {folder}/samples.csv, summary.json, levels-bits1.png, steps-bits1.png (and bits2; .svg beside), nominal.cir");
    }

    private static string Mv(double volts) => double.IsNaN(volts) ? "n/a" : Engineering.Format(volts, "V");
}
