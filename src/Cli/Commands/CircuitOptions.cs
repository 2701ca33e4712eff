using System.CommandLine;
using Mbi.Circuit.Design;
using Mbi.Circuit.MonteCarlo;
using Mbi.Core.Units;

namespace Mbi.Cli.Commands;

/// <summary>
/// The options `mbi mc` and `mbi sweep` share: the die count, sigma(Vth), seed and workers, and the
/// design (<see cref="DesignOptions"/>). Built once here so both commands spell them the same way.
/// </summary>
internal sealed class CircuitOptions
{
    public Option<int> Samples { get; }
    public Option<double> SigmaVth { get; } = CommonOptions.Quantity("--sigma-vth", "V", "Std. deviation of every transistor's Vth shift", "60mV", 0, 0.5);
    public Option<ulong> Seed { get; } = CommonOptions.Seed();
    public Option<int> Workers { get; } = CommonOptions.Workers();
    public DesignOptions Design { get; } = new();

    public CircuitOptions(int defaultSamples)
    {
        Samples = CommonOptions.Count("--samples", "Monte Carlo dies", defaultSamples, 1, 1_000_000);
    }

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Samples, SigmaVth, Seed, Workers })
            command.Options.Add(option);
        Design.AddTo(command);
    }

    /// <summary>The Monte Carlo settings and the stamp of the design they run.</summary>
    public (MonteCarloSettings Settings, CircuitDesign Design, DesignStamp Stamp) Settings(ParseResult parse)
    {
        var (design, stamp) = Design.Resolve(parse);
        var settings = design.ApplyTo(new MonteCarloSettings
        {
            Technology = design.Technology,
            Samples = parse.GetValue(Samples),
            Seed = parse.GetValue(Seed),
            SigmaVthVolts = parse.GetValue(SigmaVth),
            Workers = parse.GetValue(Workers),
        }).Validated();
        return (settings, design, stamp);
    }

    /// <summary>One line per setting, for the human report.</summary>
    public static string Describe(MonteCarloSettings s, DesignStamp design) =>
        $"{s.Samples} dies, sigma(Vth) {Engineering.Format(s.SigmaVthVolts, "V")}, VPmax {Engineering.Format(s.Design.VpMaxVolts, "V")}, " +
        $"eval window {Engineering.Format(s.Design.EvalWindowSeconds, "s")}, C_BL {Engineering.Format(s.Design.BitlineCapacitanceFarads, "F")}, " +
        $"{s.Design.Columns} columns, {s.AdcBits}-bit ADC, {s.Technology.Name}, seed {s.Seed}; design {design.Source ?? "defaults"} (sha256 {design.Sha256[..12]})";
}
