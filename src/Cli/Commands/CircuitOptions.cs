using System.CommandLine;
using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Core.Units;

namespace Mbi.Cli.Commands;

/// <summary>
/// The options `mbi mc` and `mbi sweep` share: the die count, sigma(Vth), the array design, the ADC
/// and the technology. Built once here so both commands spell and validate them the same way.
/// </summary>
internal sealed class CircuitOptions
{
    public Option<int> Samples { get; }
    public Option<double> SigmaVth { get; } = CommonOptions.Quantity("--sigma-vth", "V", "Std. deviation of every transistor's Vth shift", "60mV", 0, 0.5);
    public Option<ulong> Seed { get; } = CommonOptions.Seed();
    public Option<double> VpMax { get; } = CommonOptions.Quantity("--vp-max", "V", "Bitline precharge of MSB columns (VPmax)", "0.9V", 0.05, 3);
    public Option<double> EvalWindow { get; } = CommonOptions.Quantity("--eval-window", "s", "Evaluation window", "3ns", 1e-12, 1e-6);
    public Option<double> BitlineCap { get; } = CommonOptions.Quantity("--bitline-cap", "F", "Lumped capacitance per bitline (31-row load + wire)", "4fF", 1e-18, 1e-11);
    public Option<double> SumlineCap { get; } = CommonOptions.Quantity("--sumline-cap", "F", "Wire capacitance of each sum line", "1fF", 1e-18, 1e-11);
    public Option<double> PrechargeBoost { get; } = CommonOptions.Quantity("--precharge-boost", "V", "Precharge PMOS gates are driven this far below 0 V", "0.6V", 0, 2);
    public Option<double> ShareBoost { get; } = CommonOptions.Quantity("--share-boost", "V", "Transmission-gate overdrive beyond the rails", "0.6V", 0, 2);
    public Option<int> Columns { get; } = CommonOptions.Count("--columns", "Columns of the row (even; 2-bit elements use column pairs)", 32, 2, 1024);
    public Option<int> AdcBits { get; } = CommonOptions.Count("--adc-bits", "ADC resolution", 5, 1, 16);
    public Option<double> AdcOffset { get; } = new("--adc-offset") { Description = "ADC offset in LSB (default 0)", DefaultValueFactory = _ => 0 };
    public Option<double> AdcInl { get; } = new("--adc-inl") { Description = "ADC integral non-linearity: bow peak at mid-scale in LSB (default 0)", DefaultValueFactory = _ => 0 };
    public Option<int> Workers { get; } = CommonOptions.Workers();
    public Option<string?> ModelCard { get; } = new("--model-card") { Description = "Your own SPICE model card instead of PTM 16nm LP (needs --nmos-model, --pmos-model)" };
    public Option<string> NmosModel { get; } = new("--nmos-model") { Description = "NMOS model name in --model-card (default ptmlp16n)", DefaultValueFactory = _ => "ptmlp16n" };
    public Option<string> PmosModel { get; } = new("--pmos-model") { Description = "PMOS model name in --model-card (default ptmlp16p)", DefaultValueFactory = _ => "ptmlp16p" };
    public Option<double> Vdd { get; } = CommonOptions.Quantity("--vdd", "V", "Supply of --model-card's technology", "0.9V", 0.1, 5);
    public Option<bool> GateTunneling { get; } = new("--gate-tunneling") { Description = "Keep BSIM4 gate tunnelling currents on (about 10x slower; moves results by ~0.2 mV)" };

    public CircuitOptions(int defaultSamples)
    {
        Samples = CommonOptions.Count("--samples", "Monte Carlo dies", defaultSamples, 1, 1_000_000);
    }

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Samples, SigmaVth, Seed, VpMax, EvalWindow, BitlineCap, SumlineCap, PrechargeBoost,
                     ShareBoost, Columns, AdcBits, AdcOffset, AdcInl, Workers, ModelCard, NmosModel, PmosModel, Vdd, GateTunneling })
            command.Options.Add(option);
    }

    public MonteCarloSettings Settings(ParseResult parse)
    {
        string? card = parse.GetValue(ModelCard);
        var technology = card is null
            ? Technology.Ptm16Lp()
            : Technology.FromFile(card, parse.GetValue(NmosModel)!, parse.GetValue(PmosModel)!, parse.GetValue(Vdd), 16e-9, 32e-9);
        technology = technology with { GateTunneling = parse.GetValue(GateTunneling) };
        var design = new ArrayDesign
        {
            Columns = parse.GetValue(Columns),
            VpMaxVolts = parse.GetValue(VpMax),
            EvalWindowSeconds = parse.GetValue(EvalWindow),
            BitlineCapacitanceFarads = parse.GetValue(BitlineCap),
            SumLineCapacitanceFarads = parse.GetValue(SumlineCap),
            PrechargeBoostVolts = parse.GetValue(PrechargeBoost),
            ShareBoostVolts = parse.GetValue(ShareBoost),
        };
        return new MonteCarloSettings
        {
            Technology = technology,
            Design = design,
            Samples = parse.GetValue(Samples),
            Seed = parse.GetValue(Seed),
            SigmaVthVolts = parse.GetValue(SigmaVth),
            Workers = parse.GetValue(Workers),
            AdcBits = parse.GetValue(AdcBits),
            AdcOffsetLsb = parse.GetValue(AdcOffset),
            AdcInlPeakLsb = parse.GetValue(AdcInl),
        }.Validated();
    }

    /// <summary>One line per setting, for the human report.</summary>
    public static string Describe(MonteCarloSettings s) =>
        $"{s.Samples} dies, sigma(Vth) {Engineering.Format(s.SigmaVthVolts, "V")}, VPmax {Engineering.Format(s.Design.VpMaxVolts, "V")}, " +
        $"eval window {Engineering.Format(s.Design.EvalWindowSeconds, "s")}, C_BL {Engineering.Format(s.Design.BitlineCapacitanceFarads, "F")}, " +
        $"{s.Design.Columns} columns, {s.AdcBits}-bit ADC, {s.Technology.Name}, seed {s.Seed}";
}
