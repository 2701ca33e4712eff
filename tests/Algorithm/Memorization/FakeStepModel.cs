using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Ram;

namespace Mbi.Algorithm.Tests.Memorization;

/// <summary>
/// A deterministic stand-in for the trained RAM: a fixed mixing of patch, hidden bits and location, so
/// distillation and lookup-only inference can be tested without training. Counts its calls, so a test can
/// prove lookup-only inference never evaluates it.
/// </summary>
internal sealed class FakeStepModel(GlimpseKeySpec spec) : IGlimpseStepModel
{
    public GlimpseKeySpec Spec { get; } = spec;
    public IQuantizedSensor Sensor { get; } = new QuantizedGlimpseSensor(spec);
    public int Calls { get; private set; }

    public void InitialState(Span<byte> hiddenBits, out int locationX, out int locationY)
    {
        Calls++;
        hiddenBits.Clear();
        locationX = locationY = Spec.LocationLevels / 2;
    }

    public void Step(ReadOnlySpan<byte> patchLevels, ReadOnlySpan<byte> hiddenBits, int locationX, int locationY,
        Span<byte> nextHiddenBits, out int nextLocationX, out int nextLocationY, out int stepClass)
    {
        Calls++;
        int p = patchLevels.Length, h = hiddenBits.Length, sum = 0;
        for (int i = 0; i < h; i++)
        {
            int v = patchLevels[i % p] + patchLevels[(3 * i + 1) % p] + hiddenBits[(i + 1) % h] + (i % 3 == 0 ? locationX : 0);
            nextHiddenBits[i] = (byte)(v > 2 ? 1 : 0);
        }
        for (int i = 0; i < p; i++) sum += patchLevels[i];
        nextLocationX = (locationX + sum) % Spec.LocationLevels;
        nextLocationY = (locationY + sum / 3 + 1) % Spec.LocationLevels;
        // The class of the next hidden state, as the paper's classifier gives it.
        int ones = 0;
        foreach (byte b in nextHiddenBits[..h]) ones += b;
        stepClass = ones % Spec.Classes;
    }
}
