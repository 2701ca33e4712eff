using Mbi.Algorithm.Ram;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Ram;

[TestFixture]
public sealed class RamFlopsTests
{
    [Test]
    public void When_TinyConfigurationIsCounted_Expect_HandCountedWork()
    {
        // patch 2x2x1 = 4, h_g 3, h_l 2, g 5, hidden 6, 2 glimpses, 10 classes.
        var c = new RamConfig { PatchSize = 2, Scales = 1, Glimpses = 2, GlimpseHidden = 3, LocationHidden = 2, GlimpseFeatures = 5, Hidden = 6 };
        // per step: 4*3 + 2*2 + (3+2)*5 + 6*6 + 5*6 = 12 + 4 + 25 + 36 + 30 = 107; heads once: 3*6 = 18; classifier 60.
        Assert.That(RamFlops.ForwardMacs(c), Is.EqualTo(2 * 107 + 18 + 60));
        // input gradients skip W1, W2 (16 per step) and the detached heads: 292 - 32 - 18 = 242.
        Assert.That(RamFlops.TrainingFlopsPerImage(c), Is.EqualTo(2 * (2 * 292 + 242)));
    }
}
