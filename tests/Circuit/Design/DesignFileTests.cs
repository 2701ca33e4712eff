using System.Text.Json.Nodes;
using Mbi.Circuit.Design;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.Design;

[TestFixture]
public sealed class DesignFileTests
{
    private static string DefaultText() => DesignFile.Text(new CircuitDesign());

    private static string Edit(Action<JsonObject> change)
    {
        var root = JsonNode.Parse(DefaultText())!.AsObject();
        change(root);
        return root.ToJsonString();
    }

    [Test]
    public void When_DesignWrittenAndRead_Expect_SameDesignAndHash()
    {
        var design = new CircuitDesign { Array = new() { EvalWindowSeconds = 2e-9, BitlineCapacitanceFarads = 6e-15 }, Adc = new() { Bits = 6 } };
        string path = Path.Combine(Path.GetTempPath(), $"mbi-design-{Guid.NewGuid():N}.json");
        try
        {
            string hash = DesignFile.Write(path, design);
            var read = DesignFile.Read(path);
            Assert.That(read.Array, Is.EqualTo(design.Array));
            Assert.That(read.Adc, Is.EqualTo(design.Adc));
            Assert.That(read.Technology, Is.EqualTo(design.Technology));
            Assert.That(DesignFile.Hash(read), Is.EqualTo(hash));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void When_LayoutDiffersButValuesEqual_Expect_SameHash()
    {
        // Compact text, fields of a section reordered: the canonical hash ignores the layout.
        string reordered = Edit(root =>
        {
            var array = root["array"]!.AsObject();
            var columns = array["columns"]!.DeepClone();
            array.Remove("columns");
            array["columns"] = columns;
        });
        Assert.That(DesignFile.Hash(DesignFile.Parse(reordered, "reordered.json")), Is.EqualTo(DesignFile.Hash(new CircuitDesign())));
    }

    [Test]
    public void When_AValueChanges_Expect_HashChanges()
    {
        var changed = new CircuitDesign { Array = new() { EvalWindowSeconds = 2e-9 } };
        Assert.That(DesignFile.Hash(changed), Is.Not.EqualTo(DesignFile.Hash(new CircuitDesign())));
    }

    [Test]
    public void When_FieldsLeftOut_Expect_Defaults()
    {
        var design = DesignFile.Parse("{\"format\":\"mbi-design\",\"version\":1,\"array\":{\"eval_window_seconds\":2e-9}}", "short.json");
        Assert.That(design.Array, Is.EqualTo(new Mbi.Circuit.Netlists.ArrayDesign { EvalWindowSeconds = 2e-9 }));
        Assert.That(design.Card, Is.EqualTo(CircuitDesign.BuiltInCard));
    }

    [Test]
    public void When_FieldOutOfRange_Expect_MessageNamingFileFieldValueRangeAndExample()
    {
        string text = Edit(root => root["array"]!["eval_window_seconds"] = 0);
        var e = Assert.Throws<BadInputException>(() => DesignFile.Parse(text, "bad.json"));
        Assert.That(e!.Message, Does.StartWith("bad.json: array.eval_window_seconds was 0 s; it must be > 0").And.Contain("(e.g. 3ns)"));
    }

    [TestCase("array", "eval_windw_seconds", "eval_window_seconds")]
    [TestCase("adc", "bitz", "offset_lsb")]
    [TestCase("technology", "vdd", "vdd_volts")]
    public void When_FieldUnknown_Expect_FileFormatErrorListingTheFields(string section, string field, string listed)
    {
        string text = Edit(root => root[section]![field] = 1);
        var e = Assert.Throws<FileFormatException>(() => DesignFile.Parse(text, "typo.json"));
        Assert.That(e!.Message, Does.Contain($"{section}.{field} is not a design field").And.Contain(listed));
    }

    [Test]
    public void When_FieldHasWrongType_Expect_MessageNamingFieldAndType()
    {
        string text = Edit(root => root["array"]!["columns"] = "many");
        var e = Assert.Throws<FileFormatException>(() => DesignFile.Parse(text, "type.json"));
        Assert.That(e!.Message, Does.Contain("array.columns was \"many\"; it must be a number"));
    }

    [TestCase("version", 2, "this Mbi reads version 1")]
    [TestCase("format", "something-else", "it must be \"mbi-design\"")]
    public void When_FormatOrVersionWrong_Expect_FileFormatError(string key, object value, string words)
    {
        string text = Edit(root => root[key] = JsonValue.Create(value));
        var e = Assert.Throws<FileFormatException>(() => DesignFile.Parse(text, "v.json"));
        Assert.That(e!.Message, Does.Contain(words));
    }

    [Test]
    public void When_CardHashDoesNotMatch_Expect_ErrorSayingTheCardChanged()
    {
        string text = Edit(root => root["technology"]!["card_sha256"] = new string('0', 64));
        var e = Assert.Throws<FileFormatException>(() => DesignFile.Parse(text, "card.json"));
        Assert.That(e!.Message, Does.Contain("card_sha256 does not match"));
    }

    [Test]
    public void When_EnumsUlongAndConditionsSet_Expect_TheyRoundTripAsWritten()
    {
        var design = new CircuitDesign
        {
            Array = new() { RowSelect = Mbi.Circuit.Netlists.RowSelect.SourceLineHigh, UnselectedRows = Mbi.Circuit.Netlists.UnselectedRows.Full, StoredDataSeed = ulong.MaxValue },
        }.WithConditions("FS", -40);
        string text = DesignFile.Text(design);
        // Enum values are written as the flags spell them, not as numbers; the conditions are named technology fields.
        Assert.That(text, Does.Contain("\"row_select\": \"source-line-high\"").And.Contain("\"unselected_rows\": \"full\"")
            .And.Contain("\"stored_data_seed\": 18446744073709551615").And.Contain("\"corner\": \"FS\"").And.Contain("\"temperature_celsius\": -40")
            .And.Contain("\"corner_table\": \"builtin:ptm16lp\""));
        var read = DesignFile.Parse(text, "round.json");
        Assert.That(read.Array, Is.EqualTo(design.Array));
        Assert.That(read.Technology, Is.EqualTo(design.Technology));
        Assert.That(DesignFile.Hash(read), Is.EqualTo(DesignFile.Hash(design)));
    }

    [TestCase("corner", "\"XX\"", "technology.corner was XX")]
    [TestCase("temperature_celsius", "400", "technology.temperature_celsius was 400 C")]
    [TestCase("corner_table_sha256", "\"0000\"", "corner_table_sha256 does not match")]
    public void When_ConditionFieldBad_Expect_MessageNamingFileAndField(string field, string json, string words)
    {
        string text = Edit(root => root["technology"]![field] = JsonNode.Parse(json));
        var e = Assert.Throws(Is.InstanceOf<MbiException>(), () => DesignFile.Parse(text, "cond.json"));
        Assert.That(e!.Message, Does.Contain("cond.json").And.Contain(words));
    }

    [Test]
    public void When_EnumValueUnknown_Expect_MessageListingTheValues()
    {
        string text = Edit(root => root["array"]!["row_select"] = "10t");
        var e = Assert.Throws<FileFormatException>(() => DesignFile.Parse(text, "enum.json"));
        Assert.That(e!.Message, Does.Contain("array.row_select was \"10t\"; it must be one of \"row-gated\", \"source-line-high\""));
    }
}
