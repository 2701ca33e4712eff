using System.Diagnostics;
using Mbi.Core.Errors;

namespace Mbi.Cli.Commands;

/// <summary>The two Slurm client calls `mbi slurm` makes: sbatch (submit) and scontrol (a job's state, for messages).</summary>
internal static class Sbatch
{
    public static string Submit(string folder, IReadOnlyList<string> arguments) => Submit(folder, arguments, false, out _);

    /// <summary>Slurm's state of a job and why ("CANCELLED, DependencyNeverSatisfied"), from scontrol while Slurm remembers it.</summary>
    public static string JobState(string id)
    {
        try
        {
            var info = new ProcessStartInfo("scontrol", ["show", "job", "-o", id]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(info)!;
            string text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=', 2)).Where(f => f.Length == 2)
                .GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.First()[1]);
            return fields.TryGetValue("JobState", out string? state)
                ? $"job state {state}{(fields.TryGetValue("Reason", out string? reason) && reason != "None" ? ", " + reason : "")}"
                : "job state unknown";
        }
        catch (System.ComponentModel.Win32Exception) { return "job state unknown (no scontrol)"; }
    }

    /// <summary>Runs sbatch in <paramref name="folder"/> and returns its stdout; a failure is an error unless allowed (then its status is returned).</summary>
    public static string Submit(string folder, IReadOnlyList<string> arguments, bool allowFailure, out int exit)
    {
        var info = new ProcessStartInfo("sbatch") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in arguments) info.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(info)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new EngineMissingException($"sbatch could not be started ({e.Message}): submit on a machine with Slurm, or start a local one with scripts/slurm-local.sh start", e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            exit = process.ExitCode;
            if (exit != 0 && !allowFailure)
                throw new MbiException($"sbatch {string.Join(' ', arguments)} failed with status {exit}: {stderr.Result.Trim().ReplaceLineEndings(" ")}");
            if (exit != 0) Terminal.Note($"mbi slurm: sbatch: {stderr.Result.Trim().ReplaceLineEndings(" ")}");
            return stdout;
        }
    }
}
