using System.Text.Json;

namespace Mbi.CoSim.Energy;

/// <summary>
/// Step 4's digital logic per operation (config/energy.json, "logic"): the 8-bit weight multiply (ADC code x learned
/// weight), the 16-bit adds (weighted sum, running-minimum compare), the registers those results are clocked into, and
/// the clock network behind the registers. Each per-operation energy carries its source's node and supply and is moved
/// to the design's node by the scaling rule: at a fixed supply, switched capacitance (and so energy) scales about
/// linearly with feature size, so E = E_source x (node / node_source) x (VDD / VDD_source)^2. The (16/T)^2 rule the
/// paper uses for Table I would also scale V with the node (constant-field scaling), which has not held since about 90 nm.
/// </summary>
public sealed record LogicEnergyModel
{
    /// <summary>The design's node the source energies are scaled to, in nanometres.</summary>
    public required double TargetNodeNanometers { get; init; }
    /// <summary>The design's supply the source energies are scaled to, in volts.</summary>
    public required double TargetVddVolts { get; init; }
    /// <summary>8-bit multiply at the design's node.</summary>
    public required double Multiply8Joules { get; init; }
    /// <summary>16-bit add at the design's node (mean of the source's 8- and 32-bit adds).</summary>
    public required double Add16Joules { get; init; }
    /// <summary>One register bit clocked once (flip-flop internal and clock-pin energy), at the design's node.</summary>
    public required double RegisterBitJoules { get; init; }
    /// <summary>Clock network (wires, buffers) energy per register bit clocked, as a multiple of <see cref="RegisterBitJoules"/>.</summary>
    public required double ClockNetworkFactor { get; init; }
    /// <summary>Register bits clocked per split comparison: the ADC code latch and the weighted-sum accumulator.</summary>
    public required int RegisterBitsPerSplitComparison { get; init; }
    /// <summary>Register bits clocked per row: running-minimum distance and index, and the row counter.</summary>
    public required int RegisterBitsPerRow { get; init; }

    /// <summary>The scaling rule: linear in node at fixed supply, quadratic in supply.</summary>
    public static double Scale(double sourceNode, double sourceVdd, double targetNode, double targetVdd) =>
        targetNode / sourceNode * Math.Pow(targetVdd / sourceVdd, 2);

    private double ClockedBitJoules => RegisterBitJoules * (1 + ClockNetworkFactor);

    /// <summary>Per split comparison: one multiply, one add into the row's weighted sum, and the registers it clocks.</summary>
    public double PerSplitComparisonJoules => Multiply8Joules + Add16Joules + RegisterBitsPerSplitComparison * ClockedBitJoules;

    /// <summary>Per row (after its splits are summed): the running-minimum compare (a 16-bit subtract) and its registers.</summary>
    public double PerRowJoules => Add16Joules + RegisterBitsPerRow * ClockedBitJoules;

    /// <summary>Bits of one entry of the vote's k-nearest register: a 16-bit distance and an 18-bit row index.</summary>
    public const int VoteEntryBits = 16 + 18;

    /// <summary>
    /// One insertion into the vote's sorted k-entry register (`--vote k`): k parallel 16-bit compares place the new
    /// distance, and up to k entries shift by one (<see cref="VoteEntryBits"/> clocked bits each). Beyond the per-row
    /// running-minimum compare <see cref="PerRowJoules"/> already prices (it becomes the compare with the k-th entry).
    /// </summary>
    public double VoteInsertJoules(int k) => k <= 1 ? 0 : k * Add16Joules + k * VoteEntryBits * ClockedBitJoules;

    /// <summary>
    /// The vote of one lookup (`--vote k`) once its scan is done: k weights 1 / (1 + d - d0) (one 8-bit multiply each,
    /// for the reciprocal's table read and scaling), the bitwise weighted majority of <paramref name="hiddenBits"/> bits (k
    /// signed 16-bit adds per bit), the weighted modes of the location and the class (for each key, k equality compares and
    /// k adds, twice: 4 k^2 16-bit operations), and the k value rows read latched (<paramref name="valueBits"/> bits each).
    /// </summary>
    public double VotePerLookupJoules(int k, int hiddenBits, int valueBits) => k <= 1 ? 0
        : k * Multiply8Joules + (double)hiddenBits * k * Add16Joules + 4.0 * k * k * Add16Joules + (double)k * valueBits * ClockedBitJoules;

    /// <summary>Bits of each result the mixed-MBI gate clocks into a register (a distance, an agreement, a score).</summary>
    public const int GateResultBits = 16;

    /// <summary>
    /// Mixed MBI's gate for one image (MbiRun.GateScore: served by lookups when the score &lt;= T, else the network).
    /// The distance gate, always: per lookup the running maximum of the match distances (one 16-bit compare and its
    /// <see cref="GateResultBits"/>-bit register), per image the score's compare with T (one 16-bit compare; its 1-bit
    /// decision is not counted as a register). With <paramref name="agreement"/> (`--agreement-weight L` &gt; 0, a vote of
    /// k &gt; 1), the agreement arithmetic beside the vote's (whose signed per-bit sums <see cref="VotePerLookupJoules"/>
    /// already prices): at each glimpse but the last (the classifier hands the hidden state on there only), the hidden
    /// agreement, mean over the <paramref name="hiddenBits"/> bits of |sum_j +-w_j| / sum_j w_j (one 16-bit add per bit for
    /// the |.| accumulation, one division priced as one 8-bit multiply by a reciprocal, as the vote's 1 / (1 + d)), and its
    /// running minimum (one 16-bit compare and a register); at the last glimpse the class share (one more division, one
    /// multiply, and a register); per image the score MaxDistance + L x (2 - (class share + hidden agreement)) (one
    /// multiply and three 16-bit adds: the sum, 2 - it and + MaxDistance) and its register. No line is simulated.
    /// </summary>
    /// <param name="lookups">Lookups (glimpses) per image, at least 1.</param>
    public double GatePerImageJoules(int lookups, int hiddenBits, bool agreement)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lookups, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(hiddenBits);
        double register = GateResultBits * ClockedBitJoules;
        double distance = lookups * (Add16Joules + register) + Add16Joules;
        if (!agreement) return distance;
        double hiddenAgreement = hiddenBits * Add16Joules + Multiply8Joules + Add16Joules + register;
        double classShare = Multiply8Joules + register;
        double score = Multiply8Joules + 3 * Add16Joules + register;
        return distance + (lookups - 1) * hiddenAgreement + classShare + score;
    }

    /// <summary>
    /// Mixed MBI's learned gate for one image (Mbi.Algorithm's LearnedGate: a logistic regression's negated log-odds, served
    /// by lookups when &lt;= T; its operation count is docs/mbi/learned-gate's "Hardware cost"). It needs everything today's
    /// agreement gate computes (<see cref="GatePerImageJoules"/> with the agreement: running max distance, hidden agreement
    /// and its running minimum, class share, the agreement's sum, the compare with T), and beyond it: 5 multiply-adds per
    /// glimpse (d, dk, hag, cag, winners, into one <see cref="LearnedGateAccumulatorBits"/>-bit accumulator clocked each glimpse)
    /// and 2 at the end (MaxDistance, min hag), each an 8-bit multiply and an accumulator add (<see cref="GateAccumulateJoules"/>);
    /// 2G - 1 equality compares of the step and nearest-row classes with the last class (16-bit adds) and as many conditional
    /// weight adds, plus one add of a per-class offset (accumulator adds); the step classes and nearest-row classes of glimpses 1..G-1 held in
    /// <paramref name="classBits"/>-bit registers; and from the vote, the winners' count per glimpse (one add), the class
    /// share at glimpses 1..G-1 and the hidden agreement at glimpse G that today's gate does not take (each a division priced
    /// as one 8-bit multiply and a register; the hidden agreement's <paramref name="hiddenBits"/> |sum| adds too). The gate's
    /// weights are constants (not priced). No line is simulated.
    /// </summary>
    /// <param name="lookups">Lookups (glimpses) per image, at least 2.</param>
    public double LearnedGatePerImageJoules(int lookups, int hiddenBits, int classBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lookups, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(hiddenBits);
        ArgumentOutOfRangeException.ThrowIfLessThan(classBits, 1);
        double register = GateResultBits * ClockedBitJoules;
        double multiplyAdds = (5.0 * lookups + 2) * (Multiply8Joules + GateAccumulateJoules);
        // 2G - 1 class compares (16-bit); 2G - 1 conditional weight adds and the per-class offset into the accumulator.
        double classTerms = (2.0 * lookups - 1) * Add16Joules + 2.0 * lookups * GateAccumulateJoules;
        double registers = lookups * LearnedGateAccumulatorBits * ClockedBitJoules + 2.0 * (lookups - 1) * classBits * ClockedBitJoules;
        double voteSide = lookups * Add16Joules + (lookups - 1) * (Multiply8Joules + register) + hiddenBits * Add16Joules + Multiply8Joules + register;
        return GatePerImageJoules(lookups, hiddenBits, agreement: true) + multiplyAdds + classTerms + registers + voteSide;
    }

    /// <summary>
    /// Bits of the learned gate's accumulator. The gate in fixed point (`tune-mixed --gate-bits 8`, Mbi.Algorithm's GateFixedPoint:
    /// 8-bit feature codes x int8 weights, an exact integer sum) needs 19 bits for any input on the issue-13 pipeline's three
    /// seeds (its accumulator bound, 155,823-240,291; docs/mbi/learned-gate/fixed-point), so a 24-bit accumulator: each of its
    /// adds is priced as a 24-bit add (<see cref="GateAccumulateJoules"/>) and the register as 24 bits.
    /// </summary>
    public const int LearnedGateAccumulatorBits = 24;

    /// <summary>One add into the learned gate's accumulator: a 16-bit add scaled by width (an adder's energy grows linearly with its bits).</summary>
    public double GateAccumulateJoules => Add16Joules * LearnedGateAccumulatorBits / 16.0;

    /// <summary>Bits of the image check's accumulators (784 products of 8 x 8 bits need 26; a 32-bit register).</summary>
    public const int CheckAccumulatorBits = 32;

    /// <summary>
    /// The learned gate's image check for one image (Mbi.Algorithm's ImageCheck, `tune-mixed --gate-check linear`): a linear
    /// classifier on the raw pixels. Per multiply-add an 8-bit multiply (pixel byte x weight), a 32-bit accumulate priced as two
    /// 16-bit adds, and its <see cref="CheckAccumulatorBits"/>-bit accumulator clocked; every weight (<paramref name="multiplyAdds"/>
    /// words of <paramref name="weightBits"/> bits), every bias (<paramref name="classes"/> words of <paramref name="biasBits"/>),
    /// every per-class scale (<paramref name="scaleBits"/>, 0 for none) and every pixel (<paramref name="pixels"/> bytes) read
    /// once at <paramref name="readJoulesPerBit"/> (the caller's measured SRAM read per bit); with scales, each logit's
    /// accumulator times its scale (a 32 x <paramref name="scaleBits"/>-bit multiply priced as (32/8) x (scaleBits/8) 8-bit
    /// multiplies: an array multiplier's partial products); then the largest and second-largest logit (2 (classes - 1)
    /// compares), the lookups' class's logit selected and the two differences and the agreement compare (3 adds), and the
    /// gate's 3 more multiply-adds on those features (8-bit multiplies and accumulator adds, <see cref="GateAccumulateJoules"/>). This is what the fixed-point check computes (`--check-weight-bits 8`:
    /// int8 weights, int32 biases, float32 scales); a float32 check's weights are read at 32 bits but its float multiply-adds
    /// are priced as these integer ones, so for it the figure is a lower bound.
    /// </summary>
    public double ImageCheckPerImageJoules(long multiplyAdds, int classes, int pixels, int weightBits, int biasBits, int scaleBits, double readJoulesPerBit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(multiplyAdds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(pixels);
        ArgumentOutOfRangeException.ThrowIfLessThan(weightBits, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(biasBits, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(scaleBits);
        ArgumentOutOfRangeException.ThrowIfNegative(readJoulesPerBit);
        double macs = multiplyAdds * (Multiply8Joules + 2 * Add16Joules + CheckAccumulatorBits * ClockedBitJoules);
        double reads = ((double)multiplyAdds * weightBits + (double)classes * (biasBits + scaleBits) + 8.0 * pixels) * readJoulesPerBit;
        double scaling = classes * ScaleMultiplyEquivalents(scaleBits) * Multiply8Joules;
        double features = (2.0 * (classes - 1) + 3) * Add16Joules + 3 * (Multiply8Joules + GateAccumulateJoules);
        return macs + reads + scaling + features;
    }

    /// <summary>
    /// The glimpse sensor for one glimpse (Mbi.Algorithm's QuantizedGlimpseSensor; counts from the key spec, see GlimpseSensorCost):
    /// each of <paramref name="pixels"/> pixels read once (<paramref name="pixelBits"/> bits at <paramref name="readJoulesPerBit"/>,
    /// the caller's measured SRAM read per bit), added into its element's <paramref name="accumulatorBits"/>-bit accumulator (an
    /// add priced as a 16-bit add scaled by width, as <see cref="GateAccumulateJoules"/>) and that accumulator clocked, as every
    /// accumulation this model prices (the split comparison's sum, the image check's multiply-adds); then for each of
    /// <paramref name="elements"/> elements <paramref name="comparesPerElement"/> compares of its sum with constant thresholds
    /// (each an accumulator-width add, as the other compares here) and its <paramref name="codeBits"/>-bit code latched.
    /// No line is simulated.
    /// </summary>
    public double GlimpseSensorPerGlimpseJoules(long pixels, int elements, int comparesPerElement, int accumulatorBits, int codeBits, int pixelBits,
        double readJoulesPerBit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(elements, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(comparesPerElement);
        ArgumentOutOfRangeException.ThrowIfLessThan(accumulatorBits, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(codeBits);
        ArgumentOutOfRangeException.ThrowIfLessThan(pixelBits, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(readJoulesPerBit);
        double add = Add16Joules * accumulatorBits / 16.0;
        double perPixel = pixelBits * readJoulesPerBit + add + accumulatorBits * ClockedBitJoules;
        double perElement = comparesPerElement * add + codeBits * ClockedBitJoules;
        return pixels * perPixel + elements * perElement;
    }

    /// <summary>8-bit multiplies one scale multiply is priced as: (accumulator bits / 8) x (scale bits / 8), 16 for 32 x 32; 0 without scales.</summary>
    public static int ScaleMultiplyEquivalents(int scaleBits) => CheckAccumulatorBits / 8 * ((scaleBits + 7) / 8);

    /// <summary>
    /// Expected insertions into a k-entry top list over a scan of <paramref name="rows"/> distances in random order:
    /// the first k rows, then row i enters with probability k / i, so k (1 + H_n - H_k) (H the harmonic number).
    /// </summary>
    public static double ExpectedVoteInserts(int k, double rows)
    {
        if (k <= 1 || rows <= 0) return 0;
        if (rows <= k) return rows;
        return k * (1 + Harmonic(rows) - Harmonic(k));
    }

    private static double Harmonic(double n) => n < 64
        ? Enumerable.Range(1, (int)Math.Floor(n)).Sum(i => 1.0 / i) + (n - Math.Floor(n)) / Math.Ceiling(n)
        : Math.Log(n) + 0.5772156649015329 + 1 / (2 * n) - 1 / (12 * n * n);

    /// <summary>Reads the "logic" object of config/energy.json (errors surface as the caller's file-format error).</summary>
    internal static LogicEnergyModel FromJson(JsonElement logic, double targetNode, Func<JsonElement, string, double> number)
    {
        double vdd = number(logic, "target_vdd_volts");
        double arithmetic = Scale(number(logic, "source_node_nm"), number(logic, "source_vdd_volts"), targetNode, vdd);
        double register = Scale(number(logic, "register_source_node_nm"), number(logic, "register_source_vdd_volts"), targetNode, vdd);
        return new LogicEnergyModel
        {
            TargetNodeNanometers = targetNode,
            TargetVddVolts = vdd,
            Multiply8Joules = number(logic, "mult8_joules_at_source") * arithmetic,
            Add16Joules = 0.5 * (number(logic, "add8_joules_at_source") + number(logic, "add32_joules_at_source")) * arithmetic,
            RegisterBitJoules = number(logic, "register_bit_joules_at_source") * register,
            ClockNetworkFactor = number(logic, "clock_network_factor"),
            RegisterBitsPerSplitComparison = (int)number(logic, "register_bits_per_split_comparison"),
            RegisterBitsPerRow = (int)number(logic, "register_bits_per_row"),
        };
    }
}
