using Mbi.Algorithm.Mnist;

namespace Mbi.Cli.Commands;

/// <summary>`mbi data download|verify`: fetch MNIST from the public mirrors, or check a copy against its SHA-256.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Get and check the MNIST files.");
        command.Subcommands.Add(Download());
        command.Subcommands.Add(Verify());
        return command;
    }

    private static Command Download()
    {
        var folder = new Option<string?>("--mnist") { Description = $"Folder to download into (default: ${MnistDataset.EnvironmentVariable}, then {MnistDataset.DefaultFolder})" };
        var timeout = CommonOptions.Quantity("--timeout", "s", "Time allowed per file and mirror", "60s", 1, 3600);
        var json = CommonOptions.Json();
        var command = new Command("download", "Download the four MNIST files from the public mirrors and check their SHA-256.") { folder, timeout, json };
        command.SetAction(parse =>
        {
            string target = parse.GetValue(folder) ?? Environment.GetEnvironmentVariable(MnistDataset.EnvironmentVariable) ?? MnistDataset.DefaultFolder;
            var fetched = Terminal.WithProgress("mnist", progress =>
                MnistDownloader.Download(target, progress, TimeSpan.FromSeconds(parse.GetValue(timeout))));
            if (parse.GetValue(json)) Terminal.PrintJson(new { folder = target, downloaded = fetched, verified = true });
            else Console.WriteLine(fetched.Count == 0
                ? $"{target}: all four MNIST files already present and verified"
                : $"{target}: downloaded and verified {string.Join(", ", fetched)}");
            return 0;
        });
        return command;
    }

    private static Command Verify()
    {
        var folder = CommonOptions.Mnist();
        var json = CommonOptions.Json();
        var command = new Command("verify", "Check the four MNIST files against their published SHA-256.") { folder, json };
        command.SetAction(parse =>
        {
            string target = MnistDataset.Locate(parse.GetValue(folder));
            var rows = MnistDownloader.Verify(target);
            bool ok = rows.All(r => r.Ok);
            if (parse.GetValue(json))
                Terminal.PrintJson(new { folder = target, ok, files = rows.Select(r => new { file = r.File, status = r.Status }).ToArray() });
            else
                foreach (var row in rows) Console.WriteLine($"{row.File}: {row.Status}");
            if (!ok)
                throw new MbiException($"{target}: {rows.Count(r => !r.Ok)} of 4 MNIST files are missing or differ from the published SHA-256; run `mbi data download --mnist {target}`.");
            return 0;
        });
        return command;
    }
}
