using Mbi.Algorithm.Ram;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Ram;

[TestFixture]
public sealed class RamSoupTests
{
    private static readonly RamConfig Small = RamConfig.Mbi with { GlimpseHidden = 16, LocationHidden = 8, GlimpseFeatures = 16, Hidden = 8 };

    [Test]
    public void When_ThreeModelsAveraged_Expect_EveryWeightTheirMeanAndTheConfigurationKept()
    {
        RamModel[] models = [RamModel.Initialize(Small, 1), RamModel.Initialize(Small, 2), RamModel.Initialize(Small, 3)];
        var soup = RamSoup.Uniform(models);
        Assert.That(soup.Config, Is.EqualTo(Small));
        for (int i = 0; i < soup.Parameters.Length; i += 97)
            Assert.That(soup.Parameters[i], Is.EqualTo((float)(((double)models[0].Parameters[i] + models[1].Parameters[i] + models[2].Parameters[i]) / 3)));
        Assert.That(RamSoup.Uniform([models[0]]).Parameters, Is.EqualTo(models[0].Parameters), "a soup of one is that model");
        Assert.That(RamSoup.Uniform(models).ToBytes(), Is.EqualTo(soup.ToBytes()), "same ingredients, same bytes");
    }

    [Test]
    public void When_ConfigurationsDiffer_Expect_RefusedNamingBothAndTheFix()
    {
        RamModel[] models = [RamModel.Initialize(Small, 1), RamModel.Initialize(Small with { GlimpseHidden = 32 }, 2)];
        var e = Assert.Throws<BadInputException>(() => RamSoup.Uniform(models, ["a.ram", "b.ram"]));
        Assert.That(e!.Message, Does.StartWith("b.ram").And.Contain("a.ram").And.Contain("--init"));
        Assert.Throws<BadInputException>(() => RamSoup.Uniform([]));
    }

    [Test]
    public void When_GreedySoup_Expect_IngredientsTriedBestFirstAndKeptOnlyIfValidationDoesNotFall()
    {
        var images = RamGradientTests.Synthetic(60, 28, 4);
        RamModel[] models = [RamModel.Initialize(Small, 1), RamModel.Initialize(Small, 2), RamModel.Initialize(Small, 3), RamModel.Initialize(Small, 4)];
        double[] own = [.. models.Select(m => m.Evaluate(images))];
        var (soup, steps, kept) = RamSoup.Greedy(models, images);
        Assert.That(steps.Select(s => s.Ingredient), Is.EqualTo(Enumerable.Range(0, 4).OrderByDescending(m => own[m]).ThenBy(m => m)));
        Assert.That(steps[0].Kept, Is.True);
        double best = steps[0].SoupAccuracy;
        var soFar = new List<int> { steps[0].Ingredient };
        foreach (var step in steps.Skip(1))
        {
            double trial = RamSoup.Uniform([.. soFar.Append(step.Ingredient).Select(i => models[i])]).Evaluate(images);
            Assert.That(step.SoupAccuracy, Is.EqualTo(trial));
            Assert.That(step.Kept, Is.EqualTo(trial >= best));
            if (step.Kept) { soFar.Add(step.Ingredient); best = trial; }
        }
        Assert.That(kept, Is.EqualTo(soFar));
        Assert.That(soup.Evaluate(images), Is.EqualTo(best));
    }
}
