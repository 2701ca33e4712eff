using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using NUnit.Framework;

namespace Mbi.Samples.Tests;

/// <summary>
/// samples/VariabilityStudy, built with this project, run as a user runs it (dotnet on its dll, from the
/// repository root) on a shrunken 4-column row (13 staircase cycles: seconds, not minutes): a sigma(Vth) sweep of 0, 30 and
/// 60 mV over 2 seeded dies.
/// The table must have one row per sigma, and its numbers must behave as the physics says.
/// </summary>
[TestFixture]
public sealed class VariabilityStudyTests
{
    private const int Columns = 4, Dies = 2;
    private const double VpMaxVolts = 0.9; // samples/designs/default.json

    private static readonly string[] Header =
        ["sigma_vth_mv", "dies", "failed", "nominal_step_mv", "mean_step_mv", "step_sigma_mv", "min_step_mv", "max_deviation_mv", "code_errors_1bit", "code_errors_2bit"];

    private static string Metadata(string key) =>
        typeof(VariabilityStudyTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    [Test]
    public void When_Sigma_Is_Swept_On_A_Four_Column_Row_Expect_One_Row_Per_Sigma_With_Plausible_Steps()
    {
        string dll = Path.GetFullPath(Metadata("VariabilityStudyDll"));
        string root = Path.GetFullPath(Metadata("RepositoryRoot"));
        Assert.That(File.Exists(dll), Is.True, $"the sample was not built to {dll}");

        var (exit, stdout, stderr) = Run(root, dll, "--design", "samples/designs/default.json", "--columns", Columns.ToString(CultureInfo.InvariantCulture),
            "--dies", Dies.ToString(CultureInfo.InvariantCulture), "--sigmas", "0,30m,60m", "--seed", "1", "--workers", "2");
        if (exit == 3) Assert.Ignore($"ngspice shared library not available: {stderr.Trim()}");
        Assert.That(exit, Is.EqualTo(0), $"stdout:\n{stdout}\nstderr:\n{stderr}");

        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines[0], Does.StartWith("design samples/designs/default.json sha256 ").And.Contain($"{Columns} columns"));
        Assert.That(lines[1].Split(' '), Is.EqualTo(Header));
        var rows = lines.Skip(2).TakeWhile(l => !l.StartsWith("ngspice ", StringComparison.Ordinal))
            .Select(l => l.Split(' ').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.That(rows.Select(r => r[0]), Is.EqualTo(new[] { 0.0, 30.0, 60.0 }), "one row per sigma, in order");
        Assert.That(lines[^1], Does.StartWith("ngspice "));

        foreach (var r in rows)
        {
            Assert.That(r[1], Is.EqualTo(Dies));
            Assert.That(r[2], Is.EqualTo(0), "no die may fail on the default design");
            Assert.That(r[8], Is.InRange(0.0, 1.0));
            Assert.That(r[9], Is.InRange(0.0, 1.0));
        }
        // The nominal die does not depend on sigma: the same staircase in every row.
        Assert.That(rows.Select(r => r[3]).Distinct().Count(), Is.EqualTo(1));
        // One differing column moves V_SLP + V_SLN by at most VPmax / C (one bitline fully discharged and shared
        // over C columns); the sum-line wire and the ADC's sampling capacitors (16.35 fF per line, whatever C) only
        // lower it, the more so the fewer the columns. The floor of a quarter only catches a broken staircase.
        double ideal = VpMaxVolts / Columns * 1e3;
        Assert.That(rows[0][3], Is.InRange(0.25 * ideal, ideal), $"nominal 1-bit step against VPmax/C = {ideal:F1} mV");
        // sigma 0: every die is the nominal die (delvto altered to 0; the sample simulates the dies' driver chains as the
        // nominal die does), so to the printed 0.01 mV no sum moves, the mean step is the nominal mean and no readout changes code.
        Assert.That(rows[0][7], Is.EqualTo(0).Within(0.011));
        Assert.That(rows[0][4], Is.EqualTo(rows[0][3]).Within(0.011));
        Assert.That(rows[0][8], Is.EqualTo(0));
        Assert.That(rows[0][9], Is.EqualTo(0));
        // Same seed: die i's delta-Vth at 60 mV is exactly twice its 30 mV draw (same directions, larger shifts),
        // so the worst deviation from the nominal sums grows with sigma, and the smallest step of the 60 mV dies
        // is below the nominal die's smallest.
        Assert.That(rows[1][7], Is.GreaterThan(0.011));
        Assert.That(rows[2][7], Is.GreaterThan(rows[1][7]));
        Assert.That(rows[2][6], Is.LessThan(rows[0][6]));
    }

    private static (int Exit, string Stdout, string Stderr) Run(string workingDirectory, string dll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the sample did not finish within 10 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
