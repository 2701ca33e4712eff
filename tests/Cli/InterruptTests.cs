using System.Diagnostics;
using System.Runtime.InteropServices;
using Mbi.Circuit.Engine;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Cli.Tests;

/// <summary>
/// Ctrl-C on a real `mbi mc` (issue #12): the process is sent SIGINT once a die is journalled; it must stop after the
/// dies in flight with one "mbi: interrupted" line and exit code 130, leave a journal whose every line is whole, write
/// no result, and delete its ngspice copies; the same command then resumes from the journal (nominal die included)
/// and finishes. A 2-column
/// row keeps each die at a few seconds (the default 32-column row takes minutes on a loaded machine).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class InterruptTests
{
    private const int Sigint = 2;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);

    [Test]
    [CancelAfter(300_000)]
    public void When_McInterruptedBySigint_Expect_CleanStopExit130ThenResume()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("sends a POSIX signal (Linux)");
        try { Mbi.Circuit.Engine.NgSpiceNative.LocateLibrary(); }
        catch (EngineMissingException e) { Assert.Ignore($"ngspice shared library not available: {e.Message}"); }

        string folder = Path.Combine(Path.GetTempPath(), $"mbi-sigint-{Guid.NewGuid():N}");
        string journal = Path.Combine(folder, "dies.journal");
        string[] args = ["mc", "--columns", "2", "--samples", "4", "--workers", "1", "--out", folder];
        try
        {
            using var first = Start(args);
            var stopwatch = Stopwatch.StartNew();
            // Wait for the header, the nominal die and one die.
            while (!(File.Exists(journal) && ReadShared(journal).Count(c => c == '\n') >= 3))
            {
                if (first.HasExited) Assert.Fail("mc ended before it could be interrupted: " + first.StandardError.ReadToEnd());
                Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromMinutes(3)), "no die journalled within 3 minutes");
                Thread.Sleep(100);
            }
            int sent = Kill(first.Id, Sigint);
            Assert.That(sent, Is.EqualTo(0), $"kill(SIGINT) failed: errno {Marshal.GetLastPInvokeError()}");
            string stderr = first.StandardError.ReadToEnd();
            Assert.That(first.WaitForExit(120_000), Is.True, "stops within two minutes");
            Assert.That(first.ExitCode, Is.EqualTo(ExitCodes.Interrupted), stderr);
            Assert.That(stderr, Does.Contain("mbi: interrupted by SIGINT").And.Not.Contain("   at "));
            Assert.That(File.Exists(Path.Combine(folder, "summary.json")), Is.False, "no result is written by an interrupted run");
            Assert.That(Directory.GetDirectories(Path.GetTempPath(), $"{TempCopies.Prefix}{first.Id}-*"), Is.Empty, "its ngspice copies are deleted");
            string[] lines = ReadShared(journal).Split('\n');
            Assert.That(lines[^1], Is.Empty, "the journal ends on a whole line");
            Assert.That(lines[1], Does.StartWith("nominal\t"));
            int journalled = lines.Length - 3;
            Assert.That(journalled, Is.InRange(1, 3), "stopped before the last die");

            using var second = Start(args);
            string resumed = second.StandardError.ReadToEnd();
            Assert.That(second.WaitForExit(180_000), Is.True);
            Assert.That(second.ExitCode, Is.EqualTo(0), resumed);
            Assert.That(resumed, Does.Contain($"{journalled} of 4 dies and the nominal die read back"));
            Assert.That(resumed, Does.Not.Contain("nominal die 1/1"), "the nominal die is not simulated again");
            Assert.That(File.Exists(Path.Combine(folder, "summary.json")), Is.True);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Starts `dotnet mbi.dll ARGS`. A process started in the background by a shell (a CI step, `cmd &amp;`) inherits
    /// SIGINT ignored, and an ignored signal stays ignored across exec, as Unix intends for background jobs; so the
    /// child is started with SIGINT at its default disposition, as a terminal's foreground job has it.
    /// </summary>
    private static Process Start(string[] args)
    {
        nint previous = Signal(Sigint, 0); // SIG_DFL
        try { return StartProcess(args); }
        finally { Signal(Sigint, previous); }
    }

    private static Process StartProcess(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mbi.dll"));
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["CI"] = "true";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
