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
    /// What a 10T-SRAM array with binary-coded elements computes: for every element, the sum over its
    /// bits j of 2^j when the bits differ. Equal to Manhattan only when the codes nest (1-bit elements).
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
