using System.Buffers.Binary;
using System.IO.Compression;
using Mbi.Core.Errors;

namespace Mbi.Algorithm.Mnist;

/// <summary>
/// Reads the IDX files MNIST ships in (gzip-compressed or raw): a 4-byte magic (0x00000803 for
/// unsigned-byte images, 0x00000801 for labels), big-endian dimensions, then the bytes. Every size is
/// checked, so a truncated, padded or foreign file is refused with a message naming the file and the fix.
/// </summary>
internal static class IdxReader
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;
    private const string Fix = "Fetch MNIST again with `mbi data download`, or point --mnist / MBI_MNIST at a folder holding the four original .gz files.";

    /// <summary>Reads an image file; returns the pixel bytes (count x rows x columns, row-major).</summary>
    public static byte[] ReadImages(string path, int expectedCount, out int rows, out int columns)
    {
        byte[] raw = Decompress(path);
        int count = Header(path, raw, ImagesMagic, dimensions: 3, expectedCount);
        rows = BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(8));
        columns = BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(12));
        if (rows <= 0 || columns <= 0 || rows > 4096 || columns > 4096)
            throw new FileFormatException(path, $"image size {rows}x{columns} is not plausible", Fix);
        long expectedBytes = 16L + (long)count * rows * columns;
        CheckLength(path, raw, expectedBytes);
        return raw.AsSpan(16).ToArray();
    }

    /// <summary>Reads a label file; returns one byte per label, each checked to be below <paramref name="classes"/>.</summary>
    public static byte[] ReadLabels(string path, int expectedCount, int classes = 10)
    {
        byte[] raw = Decompress(path);
        int count = Header(path, raw, LabelsMagic, dimensions: 1, expectedCount);
        CheckLength(path, raw, 8L + count);
        byte[] labels = raw.AsSpan(8).ToArray();
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] >= classes)
                throw new FileFormatException(path, $"label {i} is {labels[i]}, outside 0..{classes - 1}", Fix);
        return labels;
    }

    private static byte[] Decompress(string path)
    {
        if (!File.Exists(path))
            throw new BadInputException($"MNIST file '{path}' does not exist. {Fix}");
        byte[] file = File.ReadAllBytes(path);
        bool gzip = file.Length >= 2 && file[0] == 0x1f && file[1] == 0x8b;
        if (!gzip) return file;
        try
        {
            using var input = new GZipStream(new MemoryStream(file), CompressionMode.Decompress);
            using var output = new MemoryStream(file.Length * 4);
            input.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new FileFormatException(path, $"gzip data is corrupt or truncated ({e.Message})", Fix);
        }
    }

    private static int Header(string path, byte[] raw, int magic, int dimensions, int expectedCount)
    {
        int headerBytes = 4 + 4 * dimensions;
        int found = raw.Length >= 4 ? BinaryPrimitives.ReadInt32BigEndian(raw) : -1;
        if (found != magic)
            throw new FileFormatException(path, $"IDX magic is 0x{found:X8}, expected 0x{magic:X8} ({(magic == ImagesMagic ? "images" : "labels")})", Fix);
        if (raw.Length < headerBytes)
            throw new FileFormatException(path, $"only {raw.Length} bytes, shorter than the {headerBytes}-byte IDX header", Fix);
        int count = BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(4));
        if (expectedCount > 0 && count != expectedCount)
            throw new FileFormatException(path, $"holds {count} items, expected {expectedCount}", Fix);
        if (count <= 0)
            throw new FileFormatException(path, $"holds {count} items", Fix);
        return count;
    }

    private static void CheckLength(string path, byte[] raw, long expectedBytes)
    {
        if (raw.Length != expectedBytes)
            throw new FileFormatException(path,
                raw.Length < expectedBytes
                    ? $"truncated: {raw.Length} bytes after decompression, the header promises {expectedBytes}"
                    : $"{raw.Length} bytes after decompression, {raw.Length - expectedBytes} more than the header promises", Fix);
    }
}
