using Mbi.Algorithm.Memorization;
using Mbi.Circuit.Adc;
using Mbi.Core.Errors;

namespace Mbi.CoSim.Energy;

/// <summary>
/// One component's energy with its band: minimum, typical and maximum (joules), what sets each bound, and the
/// C V^2 floor of the lines the component switches (0 where it switches no line the bench knows; see FloorLines).
/// </summary>
internal sealed record ComponentBand(string Name, string Group, double MinJoules, double TypicalJoules, double MaxJoules,
    string MinSetBy, string TypicalSetBy, string MaxSetBy, double FloorJoules, string FloorLines)
{
    public ComponentBand Validated()
    {
        if (!(MinJoules >= 0 && MinJoules <= TypicalJoules && TypicalJoules <= MaxJoules && double.IsFinite(MaxJoules)))
            throw new BadInputException(FormattableString.Invariant($"the band of '{Name}' was ({MinJoules:G4}, {TypicalJoules:G4}, {MaxJoules:G4}) J; it must satisfy 0 <= min <= typical <= max (e.g. 1e-15, 2e-15, 3e-15)."));
        return this;
    }

    public ComponentBand Scaled(double factor, string suffix) =>
        this with { MinJoules = MinJoules * factor, TypicalJoules = TypicalJoules * factor, MaxJoules = MaxJoules * factor, FloorJoules = FloorJoules * factor,
            FloorLines = FloorJoules > 0 ? FloorLines + suffix : FloorLines };

    public EnergyBand Band => new(MinJoules, TypicalJoules, MaxJoules);
}

/// <summary>One factor moved alone from the typical point: totals per comparison and per inference at its two settings.</summary>
internal sealed record SensitivityRow(string Factor, string LowSetting, string HighSetting, double PerComparisonLowJoules,
    double PerComparisonHighJoules, double PerInferenceLowJoules, double PerInferenceHighJoules, string Note);

/// <summary>Leakage of a 10T key cell, of one array's row decoder and of a 6T value cell at one temperature and gate-tunnelling
/// setting (ngspice; each cell the mean over both stored values).</summary>
internal sealed record LeakagePoint(double TemperatureCelsius, bool GateTunneling, double CellPowerWatts, double DecoderPowerWatts,
    double ValueCellPowerWatts);

/// <summary>
/// Everything the bands are computed from, measured once per design (ngspice) and cached: the array's supply energy
/// by category (averaged over the mapping's splits) at the typical point and one factor moved at a time, the part of
/// the typical point drawn through charge pumps, the C V^2 floors, the row decoder's energy per access, the SPICE ADC,
/// and the leakage points.
/// </summary>
internal sealed record BandMeasurements
{
    public required ArrayEnergy Typical { get; init; }
    public required ArrayEnergy FlipLow { get; init; }
    public required ArrayEnergy FlipHigh { get; init; }
    public required ArrayEnergy WireLow { get; init; }
    public required ArrayEnergy WireHigh { get; init; }
    /// <summary>The typical point's array at <see cref="HotCelsius"/> (85 C): the temperature row's dynamic part.</summary>
    public required ArrayEnergy Hot { get; init; }
    public required double HotCelsius { get; init; }
    /// <summary>The part of <see cref="Typical"/> drawn from VDD through charge pumps at <see cref="PumpEfficiency"/>.</summary>
    public required ArrayEnergy PumpedTypical { get; init; }
    /// <summary>The same delivered energy drawn through ideal pumps (+V: V / 2 VDD of a doubler; -V: |V| / VDD of one inverting stage).</summary>
    public required ArrayEnergy PumpedIdeal { get; init; }
    /// <summary>C V^2 of the lines each category switches per comparison (explicit line capacitors only: a lower bound).</summary>
    public required ArrayEnergy Floor { get; init; }
    public required double PumpEfficiency { get; init; }
    public required double FlipLowFraction { get; init; }
    public required double FlipTypicalFraction { get; init; }
    public required double FlipHighFraction { get; init; }
    public required double WireLowFactor { get; init; }
    public required double WireHighFactor { get; init; }
    public required int Cycles { get; init; }
    /// <summary>Row decoder (VDD rail) and address inputs per row access, at the wire's low, nominal and high capacitance.</summary>
    public required double DecoderLowJoules { get; init; }
    public required double DecoderTypicalJoules { get; init; }
    public required double DecoderHighJoules { get; init; }
    /// <summary>The address lines' wire C V^2 the decoder switches (floor).</summary>
    public required double DecoderFloorJoules { get; init; }
    public required double AdcSpiceJoules { get; init; }
    public required double AdcSpiceSeconds { get; init; }
    public required int AdcSpiceConversions { get; init; }
    public required IReadOnlyList<LeakagePoint> Leakage { get; init; }
    /// <summary>One value-row read (word line + every column's precharge and sense amplifier, ngspice) of
    /// <see cref="ValueReadColumns"/> bits, at the wire's low, nominal and high capacitance.</summary>
    public required double ValueReadLowJoules { get; init; }
    public required double ValueReadTypicalJoules { get; init; }
    public required double ValueReadHighJoules { get; init; }
    /// <summary>The same read at <see cref="HotCelsius"/> (the temperature row).</summary>
    public required double ValueReadHotJoules { get; init; }
    /// <summary>C V^2 of the value read's lines: the word line C VDD^2 and each bitline's restore C_BL VDD dV.</summary>
    public required double ValueReadFloorJoules { get; init; }
    /// <summary>One value read cycle (precharge, word line, sense), on the lookup's critical path.</summary>
    public required double ValueReadSeconds { get; init; }
    public required int ValueReadColumns { get; init; }
    public required double MeasuredSeconds { get; init; }

    public LeakagePoint LeakageAt(double celsius, bool tunnelling) =>
        Leakage.FirstOrDefault(l => l.TemperatureCelsius == celsius && l.GateTunneling == tunnelling)
        ?? throw new SimulationFailedException($"no leakage point was measured at {celsius} C with gate tunnelling {(tunnelling ? "on" : "off")}.");
}

/// <summary>
/// What one inference compares and reads and what is stored: <c>StoredRows</c> is every row the key arrays hold (leaf keys,
/// copies of spilled keys included, and the inner nodes' centroids), the 10T cells that leak; <c>ValueRows</c> the rows
/// of the value store (one per stored leaf key, beside its leaf: the 6T cells that leak, <c>ValueBits</c> each), and
/// <c>ValueReadsPerImage</c> the value rows read per inference (one per lookup). <c>Sensor</c> is the glimpse sensor's work
/// per glimpse (from the table's key spec); null leaves the sensor unpriced.
/// </summary>
internal sealed record InferenceCounts(double SplitComparisonsPerImage, double RowsPerImage, long StoredRows, int Splits, int Columns, int RowsPerArray,
    long ValueRows, int ValueBits, double ValueReadsPerImage, int Vote = 1, int HiddenBits = 0, GlimpseSensorCost? Sensor = null)
{
    /// <summary>Lookups per image (each reads <see cref="Vote"/> value rows).</summary>
    public double LookupsPerImage => ValueReadsPerImage / Vote;

    /// <summary>Glimpses the sensor makes per image: one per lookup (every glimpse's key is looked up once), so every pass run and
    /// no glimpse of an image an early stop closed.</summary>
    public double GlimpsesPerImage => LookupsPerImage;
}

/// <summary>The bands of a design: per comparison, per inference (dynamic + leakage), the totals and the sensitivity table.</summary>
internal sealed record EnergyBands(IReadOnlyList<ComponentBand> PerComparison, ComponentBand PerComparisonTotal,
    IReadOnlyList<ComponentBand> PerInference, ComponentBand PerInferenceDynamic, ComponentBand PerInferenceLeakage, ComponentBand PerInferenceTotal,
    IReadOnlyList<SensitivityRow> Sensitivity, string AdcModel, double LatencySeconds, double SecondsPerRow, double DesignTemperatureCelsius,
    bool GateTunneling, double PowerGatingFraction, string Combination, ComponentBand ValueStoreLeakage, ComponentBand ValueStoreRead,
    double ValueReadSecondsPerInference, ComponentBand? VoteLogic, ComponentBand GateLogic, double AgreementWeight)
{
    /// <summary>True when the gate logic was priced as the learned gate (<see cref="LogicEnergyModel.LearnedGatePerImageJoules"/>).</summary>
    public bool LearnedGate { get; init; }
    /// <summary>The learned gate's image check (<see cref="LogicEnergyModel.ImageCheckPerImageJoules"/>), when priced; else null.</summary>
    public ComponentBand? ImageCheck { get; init; }
    /// <summary>The glimpse sensor (<see cref="LogicEnergyModel.GlimpseSensorPerGlimpseJoules"/> x glimpses run), when priced; else null.</summary>
    public ComponentBand? Sensor { get; init; }
}

/// <summary>
/// What the learned gate's image check computes per image (`tune-mixed --gate-check linear`): <paramref name="MultiplyAdds"/>
/// (784 x 10 for MNIST), <paramref name="Classes"/> logits, <paramref name="Pixels"/> pixels read, weights of
/// <paramref name="WeightBits"/> bits, biases of <paramref name="BiasBits"/>, per-class scales of <paramref name="ScaleBits"/> (0: none).
/// </summary>
internal sealed record ImageCheckCost(long MultiplyAdds, int Classes, int Pixels, int WeightBits, int BiasBits, int ScaleBits)
{
    /// <summary>
    /// MNIST's linear check: 784 pixels x 10 classes, as `tune-mixed --check-weight-bits` stores it: 32, float32 weights and
    /// biases (no scales); 8, int8 weights, int32 biases and float32 per-class scales.
    /// </summary>
    public static ImageCheckCost Linear(int pixels, int classes, int weightBits) => weightBits switch
    {
        32 => new((long)pixels * classes, classes, pixels, 32, 32, 0),
        8 => new((long)pixels * classes, classes, pixels, 8, 32, 32),
        _ => throw new ArgumentOutOfRangeException(nameof(weightBits), weightBits, "the image check's weights are 8 (int8) or 32 (float32) bits"),
    };

    /// <summary>True for the fixed-point (int8) check.</summary>
    public bool FixedPoint => WeightBits < 32;
}

/// <summary>
/// Band arithmetic (no SPICE): each array category's band combines one-factor-at-a-time deltas from the typical point
/// (flip fraction, wire capacitance, pump efficiency), min = typical + the sum of the factors' negative deltas and max =
/// typical + the sum of their positive deltas (first order: the factors' interactions are not measured). Totals add the
/// components' bounds, so the total's min and max have every factor at its bound at once (the widest honest band).
/// The logic that is not per comparison is priced per operation on the counts (<see cref="LogicEnergyModel"/>): the vote's
/// (k &gt; 1) and mixed MBI's gate (always the distance gate; the agreement arithmetic when the gate weighs the vote).
/// </summary>
internal static partial class EnergyBandCalculator
{
    /// <summary>Zhao, Darwish, Bayoumi (IEEE TVLSI 12(5), 2004): the clock system takes 30-60 % of a chip's power, so clock
    /// network / registers = 0.3 / 0.7 to 0.6 / 0.4.</summary>
    public const double ClockFactorLow = 0.3 / 0.7, ClockFactorHigh = 0.6 / 0.4;

    /// <summary>The worst pump efficiency of the band: a pump with switching and bottom-plate losses well beyond 0.5.</summary>
    public const double PumpEfficiencyWorst = 0.3;

    public const double WindowStepSeconds = 1e-9;

    public static EnergyBands Compute(BandMeasurements m, EnergyConfig config, AdcModel adc, int bits, double technologyNm,
        InferenceCounts counts, double rowCycleSeconds, double designCelsius, bool tunnelling, double gating, double agreementWeight = 0,
        bool learnedGate = false, ImageCheckCost? imageCheck = null)
    {
        if (imageCheck is not null && !learnedGate) throw new ArgumentException("an image check is priced with the learned gate only", nameof(imageCheck));
        CheckAgreementWeight(agreementWeight, counts.Vote);
        CheckLearnedGate(learnedGate, agreementWeight, counts.Vote);
        var nominalAdc = Adc(m, bits, technologyNm);
        var chosen = nominalAdc[adc];
        int n = counts.Splits;

        // --- array categories ---
        var rows = new List<ComponentBand>();
        string[] drivers = ["query drivers", "row select", "logic inputs", "precharge gate drivers", "share drivers"];
        var typ = m.Typical.Rows(); var flo = m.FlipLow.Rows(); var fhi = m.FlipHigh.Rows(); var wlo = m.WireLow.Rows(); var whi = m.WireHigh.Rows();
        var pumped = m.PumpedTypical.Rows(); var ideal = m.PumpedIdeal.Rows(); var floor = m.Floor.Rows();
        for (int k = 0; k < typ.Count; k++)
        {
            string name = typ[k].Name;
            double t = typ[k].Joules;
            double worstPumped = pumped[k].Joules * m.PumpEfficiency / PumpEfficiencyWorst;
            var deltas = new (string Low, string High, double DLow, double DHigh)[]
            {
                (I($"flip {m.FlipLowFraction:P0}"), I($"flip {m.FlipHighFraction:P0}"), flo[k].Joules - t, fhi[k].Joules - t),
                (I($"wire x{m.WireLowFactor:0.##}"), I($"wire x{m.WireHighFactor:0.##}"), wlo[k].Joules - t, whi[k].Joules - t),
                ("pumps ideal (0.83 / 0.67)", I($"pumps {PumpEfficiencyWorst:0.##}"), ideal[k].Joules - pumped[k].Joules, worstPumped - pumped[k].Joules),
            };
            rows.Add(Combine(name, drivers.Contains(name) ? "drivers" : "array", t, deltas,
                I($"ngspice, flip {m.FlipTypicalFraction:P0}, wire nominal, pumps {m.PumpEfficiency:0.##}, {m.Cycles} cycles"),
                floor[k].Joules, floor[k].Joules > 0 ? FloorText(name) : "no fixed line swing (data-dependent); floor not asserted"));
        }

        // --- periphery, ADC, logic ---
        rows.Add(new ComponentBand("row decoder", "peripherals", Math.Min(m.DecoderLowJoules, m.DecoderTypicalJoules), m.DecoderTypicalJoules,
            Math.Max(m.DecoderHighJoules, m.DecoderTypicalJoules), I($"ngspice decoder bench, wire x{m.WireLowFactor:0.##}"), "ngspice decoder bench (VDD rail + address inputs), wire nominal",
            I($"ngspice decoder bench, wire x{m.WireHighFactor:0.##}"), m.DecoderFloorJoules,
            m.DecoderFloorJoules > 0 ? "address-line wire C VDD^2" : "the decoder bench lists no line capacitors; floor not asserted (the selected row's driver and its wire floor are in 'row select')").Validated());
        var sortedAdc = nominalAdc.OrderBy(a => a.Value.EnergyJoules).ToList();
        rows.Add(new ComponentBand("ADC", "ADC", sortedAdc[0].Value.EnergyJoules, chosen.EnergyJoules, sortedAdc[^1].Value.EnergyJoules,
            $"{sortedAdc[0].Key} model", $"{adc} model (chosen)", $"{sortedAdc[^1].Key} model", 0,
            "the sampled charge comes from the sum lines (in 'precharge rails'); floor not asserted").Validated());
        double clockTypical = config.Logic.ClockNetworkFactor, clockLow = Math.Min(ClockFactorLow, clockTypical), clockHigh = Math.Max(ClockFactorHigh, clockTypical);
        string clockLowText = I($"clock network {ClockFactorLow:0.##} x registers (clock 30 % of power, Zhao 2004)"),
            clockHighText = I($"clock network {ClockFactorHigh:0.##} x registers (clock 60 % of power, Zhao 2004)");
        double Logic(double clock) => LogicAt(config.Logic, clock, n);
        double lt = Logic(clockTypical), ll = Logic(clockLow), lh = Logic(clockHigh);
        rows.Add(new ComponentBand("logic", "logic", ll, lt, lh, clockLowText,
            I($"Horowitz 2014 / Aladdin per-op model, clock network {config.Logic.ClockNetworkFactor:0.##} x registers"),
            clockHighText, 0, "per-operation model, no line simulated; floor not asserted").Validated());
        var perComparison = rows;
        var comparisonTotal = Sum("total per comparison", "total", perComparison);

        // --- per inference ---
        double secondsPerRow = rowCycleSeconds + chosen.ConversionSeconds;
        if (counts.ValueBits != m.ValueReadColumns)
            throw new SimulationFailedException(I($"the value read was measured for {m.ValueReadColumns}-bit values but the table stores {counts.ValueBits}-bit ones; measure the bands again for this table."));
        // each lookup reads its value row after the leaf's scan, before the next glimpse can start: serial
        double readSeconds = counts.ValueReadsPerImage * m.ValueReadSeconds;
        double latency = counts.RowsPerImage * secondsPerRow + readSeconds;
        double cells = (double)counts.StoredRows * n * counts.Columns;
        double arrays = Math.Ceiling(counts.StoredRows / (double)counts.RowsPerArray) * n;
        double valueCells = (double)counts.ValueRows * counts.ValueBits;
        double LeakKeys(LeakagePoint p, double seconds) => (cells * p.CellPowerWatts * (1 - gating) + arrays * p.DecoderPowerWatts) * seconds;
        double LeakValues(LeakagePoint p, double seconds) => valueCells * p.ValueCellPowerWatts * (1 - gating) * seconds;
        double Leak(LeakagePoint p, double seconds) => LeakKeys(p, seconds) + LeakValues(p, seconds);
        var lMin = m.LeakageAt(27, false); var lTyp = m.LeakageAt(designCelsius, tunnelling); var lMax = m.LeakageAt(85, true);
        double perImage = counts.SplitComparisonsPerImage;
        var perInference = perComparison.Select(c => c.Scaled(perImage, I($" x {perImage:0.#} split comparisons"))).ToList();
        double reads = counts.ValueReadsPerImage;
        var valueRead = new ComponentBand("value-store read", "value store", reads * Math.Min(m.ValueReadLowJoules, m.ValueReadTypicalJoules),
            reads * m.ValueReadTypicalJoules, reads * Math.Max(m.ValueReadHighJoules, m.ValueReadTypicalJoules), I($"wire x{m.WireLowFactor:0.##}"),
            I($"ngspice 6T column read (word line, precharge, sense amplifier) x {m.ValueReadColumns} bits x {reads:0.##} reads"), I($"wire x{m.WireHighFactor:0.##}"),
            reads * m.ValueReadFloorJoules, "row lines (word line, precharge gate, sense enable) C VDD^2 + each bitline's restore C_BL VDD dV, per read").Validated();
        perInference.Add(valueRead);
        ComponentBand? vote = null;
        if (counts.Vote > 1)
        {
            int k = counts.Vote;
            double lookups = counts.LookupsPerImage, rowsPerLookup = counts.RowsPerImage / lookups;
            double perLookup = config.Logic.VotePerLookupJoules(k, counts.HiddenBits, counts.ValueBits), insert = config.Logic.VoteInsertJoules(k);
            double VoteAt(double inserts) => lookups * (perLookup + inserts * insert);
            double typicalInserts = LogicEnergyModel.ExpectedVoteInserts(k, rowsPerLookup);
            vote = new ComponentBand("vote logic", "logic", VoteAt(Math.Min(k, rowsPerLookup)), VoteAt(typicalInserts), VoteAt(rowsPerLookup),
                "only the first k rows of a lookup enter the k-nearest register", I($"rows in random order: {typicalInserts:0.#} of {rowsPerLookup:0.#} rows enter it (k (1 + H_n - H_k))"),
                "every scanned row enters it", 0,
                I($"per-operation model (k = {k}: weights, {counts.HiddenBits}-bit majority, location and class modes, k value latches per lookup; sorted insertions), no line simulated; floor not asserted")).Validated();
            perInference.Add(vote);
        }
        // mixed MBI's gate: arithmetic on the counts, no data dependence; only the clock network's share is banded
        bool agreement = agreementWeight > 0;
        int gateLookups = (int)Math.Round(counts.LookupsPerImage);
        System.Diagnostics.Debug.Assert(Math.Abs(counts.LookupsPerImage - gateLookups) < 1e-9, "every image makes one lookup per glimpse");
        const int classBits = 4; // a class register holds one of MNIST's 10 classes
        double GateAt(double clock)
        {
            var logic = config.Logic with { ClockNetworkFactor = clock };
            return learnedGate ? logic.LearnedGatePerImageJoules(gateLookups, counts.HiddenBits, classBits) : logic.GatePerImageJoules(gateLookups, counts.HiddenBits, agreement);
        }
        double gt = GateAt(clockTypical), gl = GateAt(clockLow), gh = GateAt(clockHigh);
        var gate = new ComponentBand("gate logic", "logic", gl, gt, gh, clockLowText,
            I($"per-op model, clock network {clockTypical:0.##} x registers: running max of {gateLookups} match distances + the compare with T") +
            (learnedGate ? I($"; learned gate: the agreement gate's arithmetic + {5 * gateLookups + 2} multiply-adds, {2 * (2 * gateLookups - 1) + 1} class compares and adds, the accumulator and {2 * (gateLookups - 1)} class registers, the vote's winners, class shares and last hidden agreement")
            : agreement ? I($"; agreement weight L = {agreementWeight:G4}: {counts.HiddenBits}-bit hidden agreement and its running min at {gateLookups - 1} glimpses, class share, score + L x (2 - agreement)") : ""),
            clockHighText, 0, "per-operation model, no line simulated; floor not asserted").Validated();
        perInference.Add(gate);
        // the learned gate's image check: per-op arithmetic, its weights and pixels read at the value store's measured read energy per bit
        ComponentBand? check = null;
        double ct = 0, cl = 0, ch = 0;
        if (imageCheck is { } ic)
        {
            double perBit(double rowJoules) => rowJoules / m.ValueReadColumns;
            double CheckAt(double clock, double readRow) => (config.Logic with { ClockNetworkFactor = clock })
                .ImageCheckPerImageJoules(ic.MultiplyAdds, ic.Classes, ic.Pixels, ic.WeightBits, ic.BiasBits, ic.ScaleBits, perBit(readRow));
            ct = CheckAt(clockTypical, m.ValueReadTypicalJoules);
            cl = CheckAt(clockLow, Math.Min(m.ValueReadLowJoules, m.ValueReadTypicalJoules));
            ch = CheckAt(clockHigh, Math.Max(m.ValueReadHighJoules, m.ValueReadTypicalJoules));
            check = new ComponentBand("image check", "logic", cl, ct, ch, clockLowText + I($", value read wire x{m.WireLowFactor:0.##}"),
                (ic.FixedPoint
                    ? I($"per-op model of the fixed-point check: {ic.MultiplyAdds:N0} multiply-adds (int8 weight x pixel byte, int32 accumulate, {LogicEnergyModel.CheckAccumulatorBits}-bit register each), ") +
                      I($"{ic.MultiplyAdds:N0} {ic.WeightBits}-bit weights, {ic.Classes} {ic.BiasBits}-bit biases, {ic.Classes} {ic.ScaleBits}-bit scales and {ic.Pixels} 8-bit pixels read at the value store's {perBit(m.ValueReadTypicalJoules) * 1e15:0.##} fJ/bit, ") +
                      I($"{ic.Classes} scale multiplies ({LogicEnergyModel.ScaleMultiplyEquivalents(ic.ScaleBits)} 8-bit multiplies each), top-two logits and 3 gate multiply-adds")
                    : I($"per-op model of the float32 check: {ic.MultiplyAdds:N0} multiply-adds priced as integer ones (8-bit multiply, 32-bit accumulate, {LogicEnergyModel.CheckAccumulatorBits}-bit register each; ") +
                      I($"the check computes them in float32, so this is a lower bound), {ic.MultiplyAdds + ic.Classes:N0} {ic.WeightBits}-bit float weights and biases and {ic.Pixels} 8-bit pixels read at the value store's {perBit(m.ValueReadTypicalJoules) * 1e15:0.##} fJ/bit, top-two logits and 3 gate multiply-adds")),
                clockHighText + I($", value read wire x{m.WireHighFactor:0.##}"), 0, "per-operation model, no line simulated; floor not asserted").Validated();
            perInference.Add(check);
        }
        // the glimpse sensor: every glimpse's pixels read, pooled into the key's elements and coded (the image check's one read of
        // the image, above, is its own; the sensor reads the patches again at every glimpse)
        var sensor = counts.Sensor is { } sc
            ? SensorBand(sc, counts.GlimpsesPerImage, m, config.Logic, (clockLow, clockLowText), clockTypical, (clockHigh, clockHighText))
            : null;
        if (sensor is not null) perInference.Add(sensor);
        List<ComponentBand> dynamicParts = [comparisonTotal.Scaled(perImage, ""), valueRead];
        if (vote is not null) dynamicParts.Add(vote);
        dynamicParts.Add(gate);
        if (check is not null) dynamicParts.Add(check);
        if (sensor is not null) dynamicParts.Add(sensor);
        var dynamic = Sum("dynamic per inference", "dynamic", dynamicParts) with
        {
            MinSetBy = comparisonTotal.MinSetBy,
            TypicalSetBy = "comparisons x energy per comparison + value reads + vote and gate logic" + (sensor is null ? "" : " + glimpse sensor"),
            MaxSetBy = comparisonTotal.MaxSetBy,
        };
        string minSet = "27 C, gate tunnelling off", typSet = I($"{designCelsius:0.#} C, gate tunnelling {(tunnelling ? "on" : "off")} (the design)"),
            maxSet = "85 C, gate tunnelling on";
        var keyLeakage = new ComponentBand("leakage", "leakage", LeakKeys(lMin, latency), LeakKeys(lTyp, latency),
            Math.Max(LeakKeys(lMax, latency), LeakKeys(lTyp, latency)), minSet, typSet, maxSet,
            0, I($"{cells:N0} 10T key cells + {arrays:N0} decoders x latency {latency * 1e6:0.###} us x (1 - gating {gating:0.##})")).Validated();
        var valueLeakage = new ComponentBand("value-store leakage", "leakage", LeakValues(lMin, latency), LeakValues(lTyp, latency),
            Math.Max(LeakValues(lMax, latency), LeakValues(lTyp, latency)), minSet, typSet, maxSet,
            0, I($"{counts.ValueRows:N0} value rows x {counts.ValueBits} bits = {valueCells:N0} 6T cells x latency {latency * 1e6:0.###} us x (1 - gating {gating:0.##})")).Validated();
        perInference.Add(keyLeakage);
        perInference.Add(valueLeakage);
        var leakage = Sum("leakage per inference", "leakage", [keyLeakage, valueLeakage]) with
        {
            MinSetBy = minSet, TypicalSetBy = typSet, MaxSetBy = maxSet,
            FloorLines = I($"{cells:N0} key cells, {arrays:N0} decoders and {valueCells:N0} value cells x latency {latency * 1e6:0.###} us x (1 - gating {gating:0.##})"),
        };
        var inferenceTotal = Sum("total per inference", "total", perInference);

        // --- sensitivity: one factor at a time from the typical point ---
        double st = sensor?.TypicalJoules ?? 0;
        double SensorAt(double clock) => counts.Sensor is { } atClock
            ? SensorJoules(atClock, counts.GlimpsesPerImage, config.Logic, clock, m.ValueReadTypicalJoules / m.ValueReadColumns) : 0;
        double sensorReadBits = counts.Sensor is { } readBy ? counts.GlimpsesPerImage * readBy.Pixels * GlimpseSensorCost.PixelBits : 0;
        double SensorReadDelta(double rowJoules) => sensorReadBits * (rowJoules - m.ValueReadTypicalJoules) / m.ValueReadColumns;
        double tc = comparisonTotal.TypicalJoules, tl = leakage.TypicalJoules, tr = valueRead.TypicalJoules + (vote?.TypicalJoules ?? 0) + gate.TypicalJoules + ct + st;
        double ArrayTotal(ArrayEnergy a) => a.TotalJoules - m.Typical.TotalJoules;
        SensitivityRow Row(string factor, string lo, string hi, double dcLo, double dcHi, double dlLo, double dlHi, string note) =>
            new(factor, lo, hi, tc + dcLo, tc + dcHi, (tc + dcLo) * perImage + tr + tl + dlLo, (tc + dcHi) * perImage + tr + tl + dlHi, note);
        var pumpDeltaIdeal = m.PumpedIdeal.TotalJoules - m.PumpedTypical.TotalJoules;
        var pumpDeltaWorst = m.PumpedTypical.TotalJoules * (m.PumpEfficiency / PumpEfficiencyWorst - 1);
        var sensitivity = new List<SensitivityRow>
        {
            Row("wire capacitance", I($"x{m.WireLowFactor:0.##}"), I($"x{m.WireHighFactor:0.##}"), ArrayTotal(m.WireLow) + m.DecoderLowJoules - m.DecoderTypicalJoules,
                ArrayTotal(m.WireHigh) + m.DecoderHighJoules - m.DecoderTypicalJoules, reads * (m.ValueReadLowJoules - m.ValueReadTypicalJoules) + SensorReadDelta(m.ValueReadLowJoules),
                reads * (m.ValueReadHighJoules - m.ValueReadTypicalJoules) + SensorReadDelta(m.ValueReadHighJoules),
                "array, decoder and value read re-measured with ngspice (the value rows and the sensor's pixel reads; not the image check's reads)"),
            Row("flip fraction", I($"{m.FlipLowFraction:P0}"), I($"{m.FlipHighFraction:P0}"), ArrayTotal(m.FlipLow), ArrayTotal(m.FlipHigh), 0, 0,
                "array re-measured with ngspice (queries differing from the key in that share of columns)"),
            Row("evaluation window", I($"-{WindowStepSeconds * 1e9:0.#} ns"), I($"+{WindowStepSeconds * 1e9:0.#} ns"), 0, 0,
                Leak(lTyp, counts.RowsPerImage * (secondsPerRow - WindowStepSeconds) + readSeconds) - tl, Leak(lTyp, counts.RowsPerImage * (secondsPerRow + WindowStepSeconds) + readSeconds) - tl,
                "leakage through the latency only: the array's dynamic energy at other windows is NOT re-measured"),
            Row("ADC model", $"{sortedAdc[0].Key}", $"{sortedAdc[^1].Key}", sortedAdc[0].Value.EnergyJoules - chosen.EnergyJoules,
                sortedAdc[^1].Value.EnergyJoules - chosen.EnergyJoules,
                Leak(lTyp, counts.RowsPerImage * (rowCycleSeconds + sortedAdc[0].Value.ConversionSeconds) + readSeconds) - tl,
                Leak(lTyp, counts.RowsPerImage * (rowCycleSeconds + sortedAdc[^1].Value.ConversionSeconds) + readSeconds) - tl, "energy and conversion time (latency, so leakage)"),
            Row("charge-pump efficiency", "ideal (0.83 / 0.67)", I($"{PumpEfficiencyWorst:0.##}"), pumpDeltaIdeal, pumpDeltaWorst, 0, 0,
                I($"typical {m.PumpEfficiency:0.##}; only the pumped rails' draw is rescaled (delivered energy measured)")),
            Row("temperature", I($"{designCelsius:0.#} C (the design)"), I($"{m.HotCelsius:0} C"), 0, ArrayTotal(m.Hot), 0,
                Leak(m.LeakageAt(m.HotCelsius, tunnelling), latency) - tl + reads * (m.ValueReadHotJoules - m.ValueReadTypicalJoules) + SensorReadDelta(m.ValueReadHotJoules),
                I($"array and value read (value rows and the sensor's pixel reads) re-measured with ngspice at {m.HotCelsius:0} C (decoder, ADC and logic at the design's temperature); leakage with gate tunnelling {(tunnelling ? "on" : "off")}")),
            Row("gate tunnelling", "off", "on", 0, 0, Leak(m.LeakageAt(designCelsius, false), latency) - tl, Leak(m.LeakageAt(designCelsius, true), latency) - tl,
                I($"leakage at {designCelsius:0.#} C")),
            Row("logic clock network", I($"{ClockFactorLow:0.##} x registers"), I($"{ClockFactorHigh:0.##} x registers"), ll - lt, lh - lt,
                gl - gt + (cl - ct) + (SensorAt(clockLow) - st), gh - gt + (ch - ct) + (SensorAt(clockHigh) - st),
                "Zhao 2004: clock 30-60 % of power (per comparison's logic, the gate's, its image check's and the glimpse sensor's; the vote's at the typical factor)"),
        };
        return new EnergyBands(perComparison, comparisonTotal, perInference, dynamic, leakage, inferenceTotal, sensitivity, adc.ToString(), latency, secondsPerRow,
            designCelsius, tunnelling, gating,
            "component bands: one factor at a time, min = typical + sum of negative deltas, max = typical + sum of positive deltas (first order); totals add the components' bounds (all factors at their bounds at once)",
            valueLeakage, valueRead, readSeconds, vote, gate, agreementWeight) { LearnedGate = learnedGate, ImageCheck = check, Sensor = sensor };
    }

    /// <summary>The learned gate: its features are the vote's (k &gt; 1), and it has no agreement weight.</summary>
    public static void CheckLearnedGate(bool learnedGate, double agreementWeight, int vote)
    {
        if (!learnedGate) return;
        LearnedGate.CheckVote(vote);
        if (agreementWeight != 0)
            throw BadInputException.For("agreement_weight", agreementWeight, "0 with the learned gate (it replaces the distance + agreement score)", "the learned gate alone");
    }

    /// <summary>The gate's agreement weight: in [0, <see cref="MbiEvaluation.MaxAgreementWeight"/>], and 0 unless k &gt; 1 keys vote.</summary>
    public static void CheckAgreementWeight(double agreementWeight, int vote)
    {
        MbiEvaluation.CheckAgreementWeight(agreementWeight);
        if (agreementWeight > 0 && vote <= 1)
            throw BadInputException.For("agreement_weight", agreementWeight, "0 with a vote of 1 (one key decides each glimpse: there is no agreement to compute)", "a vote of 5");
    }

    /// <summary>The three ADC models' figures; the SPICE one from its cached measurement.</summary>
    public static IReadOnlyDictionary<AdcModel, AdcEstimate> Adc(BandMeasurements m, int bits, double technologyNm) => new Dictionary<AdcModel, AdcEstimate>
    {
        [AdcModel.NeuroSim] = AdcEnergyModel.NeuroSim(bits, technologyNm),
        [AdcModel.Spice] = new(AdcModel.Spice, m.AdcSpiceJoules, m.AdcSpiceSeconds, $"Mbi's transistor-level SAR in ngspice, mean of {m.AdcSpiceConversions} conversions"),
        [AdcModel.Survey] = AdcEnergyModel.Survey(bits),
    };

    /// <summary>Logic per split comparison with the clock network at <paramref name="clockFactor"/> x the registers.</summary>
    public static double LogicAt(LogicEnergyModel logic, double clockFactor, int splits)
    {
        var l = logic with { ClockNetworkFactor = clockFactor };
        return l.PerSplitComparisonJoules + l.PerRowJoules / splits;
    }

    private static ComponentBand Combine(string name, string group, double typical, IReadOnlyList<(string Low, string High, double DLow, double DHigh)> deltas,
        string typicalSetBy, double floor, string floorLines)
    {
        double min = typical, max = typical;
        var minBy = new List<string>(); var maxBy = new List<string>();
        foreach (var (low, high, dLow, dHigh) in deltas)
        {
            // whichever setting lowers (raises) the component sets its min (max)
            double down = Math.Min(0, Math.Min(dLow, dHigh)), up = Math.Max(0, Math.Max(dLow, dHigh));
            if (down < 0) { min += down; minBy.Add(dLow <= dHigh ? low : high); }
            if (up > 0) { max += up; maxBy.Add(dHigh >= dLow ? high : low); }
        }
        return new ComponentBand(name, group, Math.Max(0, min), typical, max, minBy.Count > 0 ? string.Join(", ", minBy) : "no factor lowers it",
            typicalSetBy, maxBy.Count > 0 ? string.Join(", ", maxBy) : "no factor raises it", floor, floorLines).Validated();
    }

    private static ComponentBand Sum(string name, string group, IReadOnlyList<ComponentBand> parts) =>
        new ComponentBand(name, group, parts.Sum(p => p.MinJoules), parts.Sum(p => p.TypicalJoules), parts.Sum(p => p.MaxJoules),
            "every component at its min", "every component typical", "every component at its max", parts.Sum(p => p.FloorJoules), "sum of the components' floors").Validated();

    /// <summary>Reasons go into JSON and CSV: formatted invariantly.</summary>
    private static string I(FormattableString text) => FormattableString.Invariant(text);

    private static string FloorText(string category) => category switch
    {
        "query drivers" => "one query line per column per comparison, C VDD^2 (static scan protocol: the lines that switch, / rows per node)",
        "row select" => "the row-select line, C V^2",
        "precharge gate drivers" => "precharge-gate line, C (VDD + boost)^2 (boost 0 with rails within VDD)",
        "share drivers" => "both transmission-gate lines, C (VDD + boost)^2 (boost 0 with rails within VDD)",
        _ => "line C V^2",
    };
}
