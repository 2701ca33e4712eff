using System.Diagnostics;
using Mbi.Algorithm.Mnist;
using Mbi.Core.Errors;
using Mbi.Core.Progress;

namespace Mbi.Algorithm.Ram;

/// <summary>One point of a Fig. 3 sweep: which panel, which parameter, its value (bits 0 = full precision) and the configuration trained.</summary>
internal sealed record SweepPoint(string Panel, string Parameter, int Value, string Series, RamConfig Config)
{
    public string ValueText => Value == 0 && Parameter.EndsWith("bits", StringComparison.Ordinal) ? "fp32" : Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

internal sealed record SweepResult(SweepPoint Point, double TestAccuracy, double ValidationAccuracy, double TrainSeconds);

/// <summary>
/// The paper's Fig. 3: accuracy as one thing changes around a base configuration.
/// (a) glimpses, patch size, glimpse scale factor, number of patches; (b) hidden and patch bit widths;
/// (c) hidden length for 0, 1 and 2 extra core layers. Every point is trained from the same seed.
/// </summary>
internal static class RamSweep
{
    public static IReadOnlyList<SweepPoint> Fig3(RamConfig b, string panels)
    {
        foreach (char p in panels)
            if (p is not ('a' or 'b' or 'c'))
                throw BadInputException.For("panels", panels, "letters from 'abc'", "abc");
        var points = new List<SweepPoint>();
        if (panels.Contains('a'))
        {
            foreach (int g in new[] { 1, 2, 3, 4, 5, 6, 8 }) points.Add(new("a", "glimpses", g, "glimpses", b with { Glimpses = g }));
            foreach (int s in new[] { 2, 3, 4, 6, 8 }) points.Add(new("a", "patch size", s, "patch size", b with { PatchSize = s }));
            foreach (int f in new[] { 1, 2, 3, 4 }) points.Add(new("a", "scale factor", f, "scale factor", b with { ScaleFactor = f }));
            foreach (int k in new[] { 1, 2, 3, 4 }) points.Add(new("a", "patches", k, "patches", b with { Scales = k }));
        }
        if (panels.Contains('b'))
        {
            foreach (int bits in new[] { 1, 2, 4, 8, 0 }) points.Add(new("b", "hidden bits", bits, "hidden bits", b with { HiddenBits = bits }));
            foreach (int bits in new[] { 1, 2, 4, 8, 0 }) points.Add(new("b", "patch bits", bits, "patch bits", b with { PatchBits = bits }));
        }
        if (panels.Contains('c'))
            foreach (int layers in new[] { 0, 1, 2 })
                foreach (int h in new[] { 16, 32, 64, 128, 256 })
                    points.Add(new("c", "hidden", h, $"{layers} extra core layers", b with { Hidden = h, ExtraCoreLayers = layers }));
        return points;
    }

    public static SweepResult Run(SweepPoint point, MnistImages train, MnistImages validation, MnistImages test, TrainingOptions options,
        IProgress<ProgressUpdate>? progress)
    {
        var clock = Stopwatch.StartNew();
        var result = new RamTrainer(RamModel.Initialize(point.Config.Validated(), options.Seed), options).Train(train, validation, progress);
        double seconds = clock.Elapsed.TotalSeconds;
        return new SweepResult(point, result.Model.Evaluate(test), result.ValidationAccuracy, seconds);
    }
}
