using System.Diagnostics;
using System.Numerics.Tensors;
using Mbi.Algorithm.Mnist;
using Mbi.Core.Errors;
using Mbi.Core.Progress;
using Mbi.Core.Randomness;

namespace Mbi.Algorithm.Ram;

/// <summary>How to train: epochs, mini-batch, Adam's learning rate and its per-epoch decay, the REINFORCE weight, the seed.</summary>
internal sealed record TrainingOptions
{
    public int Epochs { get; init; } = 20;
    public int BatchSize { get; init; } = 64;
    public float LearningRate { get; init; } = 1e-3f;
    /// <summary>The learning rate is multiplied by this after every epoch.</summary>
    public float LearningRateDecay { get; init; } = 0.95f;
    public float ReinforceWeight { get; init; } = 1f;
    /// <summary>The REINFORCE reward (<see cref="Ram.PolicyReward"/>).</summary>
    public PolicyReward Reward { get; init; } = PolicyReward.Correct;
    /// <summary>The straight-through derivative of a 1-bit hidden state (<see cref="Ram.HiddenGradient"/>).</summary>
    public HiddenGradient HiddenGradient { get; init; } = HiddenGradient.Box;
    public ulong Seed { get; init; } = 1;
    /// <summary>
    /// The batch is cut into this many fixed blocks, each run by one worker into its own gradient buffer;
    /// the buffers are summed in block order, so the result does not depend on the number of cores.
    /// </summary>
    public int Blocks { get; init; } = 4;
    /// <summary>Random translation of each training image by up to this many pixels per axis (0 = none).</summary>
    public int AugmentShift { get; init; }
    /// <summary>Random rotation of each training image by up to this many degrees either way (0 = none).</summary>
    public float AugmentRotate { get; init; }
    /// <summary>Random scaling of each training image by a factor in [1 - s, 1 + s] (0 = none).</summary>
    public float AugmentScale { get; init; }
    /// <summary>Strength alpha (pixels) of a random elastic distortion of each training image (<see cref="ElasticWarp"/>; 0 = none).</summary>
    public float AugmentElastic { get; init; }
    /// <summary>Smoothness (Gaussian sigma, pixels) of the elastic distortion's displacement field.</summary>
    public float ElasticSigma { get; init; } = 4f;
    /// <summary>
    /// Training-only noise on the 1-bit hidden state: every bit of h_t that feeds a later glimpse (t &lt; T) is
    /// flipped with this probability, so the network learns to act on a neighbour's hidden state (what a
    /// nearest-key lookup hands the next glimpse). 0 = off.
    /// </summary>
    public float HiddenFlip { get; init; }
    /// <summary>
    /// Training-only noise on the quantized patch: every element of every glimpse moves one level with this probability,
    /// so the network learns to act on a neighbour's patch (what a nearest-key lookup answers for). 0 = off.
    /// </summary>
    public float PatchNoise { get; init; }
    /// <summary>
    /// Probability that a glimpse's next hidden state is a lookup's (the lookup chain in the loop, <see cref="LookupSubstitution"/>;
    /// tables rebuilt from the network at the start of every epoch). 0 = off.
    /// </summary>
    public float LookupSubstitution { get; init; }
    /// <summary>Weight a of the teacher's soft targets in the classifier loss, in [0, 1] (0 = labels only; needs a teacher when &gt; 0).</summary>
    public float DistillWeight { get; init; }
    /// <summary>
    /// Decay d of an exponential moving average of the weights (Polyak averaging), in [0, 0.99999]; 0 = off. When on, the
    /// average a_n = d a_(n-1) + (1 - d) w_n (a_0 = 0, divided by 1 - d^n) is kept beside Adam's weights, validated after
    /// every epoch, and the best epoch's average is the model returned; Adam itself always steps the raw weights.
    /// </summary>
    public float WeightAverage { get; init; }

    /// <summary>
    /// Refuses training noise the configuration has nothing to apply to (flips of a multi-bit hidden state, noise on a
    /// full-precision patch, lookups of a model no table can hold); a sweep checks every point before it trains any.
    /// </summary>
    public void CheckFits(RamConfig config)
    {
        if (HiddenFlip > 0f && config.HiddenBits != 1)
            throw BadInputException.For("hidden_flip", HiddenFlip, $"0 unless the hidden state is 1 bit (it is {config.HiddenBits} bits; 0 = full precision)", "0");
        if (LookupSubstitution > 0f && (config.HiddenBits != 1 || config.PatchBits == 0 || config.LocationLevels == 0))
            throw BadInputException.For("lookup_substitution", LookupSubstitution,
                "0 unless the model is an MBI configuration (1-bit hidden state, quantized patch, location grid), whose steps a table can hold", "0");
        if (HiddenGradient != HiddenGradient.Box && config.HiddenBits != 1)
            throw BadInputException.For("hidden_gradient", HiddenGradient.ToString().ToLowerInvariant(),
                $"box unless the hidden state is 1 bit (it is {(config.HiddenBits == 0 ? "full precision" : $"{config.HiddenBits} bits")}): it trains a 1-bit state only",
                "leave it out, or give --hidden-bits 1");
        if (PatchNoise > 0f && config.PatchBits == 0)
            throw BadInputException.For("patch_noise", PatchNoise, "0 unless the patch is quantized (it is full precision: patch bits 0)", "0");
    }

    public TrainingOptions Validated()
    {
        if (Epochs < 1 || Epochs > 10_000) throw BadInputException.For("epochs", Epochs, "between 1 and 10000", "20");
        if (BatchSize < 1 || BatchSize > 4096) throw BadInputException.For("batch_size", BatchSize, "between 1 and 4096", "64");
        if (!(LearningRate > 0f && LearningRate < 1f)) throw BadInputException.For("learning_rate", LearningRate, "in (0, 1)", "0.001");
        if (!(LearningRateDecay > 0f && LearningRateDecay <= 1f)) throw BadInputException.For("learning_rate_decay", LearningRateDecay, "in (0, 1]", "0.95");
        if (!(ReinforceWeight >= 0f)) throw BadInputException.For("reinforce_weight", ReinforceWeight, ">= 0", "1");
        if (AugmentShift < 0 || AugmentShift > 8) throw BadInputException.For("augment_shift", AugmentShift, "between 0 and 8 pixels", "2");
        if (!(AugmentRotate >= 0f && AugmentRotate <= 45f)) throw BadInputException.For("augment_rotate", AugmentRotate, "between 0 and 45 degrees", "10");
        if (!(AugmentScale >= 0f && AugmentScale <= 0.5f)) throw BadInputException.For("augment_scale", AugmentScale, "in [0, 0.5]", "0.1");
        if (!(AugmentElastic >= 0f && AugmentElastic <= 100f)) throw BadInputException.For("augment_elastic", AugmentElastic, "in [0, 100] pixels (0 = off)", "20");
        if (!(ElasticSigma >= 1f && ElasticSigma <= 10f)) throw BadInputException.For("elastic_sigma", ElasticSigma, "in [1, 10] pixels", "4");
        if (!(HiddenFlip >= 0f && HiddenFlip <= 0.5f)) throw BadInputException.For("hidden_flip", HiddenFlip, "in [0, 0.5]", "0.05");
        if (!(LookupSubstitution >= 0f && LookupSubstitution <= 1f)) throw BadInputException.For("lookup_substitution", LookupSubstitution, "in [0, 1]", "0.5");
        if (!(PatchNoise >= 0f && PatchNoise <= 0.5f)) throw BadInputException.For("patch_noise", PatchNoise, "in [0, 0.5]", "0.05");
        if (!(DistillWeight >= 0f && DistillWeight <= 1f)) throw BadInputException.For("distill_weight", DistillWeight, "in [0, 1]", "0.7");
        if (!(WeightAverage >= 0f && WeightAverage <= 0.99999f)) throw BadInputException.For("weight_average", WeightAverage, "in [0, 0.99999] (0 = off)", "0.999");
        if (!Enum.IsDefined(Reward)) throw BadInputException.For("reward", (int)Reward, "0 (correct) or 1 (probability)", "0");
        if (!Enum.IsDefined(HiddenGradient)) throw BadInputException.For("hidden_gradient", (int)HiddenGradient, "0 (box), 1 (triangle) or 2 (stochastic)", "0");
        if (Blocks < 1 || Blocks > BatchSize) throw BadInputException.For("blocks", Blocks, $"between 1 and the batch size {BatchSize}", "4");
        return this;
    }
}

/// <summary>The REINFORCE reward R of an episode.</summary>
internal enum PolicyReward
{
    /// <summary>1 when the class is right, 0 when wrong (the paper's).</summary>
    Correct,
    /// <summary>The classifier's probability of the right class: graded, so the policy also learns from images it already gets right.</summary>
    Probability,
}

/// <summary>The straight-through derivative of a 1-bit hidden state h = [pre &gt; 0.5].</summary>
internal enum HiddenGradient
{
    /// <summary>1 for 0 &lt; pre &lt; 1, else 0 (clipped straight-through; the default).</summary>
    Box,
    /// <summary>2 - 4 |pre - 0.5| on the same window (Bi-Real Net's approximate sign: the same area, more weight near the threshold).</summary>
    Triangle,
    /// <summary>
    /// Stochastic binarisation in training: every bit that feeds a later glimpse is drawn as 1 with probability clip(pre, 0, 1)
    /// (its own seeded stream), whose mean the box derivative is exact for; evaluation keeps the threshold.
    /// </summary>
    Stochastic,
}

/// <summary>One epoch's record.</summary>
/// <param name="RawValidationAccuracy">With weight averaging on, the validation accuracy of Adam's raw weights (ValidationAccuracy is
/// the average's); otherwise the same as ValidationAccuracy.</param>
internal sealed record EpochRecord(int Epoch, double Loss, double TrainAccuracy, double ValidationAccuracy, double Seconds, float LearningRate,
    double RawValidationAccuracy);

internal sealed record TrainingResult(RamModel Model, IReadOnlyList<EpochRecord> Epochs, int BestEpoch, double ValidationAccuracy, double TrainSeconds);

/// <summary>
/// Trains a RAM with the hybrid loss and Adam on mini-batches, on both cores, deterministically from the
/// seed: the shuffle of epoch e comes from stream ("ram-shuffle", e), the policy noise of training sample
/// number n from stream ("ram-location-policy", n), and every batch is cut into a fixed number of blocks
/// whose gradients are summed in a fixed order. The model returned is the epoch with the best validation accuracy.
/// </summary>
internal sealed class RamTrainer
{
    private readonly RamModel _model;
    private readonly TrainingOptions _options;
    private readonly RamNetwork[] _networks;
    private readonly float[][] _gradients;
    private readonly RamTransposes _transposes;
    private readonly float[] _m, _v;
    private readonly float[]? _average;
    private double _averageWeightSum;
    private readonly Distillation? _distillation;
    private LookupSubstitution? _lookups;
    private long _updates;

    /// <param name="teacher">The teacher's soft targets for every training image (indexed like the images passed to
    /// <see cref="Step"/> and <see cref="Train"/>); required when <see cref="TrainingOptions.DistillWeight"/> &gt; 0.</param>
    public RamTrainer(RamModel model, TrainingOptions options, SoftTargets? teacher = null)
    {
        _model = model;
        _options = options.Validated();
        options.CheckFits(model.Config);
        if (options.DistillWeight > 0f && teacher is null)
            throw BadInputException.For("distill_weight", options.DistillWeight, "0 when no teacher is given", "0, or give a teacher model");
        if (teacher is not null && teacher.Classes != model.Config.Classes)
            throw new BadInputException($"the teacher has {teacher.Classes} classes; the model has {model.Config.Classes}. Use a teacher trained on the same data.");
        _distillation = teacher is not null && options.DistillWeight > 0f ? new Distillation(teacher, options.DistillWeight) : null;
        int blockRows = (options.BatchSize + options.Blocks - 1) / options.Blocks;
        _networks = new RamNetwork[options.Blocks];
        _gradients = new float[options.Blocks][];
        for (int b = 0; b < options.Blocks; b++)
        {
            _networks[b] = new RamNetwork(model.Config, blockRows) { TriangleGradient = options.HiddenGradient == HiddenGradient.Triangle };
            _gradients[b] = new float[model.Layout.Count];
        }
        _transposes = new RamTransposes(model.Layout);
        _m = new float[model.Layout.Count];
        _v = new float[model.Layout.Count];
        if (options.WeightAverage > 0f) _average = new float[model.Layout.Count];
    }

    /// <summary>
    /// The debiased moving average of the weights so far (a copy of the raw weights before the first step), or null when
    /// <see cref="TrainingOptions.WeightAverage"/> is off.
    /// </summary>
    public float[]? AveragedParameters()
    {
        if (_average is null) return null;
        if (_averageWeightSum <= 0) return (float[])_model.Parameters.Clone();
        var result = new float[_average.Length];
        TensorPrimitives.Multiply(_average, (float)(1.0 / _averageWeightSum), result);
        return result;
    }

    public RamModel Model => _model;

    /// <summary>
    /// One Adam update on the batch images[indices]; <paramref name="firstSampleIndex"/> numbers the batch's
    /// samples for the policy noise. Returns the mean hybrid-loss parts over the batch.
    /// </summary>
    public BlockLoss Step(MnistImages images, ReadOnlySpan<int> indices, long firstSampleIndex, float learningRate)
    {
        float[] w = _model.Parameters;
        _transposes.Update(w);
        int batch = indices.Length, blocks = _options.Blocks;
        int blockRows = (batch + blocks - 1) / blocks;
        float scale = 1f / batch;
        int[] order = indices.ToArray();
        var losses = new BlockLoss[blocks];
        Parallel.For(0, blocks, b =>
        {
            Array.Clear(_gradients[b]);
            int start = b * blockRows, rows = Math.Min(blockRows, batch - start);
            if (rows <= 0) { losses[b] = default; return; }
            ReadOnlySpan<int> block = order.AsSpan(start, rows);
            var network = _networks[b];
            network.Forward(w, images, block, new LocationPolicy(true, _options.Seed, firstSampleIndex + start, _options.AugmentShift, _options.HiddenFlip, _options.PatchNoise, _lookups,
                _options.AugmentRotate, _options.AugmentScale, ElasticAlpha: _options.AugmentElastic, ElasticSigma: _options.ElasticSigma,
                StochasticHidden: _options.HiddenGradient == HiddenGradient.Stochastic));
            losses[b] = network.Backward(w, _transposes, images, block, scale, _options.ReinforceWeight, _gradients[b], _distillation, _options.Reward == PolicyReward.Probability);
        });
        float[] gradient = _gradients[0];
        for (int b = 1; b < blocks; b++) TensorPrimitives.Add(gradient, _gradients[b], gradient);
        Adam(w, gradient, learningRate);
        if (_average is not null)
        {
            float d = _options.WeightAverage;
            // a = d a + (1 - d) w; the weight the average has given its terms so far is 1 - d^n, tracked exactly in double.
            TensorPrimitives.Multiply(_average, d, _average);
            TensorPrimitives.MultiplyAdd(w, 1f - d, _average, _average);
            _averageWeightSum = d * _averageWeightSum + (1.0 - d);
        }

        double crossEntropy = 0, baseline = 0; int correct = 0;
        foreach (var loss in losses) { crossEntropy += loss.CrossEntropy; baseline += loss.BaselineSquaredError; correct += loss.Correct; }
        return new BlockLoss(crossEntropy / batch, correct, baseline / batch, batch);
    }

    private void Adam(float[] w, float[] gradient, float learningRate)
    {
        const float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f;
        _updates++;
        float correction1 = 1f - MathF.Pow(beta1, _updates), correction2 = 1f - MathF.Pow(beta2, _updates);
        float step = learningRate * MathF.Sqrt(correction2) / correction1;
        for (int i = 0; i < w.Length; i++)
        {
            float g = gradient[i];
            float m = _m[i] = beta1 * _m[i] + (1f - beta1) * g;
            float v = _v[i] = beta2 * _v[i] + (1f - beta2) * g * g;
            w[i] -= step * m / (MathF.Sqrt(v) + epsilon);
        }
    }

    /// <summary>Full training: epochs over <paramref name="train"/>, validation accuracy after each, the best epoch kept.</summary>
    /// <param name="onNewBest">Called with a copy of the model whenever an epoch sets a new best validation accuracy (e.g. to checkpoint it).</param>
    public TrainingResult Train(MnistImages train, MnistImages validation, IProgress<ProgressUpdate>? progress,
        Action<RamModel, EpochRecord>? onNewBest = null, CancellationToken cancel = default)
    {
        if (_distillation is { } kd && kd.Targets.Count != train.Count)
            throw new BadInputException($"the teacher's soft targets cover {kd.Targets.Count} images; the training split has {train.Count}. Compute them on the same split.");
        var epochs = new List<EpochRecord>();
        var clock = Stopwatch.StartNew();
        int n = train.Count, batch = _options.BatchSize;
        int batches = (n + batch - 1) / batch;
        var order = new int[n];
        float learningRate = _options.LearningRate;
        float[] best = (float[])_model.Parameters.Clone();
        double bestAccuracy = -1; int bestEpoch = 0;
        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            var epochClock = Stopwatch.StartNew();
            if (_options.LookupSubstitution > 0f)
            {
                progress?.Report(new ProgressUpdate($"epoch {epoch}/{_options.Epochs}", 0, batches, "distilling the lookup tables"));
                _lookups = Ram.LookupSubstitution.FromSnapshot(_model, train, _options.LookupSubstitution, _options.Seed + (ulong)epoch);
            }
            for (int i = 0; i < n; i++) order[i] = i;
            new SeededRandom(_options.Seed, SeededRandom.StreamId("ram-shuffle"), (ulong)epoch).Shuffle<int>(order);
            double lossSum = 0; long correct = 0;
            for (int b = 0; b < batches; b++)
            {
                int start = b * batch, rows = Math.Min(batch, n - start);
                var loss = Step(train, order.AsSpan(start, rows), (long)(epoch - 1) * n + start, learningRate);
                lossSum += loss.CrossEntropy * rows; correct += loss.Correct;
                if (progress is not null && (b % 20 == 19 || b == batches - 1))
                    progress.Report(new ProgressUpdate($"epoch {epoch}/{_options.Epochs}", b + 1, batches,
                        $"loss {lossSum / (start + rows):F3}, train acc {100.0 * correct / (start + rows):F1}%"));
            }
            // A diverged run (too high a learning rate) stops here, before its weights can become the best model.
            int diverged = RamModel.NonFiniteWeights(_model.Parameters);
            if (diverged > 0)
                throw BadInputException.For("learning_rate", _options.LearningRate,
                    $"small enough that training stays finite (after epoch {epoch}, {diverged} of {_model.Parameters.Length} weights were NaN or infinite" +
                    (bestEpoch > 0 ? $"; the model of epoch {bestEpoch} was kept" : "") + ")", "0.002");
            double rawValidation = validation.Count > 0 ? _model.Evaluate(validation) : double.NaN;
            float[]? averaged = AveragedParameters();
            var candidate = averaged is null ? _model : new RamModel(_model.Config, averaged);
            double validationAccuracy = averaged is null ? rawValidation : validation.Count > 0 ? candidate.Evaluate(validation) : double.NaN;
            epochs.Add(new EpochRecord(epoch, lossSum / n, (double)correct / n, validationAccuracy, epochClock.Elapsed.TotalSeconds, learningRate, rawValidation));
            progress?.Report(new ProgressUpdate("validation", epoch, _options.Epochs,
                $"epoch {epoch}: loss {lossSum / n:F3}, train {100.0 * correct / n:F2}%, validation {100 * validationAccuracy:F2}%" +
                (averaged is null ? "" : $" (averaged weights; raw {100 * rawValidation:F2}%)")));
            if (validation.Count == 0 || validationAccuracy > bestAccuracy)
            {
                bestAccuracy = validationAccuracy; bestEpoch = epoch;
                candidate.Parameters.CopyTo(best, 0);
                onNewBest?.Invoke(new RamModel(_model.Config, (float[])best.Clone()), epochs[^1]);
            }
            learningRate *= _options.LearningRateDecay;
        }
        return new TrainingResult(new RamModel(_model.Config, best), epochs, bestEpoch, bestAccuracy, clock.Elapsed.TotalSeconds);
    }
}
