namespace Mbi.Algorithm.Memorization.Keys;

/// <summary>
/// A run of whole 64-bit words of a packed key whose set bits all count the same: component
/// <see cref="Component"/>, bit weight <see cref="BitWeight"/> (1 for thermometer codes, 2^j for bit j of
/// a binary code). The distance is sum over segments of weight(component) x BitWeight x popcount(q XOR k).
/// </summary>
public readonly record struct KeySegment(KeyComponent Component, int BitWeight, int WordOffset, int WordCount, int Bits);
