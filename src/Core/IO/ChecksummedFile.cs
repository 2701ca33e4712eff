using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Mbi.Core.Errors;

namespace Mbi.Core.IO;

/// <summary>
/// Mbi's binary container: an 8-byte ASCII magic, a format version, the payload length, the payload's
/// SHA-256 and the payload. Every binary file Mbi writes (models, LUTs) uses it, so a truncated,
/// corrupted or foreign file is refused with a message naming the file and the fix.
/// Layout (little-endian): magic[8] | u32 version | u64 length | sha256[32] | payload[length].
/// </summary>
public static class ChecksummedFile
{
    /// <summary>Size of the header before the payload: magic, version, length and SHA-256.</summary>
    public const int HeaderBytes = 8 + 4 + 8 + 32;

    /// <summary>Writes <paramref name="payload"/> with its header (magic, version, length, SHA-256), atomically.</summary>
    public static void Write(string path, string magic, uint version, ReadOnlySpan<byte> payload)
    {
        byte[] magicBytes = MagicBytes(magic);
        byte[] file = new byte[HeaderBytes + payload.Length];
        magicBytes.CopyTo(file, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), version);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(12), (ulong)payload.Length);
        SHA256.HashData(payload, file.AsSpan(20, 32));
        payload.CopyTo(file.AsSpan(HeaderBytes));
        AtomicFile.WriteAllBytes(path, file);
    }

    /// <summary>Reads the file in one go, checks magic, version, length and checksum, returns the payload.</summary>
    public static byte[] Read(string path, string magic, uint supportedVersion, string whatItIs, string howToMakeOne) =>
        Read(path, magic, supportedVersion, supportedVersion, whatItIs, howToMakeOne, out _);

    /// <summary>Reads a file whose format version is any of <paramref name="oldestVersion"/>..<paramref name="newestVersion"/>; <paramref name="version"/> says which.</summary>
    public static byte[] Read(string path, string magic, uint oldestVersion, uint newestVersion, string whatItIs, string howToMakeOne, out uint version)
    {
        if (!File.Exists(path))
            throw new BadInputException($"{whatItIs} file '{path}' does not exist. {howToMakeOne}");
        byte[] file = File.ReadAllBytes(path);
        byte[] magicBytes = MagicBytes(magic);
        if (file.Length < HeaderBytes || !file.AsSpan(0, 8).SequenceEqual(magicBytes))
            throw new FileFormatException(path, $"not a {whatItIs} file (expected magic '{magic}')", howToMakeOne);
        version = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8));
        if (version < oldestVersion || version > newestVersion)
            throw new FileFormatException(path, $"{whatItIs} format version {version}, this Mbi reads version " +
                (oldestVersion == newestVersion ? $"{newestVersion}" : $"{oldestVersion} to {newestVersion}"), howToMakeOne);
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(12));
        if (length != (ulong)(file.Length - HeaderBytes))
            throw new FileFormatException(path, $"truncated or padded: header says {length} payload bytes, file holds {file.Length - HeaderBytes}", howToMakeOne);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(file.AsSpan(HeaderBytes), hash);
        if (!hash.SequenceEqual(file.AsSpan(20, 32)))
            throw new FileFormatException(path, "checksum mismatch: the file is corrupt", howToMakeOne);
        return file.AsSpan(HeaderBytes).ToArray();
    }

    private static byte[] MagicBytes(string magic)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(magic);
        if (bytes.Length != 8)
            throw new ArgumentException($"magic '{magic}' must be exactly 8 ASCII characters", nameof(magic));
        return bytes;
    }
}
