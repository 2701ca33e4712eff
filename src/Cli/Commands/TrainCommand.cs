using System.CommandLine;
using System.Globalization;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Core.Errors;
using Mbi.Core.IO;
using Mbi.Core.Progress;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi train`: trains a recurrent attention model (reference or MBI preset, every size overridable) on
/// MNIST with a validation split, writes the model file and a metrics JSON beside it.
/// </summary>
internal static class TrainCommand
{
    /// <summary>The options that describe a RAM, shared with `mbi sweep-ram`.</summary>
    internal sealed class ModelOptions
    {
        public Option<string> Preset { get; } = new("--preset")
        {
            Description = "Starting configuration: 'mbi' (4x4 patches at 2 scales x3, 5 glimpses, 1-bit hidden 64, 2-bit patch, 15-point grid) or 'reference' (6 glimpses of 8x8, hidden 256, full precision).",
            DefaultValueFactory = _ => "mbi",
        };
        public Option<int?> Patch { get; } = new("--patch") { Description = "Patch side g in pixels after pooling." };
        public Option<int?> Scales { get; } = new("--scales") { Description = "Patches per glimpse k." };
        public Option<int?> ScaleFactor { get; } = new("--scale-factor") { Description = "Each patch is this many times wider than the last (s)." };
        public Option<int?> Glimpses { get; } = new("--glimpses") { Description = "Glimpses per image." };
        public Option<int?> Hidden { get; } = new("--hidden") { Description = "Length of the recurrent hidden state." };
        public Option<int?> GlimpseHidden { get; } = new("--glimpse-hidden") { Description = "Width of h_g." };
        public Option<int?> LocationHidden { get; } = new("--location-hidden") { Description = "Width of h_l." };
        public Option<int?> GlimpseFeatures { get; } = new("--glimpse-features") { Description = "Width of g." };
        public Option<int?> ExtraCoreLayers { get; } = new("--extra-core-layers") { Description = "Extra fully connected layers in the core (Fig. 3(c))." };
        public Option<int?> HiddenBits { get; } = new("--hidden-bits") { Description = "Bits of the hidden state, 1..8, 0 = full precision." };
        public Option<int?> PatchBits { get; } = new("--patch-bits") { Description = "Bits per patch pixel, 1..8, 0 = full precision." };
        public Option<int?> LocationLevels { get; } = new("--location-levels") { Description = "Location grid points per axis, 0 = continuous." };
        public Option<float?> Sigma { get; } = new("--sigma") { Description = "Standard deviation of the Gaussian location policy." };

        public IEnumerable<Option> All => [Preset, Patch, Scales, ScaleFactor, Glimpses, Hidden, GlimpseHidden, LocationHidden,
            GlimpseFeatures, ExtraCoreLayers, HiddenBits, PatchBits, LocationLevels, Sigma];

        public RamConfig Read(ParseResult parse)
        {
            string preset = parse.GetValue(Preset) ?? "mbi";
            RamConfig c = preset switch
            {
                "mbi" => RamConfig.Mbi,
                "reference" => RamConfig.Reference,
                _ => throw BadInputException.For("--preset", preset, "'mbi' or 'reference'", "mbi"),
            };
            return (c with
            {
                PatchSize = parse.GetValue(Patch) ?? c.PatchSize,
                Scales = parse.GetValue(Scales) ?? c.Scales,
                ScaleFactor = parse.GetValue(ScaleFactor) ?? c.ScaleFactor,
                Glimpses = parse.GetValue(Glimpses) ?? c.Glimpses,
                Hidden = parse.GetValue(Hidden) ?? c.Hidden,
                GlimpseHidden = parse.GetValue(GlimpseHidden) ?? c.GlimpseHidden,
                LocationHidden = parse.GetValue(LocationHidden) ?? c.LocationHidden,
                GlimpseFeatures = parse.GetValue(GlimpseFeatures) ?? c.GlimpseFeatures,
                ExtraCoreLayers = parse.GetValue(ExtraCoreLayers) ?? c.ExtraCoreLayers,
                HiddenBits = parse.GetValue(HiddenBits) ?? c.HiddenBits,
                PatchBits = parse.GetValue(PatchBits) ?? c.PatchBits,
                LocationLevels = parse.GetValue(LocationLevels) ?? c.LocationLevels,
                PolicySigma = parse.GetValue(Sigma) ?? c.PolicySigma,
            }).Validated();
        }
    }

    /// <summary>The options that describe how to train, shared with `mbi sweep-ram`.</summary>
    internal sealed class TrainingOptionSet(int defaultEpochs)
    {
        public Option<int> Epochs { get; } = CommonOptions.Count("--epochs", "Passes over the training split", defaultEpochs, 1, 10_000);
        public Option<int> Batch { get; } = CommonOptions.Count("--batch", "Mini-batch size", 64, 4, 4096);
        public Option<float> LearningRate { get; } = new("--lr") { Description = "Adam's learning rate (default 0.002)", DefaultValueFactory = _ => 0.002f };
        public Option<float> Decay { get; } = new("--lr-decay") { Description = "Learning-rate factor after every epoch (default 0.9)", DefaultValueFactory = _ => 0.9f };
        public Option<float> ReinforceWeight { get; } = new("--reinforce-weight") { Description = "Weight of the REINFORCE term in the hybrid loss (default 1)", DefaultValueFactory = _ => 1f };
        public Option<int> Validation { get; } = CommonOptions.Count("--validation", "Training images held out for validation", 5000, 100, 30_000);
        public Option<int> TrainLimit { get; } = CommonOptions.Count("--train-limit", "Use only this many training images (0 = all)", 0, 0, 60_000);
        public Option<int> AugmentShift { get; } = CommonOptions.Count("--augment-shift", "Translate each training image by a random 0..N pixels per axis (0 = no augmentation)", 0, 0, 8);

        public IEnumerable<Option> All => [Epochs, Batch, LearningRate, Decay, ReinforceWeight, Validation, TrainLimit, AugmentShift];

        public TrainingOptions Read(ParseResult parse, ulong seed) => new TrainingOptions
        {
            Epochs = parse.GetValue(Epochs), BatchSize = parse.GetValue(Batch), LearningRate = parse.GetValue(LearningRate),
            LearningRateDecay = parse.GetValue(Decay), ReinforceWeight = parse.GetValue(ReinforceWeight), Seed = seed,
            AugmentShift = parse.GetValue(AugmentShift),
        }.Validated();

        public (MnistImages Train, MnistImages Validation) Split(MnistDataset data, ParseResult parse, ulong seed)
        {
            var (train, validation) = data.Train.SplitValidation(parse.GetValue(Validation), seed);
            int limit = parse.GetValue(TrainLimit);
            return (limit > 0 && limit < train.Count ? train.Take(limit) : train, validation);
        }
    }

    public static Command Create()
    {
        var model = new ModelOptions();
        var training = new TrainingOptionSet(defaultEpochs: 20);
        var json = CommonOptions.Json();
        var seed = CommonOptions.Seed();
        var mnist = CommonOptions.Mnist();
        var output = new Option<string>("--out") { Description = "Model file to write (a metrics JSON is written beside it as FILE.metrics.json)", Required = true };
        var init = new Option<string?>("--init")
        {
            Description = "Start from this model's weights instead of a fresh initialisation (continue training; its configuration is used and model options are ignored).",
        };
        var command = new Command("train", "Train a recurrent attention model on MNIST (the MBI configuration or the full-precision reference).");
        foreach (var option in model.All.Concat(training.All)) command.Options.Add(option);
        command.Options.Add(output); command.Options.Add(init); command.Options.Add(seed); command.Options.Add(mnist); command.Options.Add(json);
        command.SetAction(parse =>
        {
            string? initPath = parse.GetValue(init);
            RamModel? start = initPath is null ? null : RamModel.Load(initPath);
            RamConfig config = start?.Config ?? model.Read(parse);
            ulong seedValue = parse.GetValue(seed);
            TrainingOptions options = training.Read(parse, seedValue);
            string outPath = parse.GetValue(output)!;
            bool asJson = parse.GetValue(json);
            Terminal.Note($"seed {seedValue}; {config.Describe()}{(initPath is null ? "" : $"; continuing from {initPath}")}");
            var data = MnistDataset.Load(parse.GetValue(mnist));
            var (train, validation) = training.Split(data, parse, seedValue);
            Terminal.Note($"MNIST from {data.Folder}: {train.Count} training, {validation.Count} validation, {data.Test.Count} test images; " +
                          $"{options.Epochs} epochs of batch {options.BatchSize}, Adam lr {options.LearningRate} x{options.LearningRateDecay}/epoch");

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
            // The model file always holds the best epoch so far, so an interrupted run still leaves a usable model.
            var result = Terminal.WithProgress("train", progress =>
                new RamTrainer(start ?? RamModel.Initialize(config, seedValue), options).Train(train, validation, LogEpochs(progress),
                    (best, _) => best.Save(outPath)));
            double testAccuracy = result.Model.Evaluate(data.Test);
            result.Model.Save(outPath);
            var metrics = Metrics(outPath, initPath, config, options, result, testAccuracy, train.Count, validation.Count);
            string metricsPath = MetricsPath(outPath);
            AtomicFile.WriteAllText(metricsPath, Terminal.ToJson(metrics) + "\n");
            if (asJson) Terminal.PrintJson(metrics);
            else
            {
                Console.WriteLine($"test accuracy {100 * testAccuracy:F2}% (error {100 * (1 - testAccuracy):F2}%), validation {100 * result.ValidationAccuracy:F2}% at epoch {result.BestEpoch}/{options.Epochs}");
                Console.WriteLine($"trained in {result.TrainSeconds:F0} s; model {outPath}, metrics {metricsPath}");
            }
            return 0;
        });
        return command;
    }

    internal static string MetricsPath(string modelPath) => modelPath + ".metrics.json";

    /// <summary>When stderr is not a terminal (logs, CI) the progress bar is silent: print one line per epoch instead.</summary>
    internal static IProgress<ProgressUpdate> LogEpochs(IProgress<ProgressUpdate> inner)
    {
        bool log = Console.IsErrorRedirected || Environment.GetEnvironmentVariable("CI") == "true";
        return new Forward(update =>
        {
            inner.Report(update);
            if (log && update.Stage == "validation" && update.Status is not null)
                Terminal.Note($"{DateTime.UtcNow.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {update.Status}");
        });
    }

    internal static object Configuration(RamConfig c) => new
    {
        patch_size = c.PatchSize, scales = c.Scales, scale_factor = c.ScaleFactor, glimpses = c.Glimpses,
        glimpse_hidden = c.GlimpseHidden, location_hidden = c.LocationHidden, glimpse_features = c.GlimpseFeatures,
        hidden = c.Hidden, extra_core_layers = c.ExtraCoreLayers, hidden_bits = c.HiddenBits, patch_bits = c.PatchBits,
        location_levels = c.LocationLevels, policy_sigma = c.PolicySigma, description = c.Describe(),
    };

    private static object Metrics(string path, string? initPath, RamConfig config, TrainingOptions options, TrainingResult result,
        double testAccuracy, int trainCount, int validationCount) => new
    {
        model = path,
        initialised_from = initPath,
        test_accuracy = testAccuracy,
        test_error = 1 - testAccuracy,
        validation_accuracy = result.ValidationAccuracy,
        best_epoch = result.BestEpoch,
        epochs = options.Epochs,
        train_seconds = result.TrainSeconds,
        seed = options.Seed,
        configuration = Configuration(config),
        training = new
        {
            batch = options.BatchSize, learning_rate = options.LearningRate, learning_rate_decay = options.LearningRateDecay,
            reinforce_weight = options.ReinforceWeight, augment_shift_pixels = options.AugmentShift, train_images = trainCount, validation_images = validationCount,
            machine = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}",
        },
        history = result.Epochs.Select(e => new
        {
            epoch = e.Epoch, loss = e.Loss, train_accuracy = e.TrainAccuracy, validation_accuracy = e.ValidationAccuracy,
            seconds = e.Seconds, learning_rate = e.LearningRate,
        }).ToArray(),
    };

    private sealed class Forward(Action<ProgressUpdate> report) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => report(value);
    }
}
