using Mbi.Circuit.Adc;
using Mbi.Circuit.Netlists;
using Mbi.CoSim.Energy;
using Mbi.CoSim.Studies;
using Mbi.Core.Units;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi energy [--json]`: energy per 32x32 comparison by component (ngspice supply energy of the row bench,
/// the published ADC model, per-operation logic energy) and per inference from the lookups actually made on
/// ideal arrays, with latency; beside the paper's 4.7 pJ and 13.16 nJ. The logic of mixed MBI's gate is priced per
/// operation: the distance gate always, the vote's agreement arithmetic with --agreement-weight L &gt; 0 (needs --vote k &gt; 1).
/// The glimpse sensor (each glimpse's pixels read, pooled into the key's elements and coded) is priced per operation from the
/// table's key spec.
/// </summary>
internal static class EnergyCommand
{
    public static Command Create()
    {
        var options = new CoSimOptions();
        var json = CommonOptions.Json();
        var adc = AdcModelOption.Create();
        var decks = CircuitOptions.SaveDecksOption("energy-pN.cir per element precision N");
        var vote = CommonOptions.Count("--vote", "Keys voting per glimpse, as `infer --vote k`: the ideal arrays keep the k nearest rows they compare and each glimpse hands on the voted state, k value rows are read per lookup and the vote's logic is priced per operation", 1, 1, Mbi.Algorithm.Memorization.MbiClassifier.MaxVote);
        var agreementWeight = CommonOptions.OptionalReal("--agreement-weight",
            "L, the vote's weight in mixed MBI's gate (as `infer --threshold T --agreement-weight L`): prices the gate's agreement arithmetic " +
            "(hidden agreement and its running minimum, class share, the score + L x (2 - agreement)) beside the distance gate, which is always priced; " +
            "needs --vote k > 1 (default 0, the distance alone)",
            "20", min: 0, max: Mbi.Algorithm.Memorization.MbiEvaluation.MaxAgreementWeight);
        var gate = new Option<string>("--gate")
        {
            Description = "Mixed MBI's gate to price: agreement (the distance gate, with --agreement-weight its agreement arithmetic) or learned " +
                "(`tune-mixed --gate learned`'s logistic regression: the agreement gate's arithmetic + 27 multiply-adds, class compares and registers for 5 glimpses; needs --vote k > 1) (default agreement).",
            DefaultValueFactory = _ => "agreement",
        };
        var gateCheck = new Option<string?>("--gate-check")
        {
            Description = "With --gate learned: none, or linear (also price the gate's image check of `tune-mixed --gate-check linear`: 7,840 multiply-adds, " +
                "its weights (--check-weight-bits) and the pixels read at the value store's read energy per bit) (default none).",
        };
        var checkWeightBits = new Option<string?>("--check-weight-bits")
        {
            Description = "With --gate-check linear: the weight bits of the check `tune-mixed` wrote: 32 (float32, tune-mixed's default: weights and biases " +
                "read at 32 bits) or 8 (`--check-weight-bits 8`: int8 weights, int32 biases and per-class scales, one scale multiply per logit) (default 32).",
        };
        var passes = new PassesOptions("Price lookup-only inference in this many passes (`infer --passes M`): every count, energy and latency per inference is the passes run");
        var command = new Command("energy", "Energy and latency per comparison and per inference of the MBI arrays (ngspice array and decoder + value-store read + ADC + logic + glimpse sensor + leakage, with min/typ/max bands), beside the paper.") { json, adc, decks, vote, agreementWeight, gate, gateCheck, checkWeightBits };
        passes.AddTo(command);
        options.AddTo(command);
        command.SetAction(parse =>
        {
            bool asJson = parse.GetValue(json);
            var plan = passes.Read(parse);
            double weight = parse.GetValue(agreementWeight) ?? 0;
            if (weight > 0 && parse.GetValue(vote) == 1)
                throw BadInputException.For("--agreement-weight", weight, "0 with --vote 1 (one key decides each glimpse: there is no agreement to compute)",
                    "--vote 5 --agreement-weight 20");
            bool learned = TuneMixedCommand.LearnedGateChoice(parse.GetValue(gate)!);
            if (learned && parse.GetValue(agreementWeight) is double given)
                throw BadInputException.For("--agreement-weight", given, "left out with --gate learned (the learned gate replaces the distance + agreement score)", "--gate learned alone");
            if (learned && parse.GetValue(vote) == 1)
                throw BadInputException.For("--vote", 1, "> 1 with --gate learned (its features are the vote's)", "--vote 5 --gate learned");
            if (!learned && parse.GetValue(gateCheck) is string strayCheck)
                throw BadInputException.For("--gate-check", strayCheck, "given with --gate learned (only the learned gate reads an image check)", "--gate learned --gate-check linear");
            bool withCheck = TuneMixedCommand.GateCheckChoice(parse.GetValue(gateCheck) ?? "none");
            int checkBits = TuneMixedCommand.CheckWeightBits(parse.GetValue(checkWeightBits), withCheck);
            var deckFolder = parse.GetValue(decks) is string folder ? new DeckFolder(OutputPaths.Folder("--save-decks", folder, "runs/decks")) : null;
            // Every input is read and checked before the lookups and SPICE run.
            var config = EnergyConfig.Load(parse.GetValue(options.EnergyConfig));
            var setupOptions = options.Setup(parse);
            var (design, stamp) = options.Design.Resolve(parse);
            CoSimOptions.RequireConfigAdcBits(design, config);
            var setup = Terminal.WithProgress("energy", p => LookupSetup.Build(setupOptions, p));
            var model = parse.GetValue(adc) ?? AdcModel.Spice;
            var report = Terminal.WithProgress("energy", p => EnergyReport.Measure(setup, config, design, stamp,
                parse.GetValue(options.Seed), model, options.SeededCache(parse, design), progress: new Progress<string>(m => p.Report(new(m, 0, 1))), decks: deckFolder, vote: parse.GetValue(vote),
                agreementWeight: weight, learnedGate: learned,
                imageCheck: withCheck ? ImageCheckCost.Linear(setup.Table.Spec.ImageSize * setup.Table.Spec.ImageSize, setup.Table.Spec.Classes, checkBits) : null,
                passes: plan));
            if (asJson) Terminal.PrintJson(report);
            else Print(report);
            Terminal.RunNote(parse.GetValue(options.Seed), stamp);
            return 0;
        });
        return command;
    }

    private static void Print(EnergyReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        var b = r.Bands;
        string J(double j) => Engineering.Format(j, "J");
        Console.WriteLine($"Energy per 32x32 comparison (ADC {r.AdcModel}): {J(r.EnergyPerComparisonJoules)}, band {J(b.PerComparisonTotal.MinJoules)} - {J(b.PerComparisonTotal.MaxJoules)} (paper {J(r.Paper.EnergyPerComparisonJoules)})");
        Console.WriteLine(string.Format(inv, "  {0,-24} {1,-12} {2,10} {3,10} {4,10} {5,10}  {6}", "component", "group", "min", "typical", "max", "C V^2 floor", "min set by | max set by"));
        foreach (var c in b.PerComparison)
            Console.WriteLine(string.Format(inv, "  {0,-24} {1,-12} {2,10} {3,10} {4,10} {5,10}  {6} | {7}", c.Name, c.Group, J(c.MinJoules), J(c.TypicalJoules), J(c.MaxJoules),
                c.FloorJoules > 0 ? J(c.FloorJoules) : "-", c.MinSetBy, c.MaxSetBy));
        Console.WriteLine(string.Format(inv, "Per inference ({0} test images, {1} splits, {2:F2} lookups x {3:F2} levels, {4:F1} rows scanned, {5:F1} split comparisons; LUT {6:N0} rows{7}):",
            r.Images, r.Splits, r.LookupsPerInference, r.LevelsPerLookup, r.RowsScannedPerInference, r.SplitComparisonsPerInference, r.LutRows,
            r.Passes > 1 ? $"; {r.Passes} passes{(r.StopDistance is double d ? $" (images whose first pass's worst match is <= {d.ToString(inv)} stop after it)" : "")}" +
                $"{(r.StopMargin is double m ? $" (an image stops once its vote leads by >= {m.ToString(inv)})" : "")}, {r.PassesPerImage.ToString("F2", inv)} run per image, lookup-only accuracy of their vote {r.LookupOnlyAccuracy:P2}" : ""));
        var lines = new List<(string Label, ComponentBand Band)> { (b.PerInferenceDynamic.Name, b.PerInferenceDynamic), ("  of which value store", b.ValueStoreRead) };
        if (b.VoteLogic is { } vote) lines.Add(("  of which vote logic", vote));
        lines.Add(("  of which gate logic", b.GateLogic));
        if (b.ImageCheck is { } check) lines.Add(("  of which image check", check));
        if (b.Sensor is { } sensor) lines.Add(("  of which glimpse sensor", sensor));
        lines.AddRange([(b.PerInferenceLeakage.Name, b.PerInferenceLeakage), ("  of which value store", b.ValueStoreLeakage), (b.PerInferenceTotal.Name, b.PerInferenceTotal)]);
        foreach (var (label, c) in lines)
            Console.WriteLine(string.Format(inv, "  {0,-26} {1,10} {2,10} {3,10}  {4} | {5}", label, J(c.MinJoules), J(c.TypicalJoules), J(c.MaxJoules), c.MinSetBy, c.MaxSetBy));
        Console.WriteLine($"  value store: read {b.ValueStoreRead.TypicalSetBy}; leakage {b.ValueStoreLeakage.FloorLines}");
        var v = r.ValueRead;
        Console.WriteLine($"  value read timing (design value_read): word line {Engineering.Format(v.WordLineSeconds, "s")}, sense {Engineering.Format(v.SenseSeconds, "s")}, " +
            $"precharge {Engineering.Format(v.PrechargeSeconds, "s")}; cycle {Engineering.Format(v.CycleSeconds, "s")}");
        Console.WriteLine($"  gate logic: {b.GateLogic.TypicalSetBy}");
        if (b.ImageCheck is { } imageCheck) Console.WriteLine($"  image check: {imageCheck.TypicalSetBy}");
        if (b.Sensor is { } glimpseSensor) Console.WriteLine($"  glimpse sensor: {glimpseSensor.TypicalSetBy}");
        Console.WriteLine($"  (paper {J(r.Paper.EnergyPerInferenceJoules)})");
        Console.WriteLine("Sensitivity (one factor at a time from the typical point):");
        foreach (var s in b.Sensitivity)
            Console.WriteLine(string.Format(inv, "  {0,-24} {1,-20} {2,-20} per comparison {3} .. {4}; per inference {5} .. {6}  ({7})", s.Factor, s.LowSetting, s.HighSetting,
                J(s.PerComparisonLowJoules), J(s.PerComparisonHighJoules), J(s.PerInferenceLowJoules), J(s.PerInferenceHighJoules), s.Note));
        Console.WriteLine($"Latency per inference: {Engineering.Format(r.LatencyPerInferenceSeconds, "s")} ({Engineering.Format(r.SecondsPerRow, "s")} per row: {Engineering.Format(r.RowCycleSeconds, "s")} array cycle + {Engineering.Format(r.AdcConversionSeconds, "s")} ADC; value reads {Engineering.Format(b.ValueReadSecondsPerInference, "s")})");
        Console.WriteLine($"Scan protocol: {r.ScanProtocol} ({r.ScanProtocolNote})");
        Console.WriteLine($"Rails: {r.GateStress.Summary}");
        Console.WriteLine(string.Format(inv, "Mbi / paper: {0:F3}x per comparison, {1:F3}x per inference; the ngspice points took {2:F0} s when measured (cached runs reuse them)", r.RatioToPaperPerComparison, r.RatioToPaperPerInference, r.SpiceMeasurementSeconds));
    }
}
