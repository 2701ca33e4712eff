using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mbi.Core.Errors;
using Mbi.Core.IO;

namespace Mbi.Algorithm.Memorization;

/// <summary>
/// The learned gate's file: UTF-8 JSON, format "mbi-learned-gate", version 1: what it was fitted on (glimpses, classes,
/// vote, ridge, images, split seed, (in "target") what it predicts, the table's <see cref="TableIdentity"/>, the search), then per feature its name,
/// mean, sd and standardised coefficient, the intercept, and "sha256": the SHA-256 of the same file written with "sha256"
/// empty, so any edit is caught. Written under a temporary name and renamed; the same gate writes the same bytes. Version 2
/// adds the float32 image check, version 3 a fixed-point (int8) one; each version is written only when its check is there.
/// Version 4 adds the regression in fixed point ("regression_fixed_point", <see cref="GateFixedPoint"/>), with any check or
/// none; it is written only for such a gate, so every earlier file keeps its bytes.
/// </summary>
public static class LearnedGateFile
{
    /// <summary>The "format" field.</summary>
    public const string Format = "mbi-learned-gate";
    /// <summary>The format version of a gate without an image check (every gate before session 13).</summary>
    public const int Version = 1;
    /// <summary>The format version of a gate with an <see cref="ImageCheck"/> ("image_check": its weights).</summary>
    public const int CheckVersion = 2;
    /// <summary>
    /// The format version of a gate with a fixed-point <see cref="ImageCheck"/> ("image_check": "weight_bits": 8, its int8
    /// "weights_int8", int32 "bias_int32" and per-class "scales" in place of the float "weights" and "bias").
    /// </summary>
    public const int FixedPointCheckVersion = 3;
    /// <summary>
    /// The format version of a gate whose regression scores in fixed point ("regression_fixed_point": bits, per-feature scales,
    /// code ranges and int8 weights, the integer bias and the product scale), with no check, a float32 or an int8 one.
    /// </summary>
    public const int FixedPointRegressionVersion = 4;
    private const string HowToMake = "Fit one with `./mbi tune-mixed --gate learned --vote 5 --out-gate FILE` on the same table";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="gate"/> to <paramref name="path"/> (temporary name, then rename).</summary>
    public static void Write(string path, LearnedGate gate) => AtomicFile.WriteAllBytes(path, ToBytes(gate));

    /// <summary>The file's bytes for <paramref name="gate"/>.</summary>
    public static byte[] ToBytes(LearnedGate gate)
    {
        var features = new List<FeatureDocument>(gate.FeatureNames.Count);
        var coefficients = gate.Coefficients;
        for (int j = 0; j < gate.FeatureNames.Count; j++)
            features.Add(new FeatureDocument(gate.FeatureNames[j], gate.Means[j], gate.Deviations[j], coefficients[j]));
        var check = gate.Check is not { } c ? null
            : c.WeightBits == 32 ? new CheckDocument(ImageCheck.Kind, c.Inputs, c.Classes, c.Weights.ToArray(), c.Bias.ToArray())
            : new CheckDocument(ImageCheck.Kind, c.Inputs, c.Classes, null, null)
            {
                WeightBits = c.WeightBits,
                WeightsInt8 = c.QuantizedWeights.ToArray(),
                BiasInt32 = c.QuantizedBias.ToArray(),
                Scales = c.Scales.ToArray(),
            };
        var fixedPoint = gate.FixedPoint is not { } f ? null
            : new FixedPointDocument(GateFixedPoint.Bits, f.Scales.ToArray(), f.CodeMin.ToArray(), f.CodeMax.ToArray(), f.Weights.ToArray(), f.Bias, f.ProductScale);
        int version = fixedPoint is not null ? FixedPointRegressionVersion
            : gate.Check is null ? Version : gate.Check.WeightBits == 32 ? CheckVersion : FixedPointCheckVersion;
        var document = new GateDocument(Format, version, gate.TargetText, fixedPoint is null ? "negated log-odds; served by lookups when the score <= T"
                : "negated log-odds in fixed point, -(bias + sum of feature code x weight) x product_scale; served by lookups when the score <= T",
            gate.Glimpses, gate.Classes, gate.Vote, gate.Ridge, gate.FitImages, gate.SplitSeed, gate.TableSha256, gate.Search,
            features, gate.Intercept, "") { ImageCheck = check, RegressionFixedPoint = fixedPoint };
        return JsonSerializer.SerializeToUtf8Bytes(document with { Sha256 = Checksum(document) }, Options);
    }

    /// <summary>
    /// Reads and checks a gate file (format, version, checksum, fields); a bad file gives a <see cref="FileFormatException"/>
    /// naming it and how to make a good one. The caller checks it fits its table (<see cref="CheckFits"/>).
    /// </summary>
    public static LearnedGate Read(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"learned gate file '{path}' does not exist. {HowToMake}.");
        GateDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<GateDocument>(File.ReadAllBytes(path), Options);
        }
        catch (JsonException e)
        {
            throw new FileFormatException(path, $"not a learned-gate JSON file ({e.Message})", HowToMake);
        }
        if (document is null) throw new FileFormatException(path, "empty learned-gate file", HowToMake);
        if (document.Format != Format) throw new FileFormatException(path, $"format is \"{document.Format}\", not \"{Format}\"", HowToMake);
        if (document.Version is not (Version or CheckVersion or FixedPointCheckVersion or FixedPointRegressionVersion))
            throw new FileFormatException(path, $"version {document.Version}; this Mbi reads versions {Version} to {FixedPointRegressionVersion}", HowToMake);
        if (document.Features is null || document.TableSha256 is null || document.Search is null || document.Sha256 is null)
            throw new FileFormatException(path, "a field is missing (features, table_sha256, search or sha256)", HowToMake);
        if (Checksum(document with { Sha256 = "" }) != document.Sha256)
            throw new FileFormatException(path, "its sha256 does not match its contents (the file was edited or damaged)", HowToMake);
        if (LearnedGate.TargetOf(document.Target ?? "") is not { } target)
            throw new FileFormatException(path, $"target \"{document.Target}\" is not one this Mbi fits (\"{LearnedGate.LookupRightText}\" or \"{LearnedGate.NoLossText}\")", HowToMake);
        if (document.Glimpses < 1 || document.Classes < 2 || document.Vote < 2 || document.FitImages < 1)
            throw new FileFormatException(path, $"glimpses {document.Glimpses}, classes {document.Classes}, vote {document.Vote}, fit images {document.FitImages} out of range", HowToMake);
        if ((document.Version == FixedPointRegressionVersion) != (document.RegressionFixedPoint is not null))
            throw new FileFormatException(path, document.RegressionFixedPoint is null ? $"version {FixedPointRegressionVersion} without its regression_fixed_point"
                : $"version {document.Version} with a regression_fixed_point (that is version {FixedPointRegressionVersion})", HowToMake);
        // Version 4's check, if any, is read as the version its fields say (2: float32, 3: int8).
        int checkVersion = document.Version != FixedPointRegressionVersion ? document.Version
            : document.ImageCheck is null ? Version : document.ImageCheck.WeightBits is null ? CheckVersion : FixedPointCheckVersion;
        ImageCheck? check = null;
        if (checkVersion == CheckVersion)
        {
            var c = document.ImageCheck ?? throw new FileFormatException(path, $"version {CheckVersion} without its image_check", HowToMake);
            if (c.Kind != ImageCheck.Kind || c.Classes != document.Classes || c.Inputs < 1 || c.Weights is null || c.Bias is null
                || c.Weights.Length != (long)c.Inputs * c.Classes || c.Bias.Length != c.Classes
                || c.Weights.Any(v => !float.IsFinite(v)) || c.Bias.Any(v => !float.IsFinite(v))
                || c.WeightBits is not null || c.WeightsInt8 is not null || c.BiasInt32 is not null || c.Scales is not null)
                throw new FileFormatException(path, $"image_check: kind \"{c.Kind}\", {c.Inputs} inputs x {c.Classes} classes, " +
                    $"{c.Weights?.Length ?? 0} weights and {c.Bias?.Length ?? 0} biases (finite; the gate's classes; float32, no fixed-point fields in version {CheckVersion})", HowToMake);
            check = new ImageCheck(c.Inputs, c.Classes, c.Weights, c.Bias);
        }
        else if (checkVersion == FixedPointCheckVersion)
        {
            var c = document.ImageCheck ?? throw new FileFormatException(path, $"version {FixedPointCheckVersion} without its image_check", HowToMake);
            string? problem = c.Kind != ImageCheck.Kind ? $"kind \"{c.Kind}\""
                : c.Classes != document.Classes ? $"{c.Classes} classes for a gate of {document.Classes}"
                : c.WeightBits != 8 ? $"weight_bits {c.WeightBits?.ToString() ?? "missing"} (version {FixedPointCheckVersion} holds 8)"
                : c.Weights is not null || c.Bias is not null ? $"float weights or bias in a version-{FixedPointCheckVersion} (fixed-point) check"
                : ImageCheck.FixedPointProblem(c.Inputs, c.Classes, c.WeightsInt8, c.BiasInt32, c.Scales);
            if (problem is not null) throw new FileFormatException(path, $"image_check: {problem}", HowToMake);
            check = ImageCheck.FixedPoint(c.Inputs, c.Classes, c.WeightsInt8!, c.BiasInt32!, c.Scales!);
        }
        else if (document.ImageCheck is not null)
            throw new FileFormatException(path, $"version {Version} with an image_check (that is version {CheckVersion} or {FixedPointCheckVersion})", HowToMake);
        IReadOnlyList<string> names = check is null ? LearnedGate.Names(document.Glimpses, document.Classes)
            : [.. LearnedGate.Names(document.Glimpses, document.Classes), .. ImageCheck.FeatureNames];
        if (document.Features.Count != names.Count)
            throw new FileFormatException(path, $"{document.Features.Count} features; {document.Glimpses} glimpses and {document.Classes} classes take {names.Count}", HowToMake);
        var means = new double[names.Count];
        var sds = new double[names.Count];
        var beta = new double[names.Count + 1];
        beta[0] = document.Intercept;
        for (int j = 0; j < names.Count; j++)
        {
            var f = document.Features[j];
            if (f.Name != names[j]) throw new FileFormatException(path, $"feature {j + 1} is \"{f.Name}\", expected \"{names[j]}\"", HowToMake);
            if (!double.IsFinite(f.Mean) || !(f.Sd >= 0 && double.IsFinite(f.Sd)) || !double.IsFinite(f.Coefficient))
                throw new FileFormatException(path, $"feature {f.Name}: mean {f.Mean}, sd {f.Sd}, coefficient {f.Coefficient} (finite, sd >= 0)", HowToMake);
            (means[j], sds[j], beta[j + 1]) = (f.Mean, f.Sd, f.Coefficient);
        }
        if (!double.IsFinite(document.Intercept) || !(document.Ridge >= 0 && double.IsFinite(document.Ridge)))
            throw new FileFormatException(path, $"intercept {document.Intercept}, ridge {document.Ridge} (finite, ridge >= 0)", HowToMake);
        GateFixedPoint? fixedPoint = null;
        if (document.RegressionFixedPoint is { } fp)
        {
            string? problem = fp.Bits != GateFixedPoint.Bits ? $"bits {fp.Bits} (version {FixedPointRegressionVersion} holds {GateFixedPoint.Bits})"
                : fp.Scales?.Length != names.Count ? $"{fp.Scales?.Length ?? 0} scales for {names.Count} features"
                : GateFixedPoint.Problem(fp.Scales, fp.CodeMin, fp.CodeMax, fp.WeightsInt8, fp.Bias, fp.ProductScale);
            if (problem is not null) throw new FileFormatException(path, $"regression_fixed_point: {problem}", HowToMake);
            fixedPoint = GateFixedPoint.From(fp.Scales!, fp.CodeMin!, fp.CodeMax!, fp.WeightsInt8!, fp.Bias, fp.ProductScale);
        }
        return new LearnedGate(new RidgeLogisticRegression(means, sds, beta, 0), document.Glimpses, document.Classes, document.Vote,
            document.FitImages, document.SplitSeed, document.Ridge, document.TableSha256, document.Search, target, check, fixedPoint);
    }

    /// <summary>
    /// Refuses <paramref name="gate"/> (read from <paramref name="path"/>) on a table or vote it was not fitted for: its
    /// features would mean something else there.
    /// </summary>
    public static void CheckFits(string path, LearnedGate gate, LookupTable lut, int vote)
    {
        if (gate.Check is { } check && check.Inputs != lut.Spec.ImageSize * lut.Spec.ImageSize)
            throw new FileFormatException(path, $"the gate's image check reads {check.Inputs} pixels, the table's images have {lut.Spec.ImageSize * lut.Spec.ImageSize}", HowToMake);
        if (gate.Glimpses != lut.Spec.Glimpses || gate.Classes != lut.Spec.Classes)
            throw new FileFormatException(path, $"the gate is for {gate.Glimpses} glimpses and {gate.Classes} classes, the table has {lut.Spec.Glimpses} and {lut.Spec.Classes}", HowToMake);
        string identity = TableIdentity.Sha256(lut);
        if (identity != gate.TableSha256 && TableIdentity.LegacyHammingSha256(lut) == gate.TableSha256)
            throw new FileFormatException(path, $"the gate was fitted on this table ({gate.TableSha256[..12]}) under the old Hamming distance, whose " +
                "binary-coded location ranked keys unlike the arrays; the location is now thermometer coded, as the arrays store it, so the gate's features " +
                "mean something else", HowToMake);
        if (identity != gate.TableSha256)
            throw new FileFormatException(path, $"the gate was fitted on table {gate.TableSha256[..12]}, not this one ({identity[..12]}, with any --weights / --metric applied)",
                HowToMake + " (--out-lut writes the table it was fitted on)");
        if (vote != gate.Vote) throw BadInputException.For("vote", vote, $"{gate.Vote}, the vote the learned gate {path} was fitted with", gate.Vote.ToString());
    }

    private static string Checksum(GateDocument document) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(document with { Sha256 = "" }, Options)));

    private sealed record FeatureDocument(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("mean")] double Mean,
        [property: JsonPropertyName("sd")] double Sd,
        [property: JsonPropertyName("coefficient")] double Coefficient);

    /// <summary>
    /// A float32 check (version 2) has "weights" and "bias"; a fixed-point one (version 3) "weight_bits", "weights_int8",
    /// "bias_int32" and "scales" instead. A field a version does not hold is left out, so version-2 files keep their bytes.
    /// </summary>
    private sealed record CheckDocument(
        [property: JsonPropertyName("kind")] string Kind,
        [property: JsonPropertyName("inputs")] int Inputs,
        [property: JsonPropertyName("classes")] int Classes,
        [property: JsonPropertyName("weights"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float[]? Weights,
        [property: JsonPropertyName("bias"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float[]? Bias)
    {
        [JsonPropertyName("weight_bits")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public int? WeightBits { get; init; }
        [JsonPropertyName("scales")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public float[]? Scales { get; init; }
        [JsonPropertyName("bias_int32")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public int[]? BiasInt32 { get; init; }
        [JsonPropertyName("weights_int8")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public sbyte[]? WeightsInt8 { get; init; }
    }

    private sealed record GateDocument(
        [property: JsonPropertyName("format")] string Format,
        [property: JsonPropertyName("version")] int Version,
        [property: JsonPropertyName("target")] string Target,
        [property: JsonPropertyName("score")] string Score,
        [property: JsonPropertyName("glimpses")] int Glimpses,
        [property: JsonPropertyName("classes")] int Classes,
        [property: JsonPropertyName("vote")] int Vote,
        [property: JsonPropertyName("ridge")] double Ridge,
        [property: JsonPropertyName("fit_images")] int FitImages,
        [property: JsonPropertyName("split_seed")] ulong SplitSeed,
        [property: JsonPropertyName("table_sha256")] string TableSha256,
        [property: JsonPropertyName("search")] string Search,
        [property: JsonPropertyName("features")] IReadOnlyList<FeatureDocument> Features,
        [property: JsonPropertyName("intercept")] double Intercept,
        [property: JsonPropertyName("sha256")] string Sha256)
    {
        /// <summary>Versions 2 and 3 only; left out of version-1 files, so their bytes (and checksums) are those of every earlier Mbi.</summary>
        [JsonPropertyName("image_check")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public CheckDocument? ImageCheck { get; init; }
        /// <summary>Version 4 only.</summary>
        [JsonPropertyName("regression_fixed_point")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public FixedPointDocument? RegressionFixedPoint { get; init; }
    }

    private sealed record FixedPointDocument(
        [property: JsonPropertyName("bits")] int Bits,
        [property: JsonPropertyName("feature_scales")] double[]? Scales,
        [property: JsonPropertyName("code_min")] int[]? CodeMin,
        [property: JsonPropertyName("code_max")] int[]? CodeMax,
        [property: JsonPropertyName("weights_int8")] sbyte[]? WeightsInt8,
        [property: JsonPropertyName("bias")] long Bias,
        [property: JsonPropertyName("product_scale")] double ProductScale);
}
