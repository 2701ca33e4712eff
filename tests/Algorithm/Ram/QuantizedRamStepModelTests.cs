using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Ram;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Ram;

[TestFixture]
public sealed class QuantizedRamStepModelTests
{
    /// <summary>An MBI model whose location head is strong enough that glimpses wander over the grid.</summary>
    private static RamModel Wandering(RamConfig? config = null)
    {
        var model = RamModel.Initialize(config ?? RamConfig.Mbi, 17);
        foreach (ref float w in model.Layout.WL.Of(model.Parameters)) w *= 40f;
        return model;
    }

    /// <summary>
    /// Also with a classifier hidden layer on the last hidden state, and on the last step's pre-activation (the class the table
    /// stores), and with a pooled first patch (the sensor MBI builds from the key spec reads what the network read).
    /// </summary>
    [TestCase(0, 0, 1, 1)] [TestCase(16, 0, 1, 1)] [TestCase(16, 1, 1, 1)] [TestCase(0, 1, 1, 1)] [TestCase(16, 1, 2, 1)] [TestCase(16, 1, 2, 2)]
    public void When_StepsAreChainedFromInitialState_Expect_ExactlyTheBatchForward(int headHidden, int headInput, int patchPool, int coarseGain)
    {
        var model = Wandering(RamConfig.Mbi with { HeadHidden = headHidden, HeadInput = (HeadInput)headInput, PatchPool = patchPool, CoarseGain = coarseGain });
        Assert.That(new QuantizedRamStepModel(model).Spec.PatchPool, Is.EqualTo(patchPool));
        Assert.That(new QuantizedRamStepModel(model).Spec.CoarseGain, Is.EqualTo(coarseGain));
        var stepModel = new QuantizedRamStepModel(model);
        var images = RamGradientTests.Synthetic(24, 28, 5);
        int[] indices = Enumerable.Range(0, images.Count).ToArray();
        var network = new RamNetwork(model.Config, images.Count);
        network.Forward(model.Parameters, images, indices, LocationPolicy.Mean);

        var spec = stepModel.Spec;
        var patch = new byte[spec.PatchElements];
        var hidden = new byte[spec.HiddenBits];
        var next = new byte[spec.HiddenBits];
        var grid = new LocationGrid(spec.LocationLevels);
        var visited = new HashSet<(int, int)>();
        for (int i = 0; i < images.Count; i++)
        {
            stepModel.InitialState(hidden, out int x, out int y);
            int stepClass = -1;
            for (int t = 0; t < spec.Glimpses; t++)
            {
                ReadOnlySpan<float> batchLocation = network.Locations(t, images.Count);
                Assert.That((grid.Value(x), grid.Value(y)), Is.EqualTo((batchLocation[2 * i], batchLocation[2 * i + 1])), $"image {i} step {t} location");
                visited.Add((x, y));
                stepModel.Sensor.Sense(images.Image(i), x, y, patch);
                stepModel.Step(patch, hidden, x, y, next, out x, out y, out stepClass);
                ReadOnlySpan<float> batchHidden = network.Hidden(t, images.Count).Slice(i * spec.HiddenBits, spec.HiddenBits);
                for (int k = 0; k < spec.HiddenBits; k++)
                    Assert.That(next[k], Is.EqualTo((byte)batchHidden[k]), $"image {i} step {t} hidden bit {k}");
                next.CopyTo(hidden, 0);
            }
            Assert.That(stepClass, Is.EqualTo(network.Predictions[i]), $"image {i} class");
        }
        Assert.That(visited.Count, Is.GreaterThan(3), "the check must cover more than the centre location");
    }

    [Test]
    public void When_InitialStateIsAsked_Expect_ZeroHiddenAndCentre()
    {
        IGlimpseStepModel model = new QuantizedRamStepModel(RamModel.Initialize(RamConfig.Mbi, 1));
        var hidden = Enumerable.Repeat((byte)1, model.Spec.HiddenBits).ToArray();
        model.InitialState(hidden, out int x, out int y);
        Assert.That(hidden.All(b => b == 0), Is.True);
        Assert.That((x, y), Is.EqualTo((7, 7)), "the middle of a 15-point grid");
    }

    [Test]
    public void When_PatchLevelIsOutOfRange_Expect_Exception()
    {
        var model = new QuantizedRamStepModel(RamModel.Initialize(RamConfig.Mbi, 1));
        var patch = new byte[model.Spec.PatchElements];
        patch[3] = 4;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            model.Step(patch, new byte[64], 7, 7, new byte[64], out _, out _, out _));
        Assert.That(e!.Message, Does.Contain("patch level 4"));
    }
}
