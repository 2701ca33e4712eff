using System.Globalization;
using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Mnist;
using Mbi.Tests;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Memorization;

/// <summary>
/// The measurement behind the fixed-point check's scale (docs/mbi/learned-gate/image-check, "fixed-point check, session
/// 14"): per seed, the check trained as `tune-mixed --seed S --split-seed 1` trains it (the 55,000 training images), then on
/// the 5,000 validation images (never test) its accuracy in float32, int8 per class and int8 per tensor, how often each
/// int8 argmax equals the float one, and the three gate features' largest difference from the float check's.
/// </summary>
[TestFixture, Explicit("a measurement of minutes: trains the check on MNIST"), Category("Measurement")]
public sealed class ImageCheckScaleStudy
{
    [TestCase(1UL)]
    [TestCase(2UL)]
    [TestCase(3UL)]
    public void Measure(ulong seed)
    {
        var (train, validation) = ValidationSplit.Load(TestAssets.Mnist(), ValidationSplit.DefaultImages, 1);
        var check = ImageCheck.Train(train, seed);
        int[] floats = check.Classify(validation);
        var line = new List<string> { $"seed {seed}: float32 {Accuracy(floats, validation):P2}" };
        foreach (var scale in new[] { ImageCheckScale.PerClass, ImageCheckScale.PerTensor })
        {
            var q = check.Quantize(scale);
            int[] ints = q.Classify(validation);
            double agree = ints.Where((c, i) => c == floats[i]).Count() / (double)ints.Length;
            double worst = 0, sum = 0;
            var f = new double[3];
            var g = new double[3];
            for (int i = 0; i < validation.Count; i++)
            {
                check.Features(validation.Image(i), validation.Labels[i], f);
                q.Features(validation.Image(i), validation.Labels[i], g);
                double d = Math.Max(Math.Abs(f[0] - g[0]), Math.Abs(f[2] - g[2]));
                worst = Math.Max(worst, d);
                sum += d;
            }
            line.Add(string.Format(CultureInfo.InvariantCulture, "{0}: {1:P2}, argmax = float's on {2:P2}, feature |diff| mean {3:G3} max {4:G3}, {5} bytes",
                scale, Accuracy(ints, validation), agree, sum / validation.Count, worst, q.StorageBytes));
            Assert.That(Accuracy(ints, validation), Is.GreaterThan(0.8), "a working int8 check");
        }
        TestContext.Out.WriteLine(string.Join("; ", line));
    }

    private static double Accuracy(int[] classes, MnistImages images) =>
        classes.Where((c, i) => c == images.Labels[i]).Count() / (double)images.Count;
}
