using Mbi.Algorithm.Ram;
using Mbi.Core.Errors;
using Mbi.Core.IO;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Ram;

[TestFixture]
public sealed class RamModelTests
{
    private string _path = "";

    [SetUp]
    public void SetUp() => _path = Path.Combine(Path.GetTempPath(), $"mbi-ram-{Guid.NewGuid():N}.ram");

    [TearDown]
    public void TearDown() { if (File.Exists(_path)) File.Delete(_path); }

    [Test]
    public void When_ModelIsSavedAndLoaded_Expect_SameConfigurationAndWeights()
    {
        var model = RamModel.Initialize(RamConfig.Mbi with { ExtraCoreLayers = 1 }, 9);
        model.Save(_path);
        var loaded = RamModel.Load(_path);
        Assert.That(loaded.Config, Is.EqualTo(model.Config));
        Assert.That(loaded.Parameters, Is.EqualTo(model.Parameters));
    }

    [Test]
    public void When_OneByteIsFlipped_Expect_ChecksumError()
    {
        RamModel.Initialize(RamConfig.Mbi, 9).Save(_path);
        byte[] bytes = File.ReadAllBytes(_path);
        bytes[^5] ^= 0x40;
        File.WriteAllBytes(_path, bytes);
        var e = Assert.Throws<FileFormatException>(() => RamModel.Load(_path));
        Assert.That(e!.Message, Does.Contain("checksum mismatch").And.Contain("mbi train"));
    }

    [Test]
    public void When_FileIsAnotherFormat_Expect_MagicError()
    {
        ChecksummedFile.Write(_path, "MBI_LUT_", 1, new byte[16]);
        var e = Assert.Throws<FileFormatException>(() => RamModel.Load(_path));
        Assert.That(e!.Message, Does.Contain("not a RAM model file"));
    }

    [Test]
    public void When_ParameterCountDisagreesWithConfiguration_Expect_MismatchError()
    {
        byte[] payload = RamModel.Initialize(RamConfig.Mbi, 9).ToBytes();
        ChecksummedFile.Write(_path, RamModel.Magic, RamModel.Version, payload.AsSpan(0, payload.Length - 8));
        var e = Assert.Throws<FileFormatException>(() => RamModel.Load(_path));
        Assert.That(e!.Message, Does.Contain("parameters").And.Contain("needs"));
    }

    [Test]
    public void When_FullPrecisionModelIsAskedForKeySpec_Expect_BadInput()
    {
        var e = Assert.Throws<BadInputException>(() => RamConfig.Reference.ToKeySpec());
        Assert.That(e!.Message, Does.Contain("not an MBI model").And.Contain("hidden_bits 1"));
    }

    [Test]
    public void When_MbiPresetIsMapped_Expect_KeyFitsFiveArraysOf32Columns()
    {
        var spec = RamConfig.Mbi.ToKeySpec();
        int patchColumns = spec.PatchElements * spec.PatchBits;
        int locationColumns = 2 * (int)Math.Ceiling(Math.Log2(spec.LocationLevels));
        int arrays = (patchColumns + 31) / 32 + (spec.HiddenBits + 31) / 32 + (locationColumns + 31) / 32;
        Assert.That((patchColumns, spec.HiddenBits, locationColumns), Is.EqualTo((64, 64, 8)));
        Assert.That(arrays, Is.EqualTo(5));
    }
}
