using System.Text;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Core.Errors;
using Mbi.Core.IO;

namespace Mbi.Algorithm.Memorization;

/// <summary>
/// The .lut file: a <see cref="ChecksummedFile"/> (magic "MBILUTAB", version, length, SHA-256) whose
/// payload, little-endian, is: the GlimpseKeySpec (9 x i32; version 2 adds a 10th, the first patch's pooling; version 3 an 11th, the coarse patches' gain), metric (i32), weights a, b, c (3 x f64),
/// rows (i32), initial location (2 x i32), provenance (length-prefixed UTF-8), then one bit stream:
/// the initial hidden bits, every key bit-packed (patch levels at PatchBits each, hidden bits, x and y at
/// ceil(log2 LocationLevels) each), then every value (next hidden bits, next x, next y, class).
/// The whole file is read in one call and checked before use.
/// </summary>
public static class LutFile
{
    /// <summary>The file's 8-byte magic.</summary>
    public const string Magic = "MBILUTAB";
    /// <summary>
    /// The newest format version this Mbi writes and reads: 3 for a key spec with a coarse gain, else 2 with a patch pool, else 1
    /// (the bytes of every earlier Mbi).
    /// </summary>
    public const uint Version = 3;
    private const string What = "MBI lookup table";
    private const string HowToMake = "Make one with `./mbi distill --model models/ram-mbi.ram --out FILE.lut`.";

    /// <summary>Writes <paramref name="lut"/> as a checksummed .lut file (temporary name, then rename).</summary>
    public static void Write(string path, LookupTable lut)
    {
        var spec = lut.Spec;
        uint version = spec.CoarseGain != 1 ? Version : spec.PatchPool != 1 ? 2u : 1u;
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            foreach (int v in (int[])[spec.PatchSize, spec.Scales, spec.ScaleFactor, spec.PatchBits, spec.HiddenBits,
                         spec.LocationLevels, spec.Glimpses, spec.ImageSize, spec.Classes])
                w.Write(v);
            if (version >= 2) w.Write(spec.PatchPool);
            if (version >= 3) w.Write(spec.CoarseGain);
            w.Write((int)lut.Metric);
            w.Write(lut.Weights.Patch);
            w.Write(lut.Weights.Hidden);
            w.Write(lut.Weights.Location);
            w.Write(lut.Rows);
            w.Write(lut.InitialX);
            w.Write(lut.InitialY);
            w.Write(lut.Provenance);
            var bits = new BitPacker();
            foreach (byte b in lut.InitialHidden) bits.Put(b, 1);
            int locationBits = KeyLayout.BitsFor(spec.LocationLevels);
            for (int r = 0; r < lut.Rows; r++) PutKey(bits, lut.KeyOf(r), spec, locationBits);
            for (int r = 0; r < lut.Rows; r++)
            {
                foreach (byte b in lut.NextHiddenOf(r)) bits.Put(b, 1);
                bits.Put(lut.NextXOf(r), locationBits);
                bits.Put(lut.NextYOf(r), locationBits);
                bits.Put(lut.ClassOf(r), lut.ClassBits);
            }
            w.Write(bits.ToArray());
        }
        ChecksummedFile.Write(path, Magic, version, stream.ToArray());
    }

    /// <summary>Reads and checks a .lut file (magic, version, checksum, consistency); a bad file says what is wrong and how to make one.</summary>
    public static LookupTable Read(string path)
    {
        byte[] payload = ChecksummedFile.Read(path, Magic, 1, Version, What, HowToMake, out uint version);
        try
        {
            using var r = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
            var spec = new GlimpseKeySpec(r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32(),
                r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), version >= 2 ? r.ReadInt32() : 1, version >= 3 ? r.ReadInt32() : 1);
            int metricCode = r.ReadInt32();
            if (!Enum.IsDefined(typeof(KeyMetric), metricCode)) throw Bad(path, $"unknown distance metric code {metricCode}");
            var weights = new DistanceWeights(r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
            int rows = r.ReadInt32();
            int x0 = r.ReadInt32(), y0 = r.ReadInt32();
            string provenance = r.ReadString();
            if (rows < 1 || rows > 1 << 28) throw Bad(path, $"row count {rows} is out of range");
            var layout = new KeyLayout(spec, (KeyMetric)metricCode);
            int e = layout.ElementsPerKey, h = spec.HiddenBits, locationBits = layout.LocationBits;
            int classBits = KeyLayout.BitsFor(spec.Classes);
            long totalBits = h + (long)rows * (layout.StoredKeyBits + h + 2 * locationBits + classBits);
            long expected = (totalBits + 7) / 8;
            long remaining = payload.Length - r.BaseStream.Position;
            if (remaining != expected) throw Bad(path, $"{remaining} bytes of keys and values, {expected} expected for {rows} rows");
            var bits = new BitUnpacker(r.ReadBytes((int)remaining));
            var initial = new byte[h];
            for (int i = 0; i < h; i++) initial[i] = (byte)bits.Get(1);
            var keys = new byte[(long)rows * e];
            for (int row = 0; row < rows; row++) GetKey(bits, keys.AsSpan(row * e, e), spec, locationBits);
            var hidden = new byte[(long)rows * h];
            var location = new byte[2 * rows];
            var classes = new byte[rows];
            for (int row = 0; row < rows; row++)
            {
                for (int i = 0; i < h; i++) hidden[row * h + i] = (byte)bits.Get(1);
                location[2 * row] = (byte)bits.Get(locationBits);
                location[2 * row + 1] = (byte)bits.Get(locationBits);
                classes[row] = (byte)bits.Get(classBits);
            }
            var lut = new LookupTable(spec, rows, keys, hidden, location, classes, initial, x0, y0, weights, (KeyMetric)metricCode, provenance);
            return lut;
        }
        catch (EndOfStreamException)
        {
            throw Bad(path, "the payload ends before its header fields do");
        }
        catch (BadInputException e)
        {
            throw Bad(path, e.Message.TrimEnd('.'));
        }
    }

    private static void PutKey(BitPacker bits, ReadOnlySpan<byte> key, GlimpseKeySpec spec, int locationBits)
    {
        int p = spec.PatchElements;
        for (int i = 0; i < p; i++) bits.Put(key[i], spec.PatchBits);
        for (int i = p; i < p + spec.HiddenBits; i++) bits.Put(key[i], 1);
        bits.Put(key[^2], locationBits);
        bits.Put(key[^1], locationBits);
    }

    private static void GetKey(BitUnpacker bits, Span<byte> key, GlimpseKeySpec spec, int locationBits)
    {
        int p = spec.PatchElements;
        for (int i = 0; i < p; i++) key[i] = (byte)bits.Get(spec.PatchBits);
        for (int i = p; i < p + spec.HiddenBits; i++) key[i] = (byte)bits.Get(1);
        key[^2] = (byte)bits.Get(locationBits);
        key[^1] = (byte)bits.Get(locationBits);
    }

    private static FileFormatException Bad(string path, string problem) => new(path, problem, HowToMake);

    private sealed class BitPacker
    {
        private readonly List<byte> _bytes = [];
        private int _used = 8;

        public void Put(int value, int bits)
        {
            for (int j = 0; j < bits; j++)
            {
                if (_used == 8) { _bytes.Add(0); _used = 0; }
                if (((value >> j) & 1) != 0) _bytes[^1] |= (byte)(1 << _used);
                _used++;
            }
        }

        public byte[] ToArray() => [.. _bytes];
    }

    private sealed class BitUnpacker(byte[] bytes)
    {
        private long _bit;

        public int Get(int bits)
        {
            int value = 0;
            for (int j = 0; j < bits; j++, _bit++)
                if (((bytes[_bit >> 3] >> (int)(_bit & 7)) & 1) != 0) value |= 1 << j;
            return value;
        }
    }
}
