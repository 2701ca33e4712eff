namespace Mbi.Algorithm.Memorization.Keys;

/// <summary>How the distance between two keys is counted.</summary>
public enum KeyMetric
{
    /// <summary>
    /// The paper's Eq. 1: Manhattan distance per component (patch levels, hidden bits, location grid
    /// indices). Stored as thermometer codes, so |a - b| is a popcount of XORs.
    /// </summary>
    Manhattan = 0,

    /// <summary>
    /// What the 10T-SRAM arrays with binary-coded elements compute: for every patch element, the sum over its
    /// bits j of 2^j when the bits differ (equal to Manhattan only when the codes nest, 1-bit elements); Hamming on
    /// the hidden bits; and Manhattan on the location's grid indices, which the arrays always store in thermometer
    /// columns (binary indices would need precharge levels the circuit does not settle), so the location is
    /// thermometer coded here too.
    /// </summary>
    BitWeightedHamming = 1,
}

/// <summary>The three key components; the paper weighs them by a (patch), b (hidden), c (location).</summary>
public enum KeyComponent
{
    /// <summary>The quantized glimpse patch (weight a).</summary>
    Patch = 0,
    /// <summary>The binary hidden state (weight b).</summary>
    Hidden = 1,
    /// <summary>The quantized glimpse location (weight c).</summary>
    Location = 2,
}
