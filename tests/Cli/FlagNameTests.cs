using System.CommandLine;
using System.Text.RegularExpressions;
using Mbi.Core.Errors;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.Cli.Tests;

/// <summary>
/// Library messages name parameters and design-file fields; the CLI maps them to its flags. Every flag a
/// message can show (mapped, or written in a library message) must exist on some command.
/// </summary>
[TestFixture]
public sealed partial class FlagNameTests
{
    /// <summary>Flags of other programs that library messages legitimately mention.</summary>
    private static readonly string[] ForeignFlags = ["--with-ngshared"];

    private static HashSet<string> AllFlags()
    {
        var flags = new HashSet<string>();
        void Walk(Command c)
        {
            foreach (var o in c.Options) { flags.Add(o.Name); foreach (var a in o.Aliases) flags.Add(a); }
            foreach (var s in c.Subcommands) Walk(s);
        }
        Walk(MbiCli.BuildRoot());
        return flags;
    }

    [GeneratedRegex(@"--[a-z][a-z0-9-]*[a-z0-9]")]
    private static partial Regex FlagPattern();

    [Test]
    public void When_LibraryParameterMapped_Expect_TheFlagExists()
    {
        var flags = AllFlags();
        var missing = FlagNames.All.Where(p => !flags.Contains(p.Value)).Select(p => $"{p.Key} -> {p.Value}").ToList();
        Assert.That(missing, Is.Empty, "mapped to flags no command has");
    }

    [Test]
    public void When_LibrarySourceNamesAFlag_Expect_TheFlagExists()
    {
        var flags = AllFlags();
        var missing = new List<string>();
        foreach (string project in new[] { "Core", "Circuit", "Algorithm", "CoSim" })
            foreach (string file in Directory.EnumerateFiles(Path.Combine(TestAssets.RepositoryRoot(), "src", project), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")) continue;
                foreach (string line in File.ReadLines(file))
                {
                    if (line.TrimStart().StartsWith("//", StringComparison.Ordinal)) continue;
                    foreach (Match m in FlagPattern().Matches(line))
                        if (!flags.Contains(m.Value) && !ForeignFlags.Contains(m.Value))
                            missing.Add($"{Path.GetFileName(file)}: {m.Value}");
                }
            }
        Assert.That(missing, Is.Empty, "library text names flags no command has");
    }

    [Test]
    public void When_LibraryValidatesAParameter_Expect_ItNamesTheParameterNotAFlag()
    {
        var offenders = new List<string>();
        foreach (string project in new[] { "Circuit", "Algorithm", "CoSim" })
            foreach (string file in Directory.EnumerateFiles(Path.Combine(TestAssets.RepositoryRoot(), "src", project), "*.cs", SearchOption.AllDirectories))
                foreach (string line in File.ReadLines(file))
                    if (line.Contains("BadInputException.For(\"--", StringComparison.Ordinal))
                        offenders.Add($"{Path.GetFileName(file)}: {line.Trim()}");
        Assert.That(offenders, Is.Empty);
    }

    [TestCase("array.eval_window_seconds", "--eval-window")]
    [TestCase("sigma_vth_volts", "--sigma-vth")]
    [TestCase("patch_size", "--patch")]
    public void When_LibraryMessageNamesAMappedParameter_Expect_TheCliShowsTheFlag(string parameter, string flag)
    {
        var e = BadInputException.For(parameter, 0, "> 0", "1");
        Assert.That(FlagNames.Message(e), Does.StartWith($"{flag} was 0; it must be > 0"));
    }

    [Test]
    public void When_MessageNamesAFileField_Expect_ItIsShownAsWritten()
    {
        var e = BadInputException.For("design.json: array.eval_window_seconds", 0, "> 0", "3ns");
        Assert.That(FlagNames.Message(e), Does.StartWith("design.json: array.eval_window_seconds was 0"));
    }
}
