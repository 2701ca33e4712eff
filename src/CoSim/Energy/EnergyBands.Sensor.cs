namespace Mbi.CoSim.Energy;

/// <summary>The glimpse sensor's band (<see cref="GlimpseSensorCost"/>): the bands' other concern, kept beside them.</summary>
internal static partial class EnergyBandCalculator
{
    /// <summary>The sensor's energy per image: <paramref name="glimpses"/> x one glimpse's work at the clock network factor
    /// <paramref name="clock"/> and the pixel reads at <paramref name="readJoulesPerBit"/>.</summary>
    internal static double SensorJoules(GlimpseSensorCost sensor, double glimpses, LogicEnergyModel logic, double clock, double readJoulesPerBit) =>
        glimpses * (logic with { ClockNetworkFactor = clock }).GlimpseSensorPerGlimpseJoules(sensor.Pixels, sensor.Elements, sensor.ComparesPerElement,
            sensor.AccumulatorBits, sensor.CodeBits, GlimpseSensorCost.PixelBits, readJoulesPerBit);

    /// <summary>
    /// The glimpse sensor per inference, banded as the image check is (the same sources): min with the clock network at its
    /// low share and the pixel reads at the value read's low-wire energy per bit, max at the high share and high wire. A
    /// per-operation model with no line simulated, so no C V^2 floor is asserted (as for the other logic bands).
    /// </summary>
    private static ComponentBand SensorBand(GlimpseSensorCost sensor, double glimpses, BandMeasurements m, LogicEnergyModel logic,
        (double Factor, string Text) clockLow, double clockTypical, (double Factor, string Text) clockHigh)
    {
        double PerBit(double rowJoules) => rowJoules / m.ValueReadColumns;
        double typicalBit = PerBit(m.ValueReadTypicalJoules);
        double low = SensorJoules(sensor, glimpses, logic, clockLow.Factor, PerBit(Math.Min(m.ValueReadLowJoules, m.ValueReadTypicalJoules)));
        double typical = SensorJoules(sensor, glimpses, logic, clockTypical, typicalBit);
        double high = SensorJoules(sensor, glimpses, logic, clockHigh.Factor, PerBit(Math.Max(m.ValueReadHighJoules, m.ValueReadTypicalJoules)));
        string typicalText = I($"per-op model, {glimpses:0.##} glimpses (one per lookup, every pass run) x ({sensor.Pixels:N0} pixels: each {GlimpseSensorCost.PixelBits}-bit pixel read ") +
            I($"at the value store's {typicalBit * 1e15:0.##} fJ/bit (ngspice 6T read / {m.ValueReadColumns} bits), one {sensor.AccumulatorBits}-bit add (Horowitz 2014) into its element ") +
            I($"and the {sensor.AccumulatorBits}-bit accumulator clocked (Aladdin); {sensor.Elements} elements: {sensor.ComparesPerElement} threshold compares each (as {sensor.AccumulatorBits}-bit adds) ") +
            I($"and a {sensor.CodeBits}-bit code latched); clock network {clockTypical:0.##} x registers");
        return new ComponentBand("glimpse sensor", "sensor", low, typical, high,
            clockLow.Text + I($", value read wire x{m.WireLowFactor:0.##}"), typicalText, clockHigh.Text + I($", value read wire x{m.WireHighFactor:0.##}"),
            0, "per-operation model, no line simulated; floor not asserted").Validated();
    }
}
