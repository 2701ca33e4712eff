using System.Buffers.Binary;
using System.IO.Compression;
using Mbi.Algorithm.Mnist;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Mnist;

[TestFixture]
public sealed class IdxReaderTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "mbi-idx-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    internal static byte[] Idx(int magic, int[] dimensions, byte[] data)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dimensions.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    internal static void WriteGz(string path, byte[] content)
    {
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(content);
    }

    [Test]
    public void When_GzipImagesAreWellFormed_Expect_PixelsAndSizeBack()
    {
        string path = Path.Combine(_folder, "img.gz");
        WriteGz(path, Idx(IdxReader.ImagesMagic, [2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
        byte[] pixels = IdxReader.ReadImages(path, 2, out int rows, out int columns);
        Assert.That((rows, columns), Is.EqualTo((2, 3)));
        Assert.That(pixels, Is.EqualTo(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }));
    }

    [Test]
    public void When_ImageFileIsTruncated_Expect_FileFormatErrorSayingTruncated()
    {
        string path = Path.Combine(_folder, "img.gz");
        WriteGz(path, Idx(IdxReader.ImagesMagic, [2, 2, 3], [1, 2, 3, 4, 5]));
        var e = Assert.Throws<FileFormatException>(() => IdxReader.ReadImages(path, 2, out _, out _));
        Assert.That(e!.Message, Does.Contain("truncated").And.Contain("img.gz").And.Contain("mbi data download"));
    }

    [Test]
    public void When_LabelsFileIsGivenAsImages_Expect_MagicNamedInError()
    {
        string path = Path.Combine(_folder, "labels.gz");
        WriteGz(path, Idx(IdxReader.LabelsMagic, [3], [1, 2, 3]));
        var e = Assert.Throws<FileFormatException>(() => IdxReader.ReadImages(path, 3, out _, out _));
        Assert.That(e!.Message, Does.Contain("magic is 0x00000801").And.Contain("expected 0x00000803"));
    }

    [Test]
    public void When_CountDiffersFromExpected_Expect_CountInError()
    {
        string path = Path.Combine(_folder, "labels.gz");
        WriteGz(path, Idx(IdxReader.LabelsMagic, [3], [1, 2, 3]));
        var e = Assert.Throws<FileFormatException>(() => IdxReader.ReadLabels(path, 4));
        Assert.That(e!.Message, Does.Contain("holds 3 items, expected 4"));
    }

    [Test]
    public void When_LabelIsOutOfRange_Expect_ItsIndexInError()
    {
        string path = Path.Combine(_folder, "labels.gz");
        WriteGz(path, Idx(IdxReader.LabelsMagic, [3], [1, 12, 3]));
        var e = Assert.Throws<FileFormatException>(() => IdxReader.ReadLabels(path, 3));
        Assert.That(e!.Message, Does.Contain("label 1 is 12"));
    }

    [Test]
    public void When_GzipIsCorrupt_Expect_FileFormatError()
    {
        string path = Path.Combine(_folder, "bad.gz");
        File.WriteAllBytes(path, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff]);
        Assert.Throws<FileFormatException>(() => IdxReader.ReadLabels(path, 3));
    }

    [Test]
    public void When_FileIsMissing_Expect_BadInputNamingTheFix()
    {
        var e = Assert.Throws<BadInputException>(() => IdxReader.ReadLabels(Path.Combine(_folder, "none.gz"), 3));
        Assert.That(e!.Message, Does.Contain("does not exist").And.Contain("mbi data download"));
    }
}
