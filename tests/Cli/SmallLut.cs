using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Ram;
using Mbi.Tests;

namespace Mbi.Cli.Tests;

/// <summary>
/// A 4,000-row table of the shipped model from 1,500 real training images, distilled once per test run (the first fixture
/// that asks) for the CLI tests that run lookups on real MNIST; <see cref="Delete"/> in a fixture's teardown removes it.
/// </summary>
internal static class SmallLut
{
    private static readonly object Gate = new();
    private static string? s_lut;

    /// <summary>The MNIST folder (the test is skipped without it) and the table's path.</summary>
    public static (string Mnist, string Lut) Get()
    {
        string mnist = TestAssets.Mnist();
        lock (Gate)
        {
            if (s_lut is null)
            {
                var step = QuantizedRamStepModel.Load(TestAssets.ShippedModel());
                string lut = Path.Combine(Directory.CreateTempSubdirectory("mbi-small-lut-").FullName, "t.lut");
                LutFile.Write(lut, Distiller.Distill(step, TestAssets.RealMnist().Train.Take(1500), 4000, 1, "ram-mbi.ram").Table);
                s_lut = lut;
            }
            return (mnist, s_lut);
        }
    }

    /// <summary>Removes the table (the next <see cref="Get"/> distils it again).</summary>
    public static void Delete()
    {
        lock (Gate)
        {
            if (s_lut is not null) Directory.Delete(Path.GetDirectoryName(s_lut)!, recursive: true);
            s_lut = null;
        }
    }
}
