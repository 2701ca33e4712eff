using Mbi.Core.Errors;
using Mbi.Core.IO;
using NUnit.Framework;

namespace Mbi.Core.Tests;

[TestFixture]
public sealed class ChecksummedFileTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("mbi-core-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void When_WrittenThenRead_Expect_SamePayload()
    {
        string path = Path.Combine(_dir, "a.bin");
        byte[] payload = [1, 2, 3, 250];
        ChecksummedFile.Write(path, "MBITEST1", 3, payload);
        Assert.That(ChecksummedFile.Read(path, "MBITEST1", 3, "test", "fix"), Is.EqualTo(payload));
        Assert.That(Directory.GetFiles(_dir), Has.Length.EqualTo(1), "no temporary file is left behind");
    }

    [Test]
    public void When_OneByteFlipped_Expect_ChecksumError()
    {
        string path = Path.Combine(_dir, "a.bin");
        ChecksummedFile.Write(path, "MBITEST1", 1, new byte[100]);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^7] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<FileFormatException>(() => ChecksummedFile.Read(path, "MBITEST1", 1, "test", "Re-create it."));
        Assert.That(e!.Message, Does.Contain("checksum").And.Contain(path).And.Contain("Re-create it."));
    }

    [Test]
    public void When_Truncated_Expect_TruncatedError()
    {
        string path = Path.Combine(_dir, "a.bin");
        ChecksummedFile.Write(path, "MBITEST1", 1, new byte[100]);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);
        var e = Assert.Throws<FileFormatException>(() => ChecksummedFile.Read(path, "MBITEST1", 1, "test", "fix"));
        Assert.That(e!.Message, Does.Contain("truncated"));
    }

    [TestCase("MBIOTHER", 1, "not a test file")]
    [TestCase("MBITEST1", 2, "version 1")]
    public void When_MagicOrVersionDiffer_Expect_ClearError(string magic, int version, string words)
    {
        string path = Path.Combine(_dir, "a.bin");
        ChecksummedFile.Write(path, "MBITEST1", 1, new byte[4]);
        var e = Assert.Throws<FileFormatException>(() => ChecksummedFile.Read(path, magic, (uint)version, "test", "fix"));
        Assert.That(e!.Message, Does.Contain(words));
    }
}
