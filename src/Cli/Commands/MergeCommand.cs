using System.CommandLine;
using Mbi.Circuit.MonteCarlo;
using Mbi.Core.Errors;
using Mbi.Core.IO;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi merge DIR... --out DIR`: joins the shard folders of one `mc`, `sweep`, `cosim` or `sweep-ram` run (written with --shard K/N) into the
/// outputs of a single run. It checks that the folders are every shard of one run (command, options, seed, design, split)
/// and that each holds every die it owns, joins their die journals into --out, then runs the shards' command line there:
/// every die is read back from the joined journal (only the nominal die is simulated again, once per point), so the
/// reports are the bytes a single run writes. Shards of different runs are refused with one line naming the difference.
/// </summary>
internal static class MergeCommand
{
    public const string ShardsFileName = "shards.json";

    public static Command Create()
    {
        var folders = new Argument<string[]>("shards") { Description = "The --out folders of the shard runs (any order), e.g. runs/mc-shards/shard-*", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Folder for the merged outputs (those of a single run of the same command)", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("merge", "Join the shard folders of one `mc`, `sweep`, `cosim` or `sweep-ram` run (--shard K/N) into the outputs of a single run.");
        command.Arguments.Add(folders);
        command.Options.Add(output);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            string folder = Path.GetFullPath(parse.GetValue(output)!);
            var shards = parse.GetValue(folders)!.Select(Path.GetFullPath).Distinct()
                .Select(f => (Folder: f, Manifest: ShardManifest.Load(f))).OrderBy(s => s.Manifest.ShardIndex).ToList();
            ShardManifest.CheckOneRun(shards);
            var first = shards[0].Manifest;
            if (first.Command is not ("mc" or "sweep" or "cosim" or "sweep-ram"))
                throw new BadInputException($"{shards[0].Folder} is a shard of `mbi {first.Command}`; merge joins shards of mc, sweep, cosim and sweep-ram.");
            if (shards.Any(s => s.Folder == folder))
                throw CommonOptions.Bad("--out", folder, "a folder other than the shard folders", "runs/mc-merged");

            // The joined journals, then the shards' own command line on them.
            foreach (var journal in first.Journals)
            {
                var parts = shards.Select(s => new ShardJournals.Part(s.Manifest.Shard, Path.Combine(s.Folder, journal.Path), s.Folder)).ToList();
                ShardJournals.Merge(parts, first.Samples, Path.Combine(folder, journal.Path));
            }
            var joined = ShardManifest.Hash(folder, first.Journals.Select(j => j.Path));
            Terminal.Note($"mbi merge: {shards.Count} shards of `mbi {first.Command}` (seed {first.Seed}, design sha256 {first.DesignSha256[..12]}, " +
                          $"{first.Samples} dies{(joined.Count > 1 ? $" per point, {joined.Count} points" : "")}) joined in {folder}");
            string[] rerun = [first.Command, .. first.Arguments, "--out", folder, ShardOptions.ExpectedDesignFlag, first.DesignSha256,
                .. parse.GetValue(json) ? new[] { "--json" } : []];
            var parsed = MbiCli.BuildRoot().Parse(rerun);
            if (parsed.Errors.Count > 0)
                throw new BadInputException($"the shards' command line `mbi {string.Join(' ', rerun)}` does not parse with this mbi ({parsed.Errors[0].Message}); merge with the mbi that ran the shards.");
            int exit = parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = Console.Out, Error = Console.Error });

            // Every die must have come from the shards: a die simulated here would have been appended to a joined journal.
            var after = ShardManifest.Hash(folder, first.Journals.Select(j => j.Path));
            if (!after.SequenceEqual(joined))
                throw new InvalidOperationException("the merge simulated dies that the joined journals should have held");
            AtomicFile.WriteAllText(Path.Combine(folder, ShardsFileName), Terminal.ToJson(shards.Select(s => new { s.Folder, s.Manifest })) + "\n");
            return exit;
        });
        return command;
    }
}
