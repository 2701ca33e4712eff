using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Core.Errors;
using Mbi.Core.IO;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Memorization;

[TestFixture]
public sealed class LutFileTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("mbi-lut-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [TestCase(KeyMetric.Manhattan)]
    [TestCase(KeyMetric.BitWeightedHamming)]
    public void When_WrittenThenRead_Expect_SameTable(KeyMetric metric)
    {
        var lut = RandomTables.Table(RandomTables.SmallSpec(), 300, seed: 5, metric);
        string path = Path.Combine(_dir, "t.lut");
        LutFile.Write(path, lut);
        var back = LutFile.Read(path);
        Assert.That(back.Spec, Is.EqualTo(lut.Spec));
        Assert.That(back.Rows, Is.EqualTo(lut.Rows));
        Assert.That(back.Metric, Is.EqualTo(metric));
        Assert.That(back.Weights, Is.EqualTo(lut.Weights));
        Assert.That(back.KeyElements.ToArray(), Is.EqualTo(lut.KeyElements.ToArray()));
        Assert.That(back.NextHidden.ToArray(), Is.EqualTo(lut.NextHidden.ToArray()));
        Assert.That(back.NextLocations.ToArray(), Is.EqualTo(lut.NextLocations.ToArray()));
        Assert.That(back.Classes.ToArray(), Is.EqualTo(lut.Classes.ToArray()));
        Assert.That((back.InitialX, back.InitialY), Is.EqualTo((lut.InitialX, lut.InitialY)));
        Assert.That(back.Provenance, Is.EqualTo(lut.Provenance));
        long header = ChecksummedFile.HeaderBytes + 9 * 4 + 4 + 3 * 8 + 3 * 4 + 1 + lut.Provenance.Length;
        long initialHiddenBytes = (lut.Spec.HiddenBits + 7) / 8;
        Assert.That(new FileInfo(path).Length - header - initialHiddenBytes, Is.EqualTo(lut.StorageBytes).Within(1),
            "the payload is the bit-packed table plus the initial hidden bits (one byte of rounding)");
    }

    [Test]
    public void When_SpecHasAPooledFirstPatch_Expect_Version2AndTheSameSpecBack_AndAnUnpooledOneStaysVersion1()
    {
        var plain = RandomTables.Table(RandomTables.SmallSpec(), 50, seed: 5);
        var pooledSpec = new GlimpseKeySpec(plain.Spec.PatchSize, plain.Spec.Scales, plain.Spec.ScaleFactor, plain.Spec.PatchBits, plain.Spec.HiddenBits,
            plain.Spec.LocationLevels, plain.Spec.Glimpses, plain.Spec.ImageSize, plain.Spec.Classes, patchPool: 2);
        var pooled = RandomTables.Table(pooledSpec, 50, seed: 5);
        string a = Path.Combine(_dir, "plain.lut"), b = Path.Combine(_dir, "pooled.lut");
        LutFile.Write(a, plain);
        LutFile.Write(b, pooled);
        Assert.That(BitConverter.ToUInt32(File.ReadAllBytes(a), 8), Is.EqualTo(1u));
        Assert.That(BitConverter.ToUInt32(File.ReadAllBytes(b), 8), Is.EqualTo(2u));
        Assert.That(LutFile.Read(b).Spec, Is.EqualTo(pooledSpec));
        Assert.That(LutFile.Read(a).Spec.PatchPool, Is.EqualTo(1));
        Assert.That(TableIdentity.Sha256(pooled), Is.Not.EqualTo(TableIdentity.Sha256(plain)), "the same keys read by another sensor are another table");
    }

    [Test]
    public void When_SpecHasACoarseGain_Expect_Version3AndTheSameSpecBack_AndAnotherTableIdentity()
    {
        var plain = RandomTables.Table(RandomTables.SmallSpec(), 50, seed: 5);
        var s = plain.Spec;
        GlimpseKeySpec Spec(int pool, int gain) => new(s.PatchSize, s.Scales, s.ScaleFactor, s.PatchBits, s.HiddenBits, s.LocationLevels, s.Glimpses,
            s.ImageSize, s.Classes, patchPool: pool, coarseGain: gain);
        foreach (var (pool, gain) in new[] { (1, 2), (2, 2), (2, 3) })
        {
            var gained = RandomTables.Table(Spec(pool, gain), 50, seed: 5);
            string path = Path.Combine(_dir, $"gain-{pool}-{gain}.lut");
            LutFile.Write(path, gained);
            Assert.That(BitConverter.ToUInt32(File.ReadAllBytes(path), 8), Is.EqualTo(3u));
            Assert.That(LutFile.Read(path).Spec, Is.EqualTo(Spec(pool, gain)));
            Assert.That(TableIdentity.Sha256(gained), Is.Not.EqualTo(TableIdentity.Sha256(RandomTables.Table(Spec(pool, 1), 50, seed: 5))),
                "the same keys read through another quantizer are another table");
        }
        Assert.That(TableIdentity.Sha256(RandomTables.Table(Spec(1, 2), 50, seed: 5)), Is.Not.EqualTo(TableIdentity.Sha256(RandomTables.Table(Spec(2, 1), 50, seed: 5))),
            "a gain and a pool hash apart");
    }

    [Test]
    public void When_OneByteFlipped_Expect_ChecksumError()
    {
        string path = Write();
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x04;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<FileFormatException>(() => LutFile.Read(path));
        Assert.That(e!.Message, Does.Contain("checksum").And.Contain(path).And.Contain("mbi distill"));
    }

    [Test]
    public void When_Truncated_Expect_TruncatedError()
    {
        string path = Write();
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 10)]);
        var e = Assert.Throws<FileFormatException>(() => LutFile.Read(path));
        Assert.That(e!.Message, Does.Contain("truncated"));
    }

    [Test]
    public void When_ModelFileGiven_Expect_WrongMagicError()
    {
        string path = Path.Combine(_dir, "model.ram");
        ChecksummedFile.Write(path, "MBIRAM01", 1, new byte[64]);
        var e = Assert.Throws<FileFormatException>(() => LutFile.Read(path));
        Assert.That(e!.Message, Does.Contain("not a MBI lookup table file").And.Contain("MBILUTAB"));
    }

    [Test]
    public void When_ChecksumValidButRowCountWrong_Expect_SizeError()
    {
        string path = Write();
        byte[] payload = ChecksummedFile.Read(path, LutFile.Magic, 1, "t", "t");
        const int rowsOffset = 9 * 4 + 4 + 3 * 8;
        BitConverter.TryWriteBytes(payload.AsSpan(rowsOffset), 301);
        ChecksummedFile.Write(path, LutFile.Magic, 1, payload);
        var e = Assert.Throws<FileFormatException>(() => LutFile.Read(path));
        Assert.That(e!.Message, Does.Contain("expected for 301 rows"));
    }

    [Test]
    public void When_ChecksumValidButSpecInvalid_Expect_FileFormatErrorNamingTheField()
    {
        string path = Write();
        byte[] payload = ChecksummedFile.Read(path, LutFile.Magic, 1, "t", "t");
        BitConverter.TryWriteBytes(payload.AsSpan(3 * 4), 0); // patchBits = 0
        ChecksummedFile.Write(path, LutFile.Magic, 1, payload);
        var e = Assert.Throws<FileFormatException>(() => LutFile.Read(path));
        Assert.That(e!.Message, Does.Contain("patchBits").And.Contain(path));
    }

    private string Write()
    {
        string path = Path.Combine(_dir, "t.lut");
        LutFile.Write(path, RandomTables.Table(RandomTables.SmallSpec(), 300, seed: 5));
        return path;
    }
}
