namespace Mbi.Algorithm.Memorization.Keys;

/// <summary>
/// A run of whole 64-bit words of a packed key whose set bits all count the same: component
/// <see cref="Component"/>, bit weight <see cref="BitWeight"/>. Both current layouts use weight 1 (the
/// bit-weighted Hamming patch code repeats bit j 2^j times instead, which scans faster than one segment per bit plane;
/// the location is a thermometer code in both layouts, as the arrays store it); the field lets a layout weigh a plane
/// without repeating it. The distance is sum over segments of
/// weight(component) x BitWeight x popcount(q XOR k).
/// </summary>
internal readonly record struct KeySegment(KeyComponent Component, int BitWeight, int WordOffset, int WordCount, int Bits);
