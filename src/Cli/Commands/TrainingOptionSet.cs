using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;

namespace Mbi.Cli.Commands;
/// <summary>The options that describe how to train, shared with `mbi sweep-ram`.</summary>
internal sealed class TrainingOptionSet(int defaultEpochs, int defaultTrainLimit = 0)
{
    public Option<int> Epochs { get; } = CommonOptions.Count("--epochs", "Passes over the training split", defaultEpochs, 1, 10_000);
    public Option<int> Batch { get; } = CommonOptions.Count("--batch", "Mini-batch size", 64, 4, 4096);
    public Option<float> LearningRate { get; } = CommonOptions.Single("--lr", "Adam's learning rate, in (0, 1)", 0.002f);
    public Option<float> Decay { get; } = CommonOptions.Single("--lr-decay", "Learning-rate factor after every epoch, in (0, 1]", 0.9f);
    public Option<float> ReinforceWeight { get; } = CommonOptions.Single("--reinforce-weight", "Weight of the REINFORCE term in the hybrid loss, >= 0", 1f);
    public Option<PolicyReward> Reward { get; } = OptionParsing.Choice("--reward",
        "The REINFORCE reward: 'correct' (1 for the right class, 0 otherwise; the paper's) or 'probability' (the classifier's probability of the right class, graded) (default correct).",
        PolicyReward.Correct);
    public Option<HiddenGradient> HiddenGradient { get; } = OptionParsing.Choice("--hidden-gradient",
        "How a 1-bit hidden state is trained: 'box' (threshold at 0.5, straight-through derivative 1 for 0 < pre < 1; the default), 'triangle' (the same threshold, derivative 2 - 4|pre - 0.5| on the same window, Bi-Real Net's approximate sign) or 'stochastic' (each bit that feeds a later glimpse drawn as 1 with probability clip(pre, 0, 1), box derivative). Training only: evaluation and the model file keep the threshold.",
        Algorithm.Ram.HiddenGradient.Box);
    public Option<int> Validation { get; } = CommonOptions.Validation();
    public Option<int> TrainLimit { get; } = CommonOptions.Count("--train-limit", "Use only this many training images (0 = all)", defaultTrainLimit, 0, 60_000);
    public Option<int> AugmentShift { get; } = CommonOptions.Count("--augment-shift", "Translate each training image by a random 0..N pixels per axis (0 = no augmentation)", 0, 0, 8);
    public Option<float> AugmentRotate { get; } = CommonOptions.Single("--augment-rotate", "Rotate each training image by a random angle of up to this many degrees either way, in [0, 45] (0 = no rotation)", 0f, 0, 45);
    public Option<float> AugmentScale { get; } = CommonOptions.Single("--augment-scale", "Scale each training image about its centre by a random factor in [1 - s, 1 + s], s in [0, 0.5] (0 = no scaling)", 0f, 0, 0.5);

    public Option<float> AugmentElastic { get; } = CommonOptions.Single("--augment-elastic", "Distort each training image elastically (Simard et al. 2003): a random displacement field, smoothed by a Gaussian of --elastic-sigma pixels, times this strength alpha in pixels, in [0, 100] (0 = off; e.g. 20)", 0f, 0, 100);
    public Option<float> ElasticSigma { get; } = CommonOptions.Single("--elastic-sigma", "Smoothness of the elastic distortion's field: the Gaussian's sigma in pixels, in [1, 10]", 4f, 1, 10);

    public Option<float> HiddenFlip { get; } = CommonOptions.Single("--hidden-flip", "Training noise: flip each bit of a 1-bit hidden state that feeds a later glimpse with this probability, in [0, 0.5] (0 = off)", 0f, 0, 0.5);

    public Option<float> PatchNoise { get; } = CommonOptions.Single("--patch-noise", "Training noise: move each quantized patch element of every glimpse one level up or down with this probability, in [0, 0.5] (0 = off)", 0f, 0, 0.5);

    public Option<float> LookupSubstitution { get; } = CommonOptions.Single("--lookup-substitution", "The lookup chain in the loop: with this probability a glimpse goes by a lookup as in MBI (the nearest stored key's next hidden state is handed on; at the last glimpse the network runs on that key's inputs; exact search, the array's metric, tables distilled each epoch from the other half of the training images), in [0, 1] (0 = off)", 0f, 0, 1);

    public Option<float> WeightAverage { get; } = CommonOptions.Single("--weight-average", "Keep an exponential moving average of the weights with this decay per step (Polyak averaging; e.g. 0.999), validate it after every epoch and keep the best epoch's average as the model, in [0, 0.99999] (0 = off)", 0f, 0, 0.99999);

    public IEnumerable<Option> All => [Epochs, Batch, LearningRate, Decay, ReinforceWeight, Reward, HiddenGradient, Validation, TrainLimit, AugmentShift, AugmentRotate, AugmentScale, AugmentElastic, ElasticSigma, HiddenFlip, PatchNoise, LookupSubstitution, WeightAverage];

    public TrainingOptions Read(ParseResult parse, ulong seed)
    {
        if (parse.GetResult(ElasticSigma) is { Implicit: false } && parse.GetValue(AugmentElastic) == 0f)
            throw Mbi.Core.Errors.BadInputException.For("--elastic-sigma", parse.GetValue(ElasticSigma), "left out unless --augment-elastic is above 0 (it shapes that distortion only)", "--augment-elastic 12 --elastic-sigma 4");
        return new TrainingOptions
    {
        Epochs = parse.GetValue(Epochs), BatchSize = parse.GetValue(Batch), LearningRate = parse.GetValue(LearningRate),
        LearningRateDecay = parse.GetValue(Decay), ReinforceWeight = parse.GetValue(ReinforceWeight), Seed = seed,
        AugmentShift = parse.GetValue(AugmentShift), AugmentRotate = parse.GetValue(AugmentRotate), AugmentScale = parse.GetValue(AugmentScale),
        AugmentElastic = parse.GetValue(AugmentElastic), ElasticSigma = parse.GetValue(ElasticSigma),
        HiddenFlip = parse.GetValue(HiddenFlip),
        PatchNoise = parse.GetValue(PatchNoise), LookupSubstitution = parse.GetValue(LookupSubstitution),
        WeightAverage = parse.GetValue(WeightAverage),
        Reward = parse.GetValue(Reward), HiddenGradient = parse.GetValue(HiddenGradient),
    }.Validated();
    }

    public (MnistImages Train, MnistImages Validation) Split(MnistDataset data, ParseResult parse, ulong seed)
    {
        var (train, validation) = data.Train.SplitValidation(parse.GetValue(Validation), seed);
        int limit = parse.GetValue(TrainLimit);
        return (limit > 0 && limit < train.Count ? train.Take(limit) : train, validation);
    }
}
