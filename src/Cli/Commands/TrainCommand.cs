using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Core.IO;
using Mbi.Core.Progress;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi train`: trains a recurrent attention model (reference or MBI preset, every size overridable) on
/// MNIST with a validation split, writes the model file and a metrics JSON beside it.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var model = new RamModelOptions();
        var training = new TrainingOptionSet(defaultEpochs: 20);
        var teacher = new TeacherOptions();
        var json = CommonOptions.Json();
        var seed = CommonOptions.Seed();
        var splitSeed = CommonOptions.SplitSeed("Seed that draws the validation split; give runs at other --seed values the same one so they are " +
            "chosen on the same held-out images (then give it to distill, tune-distance and sweep-threshold too) (default: --seed)");
        var mnist = CommonOptions.Mnist();
        var output = new Option<string>("--out") { Description = "Model file to write (a metrics JSON is written beside it as FILE.metrics.json)", Required = true };
        var init = new Option<string?>("--init")
        {
            Description = "Start from this model's weights instead of a fresh initialisation (continue training; its configuration is used: " +
                          "of the model options only --hidden-bits, --patch-bits and --sigma apply, e.g. to go from 8-bit to 1-bit hidden state).",
        };
        var widen = new Option<int?>("--widen-core")
        {
            Description = "With --init: first give the model (one core layer) a full-precision core layer of this many ReLU units before its quantized " +
                          "hidden state, initialised to compute exactly the same function (units 2H+ start with zero output weights), then train. " +
                          "No key bit changes. E.g. 512.",
            CustomParser = r => (int?)(int)OptionParsing.Whole(r, "--widen-core", 1, 4096, 512),
        };
        var headOnCore = new Option<bool>("--head-on-core")
        {
            Description = "With --init (after --widen-core if given): let the classifier read the first core layer's activation (head input " +
                          "core-features) instead of the 64-wide pre-activation, its first matrix folded through the layer so the logits start the same.",
        };
        var command = new Command("train", "Train a recurrent attention model on MNIST (the MBI configuration or the full-precision reference).");
        foreach (var option in model.All.Concat(training.All).Concat(teacher.All)) command.Options.Add(option);
        command.Options.Add(output); command.Options.Add(init); command.Options.Add(widen); command.Options.Add(headOnCore); command.Options.Add(seed); command.Options.Add(splitSeed); command.Options.Add(mnist); command.Options.Add(json);
        command.SetAction(parse =>
        {
            string outPath = OutputPaths.File("--out", parse.GetValue(output), "models/my.ram");
            OutputPaths.File("--out", MetricsPath(outPath), "models/my.ram");
            string? initPath = parse.GetValue(init);
            int? widenCore = parse.GetValue(widen);
            if (widenCore is not null && initPath is null)
                throw new BadInputException($"--widen-core {widenCore} widens a trained model: give it --init MODEL; for a fresh model use --extra-core-layers 1 --core-width {widenCore}.");
            RamModel? start = initPath is null ? null : RamModel.Load(initPath);
            bool moveHead = parse.GetValue(headOnCore);
            if (moveHead && initPath is null)
                throw new BadInputException("--head-on-core moves a trained model's classifier: give it --init MODEL; for a fresh model use --head-input core-features.");
            if (start is not null && widenCore is { } width) start = start.WithWiderCore(width, parse.GetValue(seed));
            if (start is not null && moveHead) start = start.WithHeadOnCoreFeatures();
            RamConfig config = start is null ? model.Read(parse) : model.Continuing(parse, start.Config);
            if (start is not null && config != start.Config) start = new RamModel(config, start.Parameters);
            IReadOnlyList<RamModel>? teacherModels = teacher.Load(parse);
            ulong seedValue = parse.GetValue(seed);
            ulong splitSeedValue = parse.GetValue(splitSeed) ?? seedValue;
            TrainingOptions options = training.Read(parse, seedValue) with { DistillWeight = teacher.WeightFor(parse) };
            options.CheckFits(config); // e.g. --hidden-flip or --hidden-gradient on a multi-bit state: refused before the data is read
            bool asJson = parse.GetValue(json);
            Terminal.Note($"seed {seedValue}{(splitSeedValue == seedValue ? "" : $" (validation split drawn by seed {splitSeedValue})")}; {config.Describe()}{(initPath is null ? "" : $"; continuing from {initPath}{(widenCore is null ? "" : $", core widened to {widenCore}")}")}");
            var data = MnistDataset.Load(parse.GetValue(mnist));
            var (train, validation) = training.Split(data, parse, splitSeedValue);
            SoftTargets? softTargets = teacher.Targets(parse, teacherModels, train);
            Terminal.Note($"MNIST from {data.Folder}: {train.Count} training, {validation.Count} validation, {data.Test.Count} test images; " +
                          $"{options.Epochs} epochs of batch {options.BatchSize}, Adam lr {options.LearningRate} x{options.LearningRateDecay}/epoch");

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
            // The model file always holds the best epoch so far, so an interrupted run still leaves a usable model.
            var result = Terminal.WithProgress("train", progress =>
                new RamTrainer(start ?? RamModel.Initialize(config, seedValue), options, softTargets).Train(train, validation, LogEpochs(progress),
                    (best, _) => best.Save(outPath)));
            double testAccuracy = result.Model.Evaluate(data.Test);
            result.Model.Save(outPath);
            var metrics = Metrics(outPath, initPath, widenCore, moveHead, parse.GetValue(teacher.Teacher), softTargets?.Temperature, config, options, result, testAccuracy,
                train.Count, validation.Count, splitSeedValue, softTargets is null ? null : parse.GetValue(teacher.Passes));
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
        patch_size = c.PatchSize, scales = c.Scales, scale_factor = c.ScaleFactor, patch_pool = c.PatchPool, coarse_gain = c.CoarseGain, glimpses = c.Glimpses,
        glimpse_hidden = c.GlimpseHidden, location_hidden = c.LocationHidden, glimpse_features = c.GlimpseFeatures,
        hidden = c.Hidden, extra_core_layers = c.ExtraCoreLayers, core_width = c.CoreLayerWidth(0), hidden_bits = c.HiddenBits, patch_bits = c.PatchBits,
        location_levels = c.LocationLevels, head_hidden = c.HeadHidden, head_input = OptionParsing.Kebab(c.HeadInput.ToString()),
        policy_sigma = c.PolicySigma, description = c.Describe(),
    };

    private static object Metrics(string path, string? initPath, int? widenCore, bool headOnCore, string? teacherPath, float? temperature, RamConfig config, TrainingOptions options, TrainingResult result,
        double testAccuracy, int trainCount, int validationCount, ulong splitSeed, int? teacherPasses) => new
    {
        model = path,
        initialised_from = initPath,
        widened_core = widenCore,
        head_moved_onto_core = headOnCore,
        test_accuracy = testAccuracy,
        test_error = 1 - testAccuracy,
        validation_accuracy = result.ValidationAccuracy,
        best_epoch = result.BestEpoch,
        epochs = options.Epochs,
        train_seconds = result.TrainSeconds,
        seed = options.Seed,
        split_seed = splitSeed,
        configuration = Configuration(config),
        training = new
        {
            batch = options.BatchSize, learning_rate = options.LearningRate, learning_rate_decay = options.LearningRateDecay,
            reinforce_weight = options.ReinforceWeight, reward = OptionParsing.Kebab(options.Reward.ToString()), hidden_gradient = OptionParsing.Kebab(options.HiddenGradient.ToString()), augment_shift_pixels = options.AugmentShift, augment_rotate_degrees = options.AugmentRotate, augment_scale = options.AugmentScale, augment_elastic_alpha = options.AugmentElastic, augment_elastic_sigma = options.ElasticSigma, hidden_flip = options.HiddenFlip, patch_noise = options.PatchNoise, lookup_substitution = options.LookupSubstitution,
            weight_average = options.WeightAverage,
            teacher = teacherPath, teacher_passes = teacherPasses, distill_weight = options.DistillWeight, temperature, train_images = trainCount, validation_images = validationCount,
            machine = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}",
        },
        history = result.Epochs.Select(e => new
        {
            epoch = e.Epoch, loss = e.Loss, train_accuracy = e.TrainAccuracy, validation_accuracy = e.ValidationAccuracy,
            raw_validation_accuracy = e.RawValidationAccuracy, seconds = e.Seconds, learning_rate = e.LearningRate,
        }).ToArray(),
    };

    private sealed class Forward(Action<ProgressUpdate> report) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => report(value);
    }
}
