using Mbi.CoSim.Reproduce;

namespace Mbi.Cli.Commands;

/// <summary>`mbi reproduce [--quick] --out DIR`: the paper's Fig. 3-6 and Table I from the shipped model, with DIR/README.md.</summary>
internal static class ReproduceCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Small sizes: finishes in about 5 minutes on 2 cores (the README says what was cut)." };
        var outDir = new Option<string>("--out") { Description = "Output folder (README.md, SVGs, CSVs).", Required = true };
        var model = CommonOptions.Model();
        var seed = CommonOptions.Seed();
        var mnist = CommonOptions.Mnist();
        var cache = new Option<string>("--cache") { Description = "Compact-model characterisation cache (default .build/cache).", DefaultValueFactory = _ => ".build/cache" };
        var workers = CommonOptions.Workers();
        var fresh = CommonOptions.Fresh("--out (fig6b-dies.journal)");
        var json = CommonOptions.Json();
        var design = new DesignOptions();
        var command = new Command("reproduce", "Regenerate the paper's Fig. 3-6 and Table I from the shipped model into a folder with a README.")
        {
            quick, outDir, model, seed, mnist, cache, workers, fresh, json,
        };
        design.AddTo(command);
        command.SetAction(parse =>
        {
            string folder = OutputPaths.Folder("--out", parse.GetValue(outDir), "runs/reproduce");
            var (hardware, stamp) = design.Resolve(parse);
            using var claim = OutputPaths.Lock("--out", folder);
            var settings = parse.GetValue(quick) ? ReproduceSettings.Quick : ReproduceSettings.Full;
            int w = CommonOptions.EffectiveWorkers(parse.GetValue(workers));
            Reproducer reproducer = null!;
            string readme = Terminal.WithProgress("reproduce", p =>
            {
                reproducer = new Reproducer(folder, settings, parse.GetValue(model)!, parse.GetValue(mnist), parse.GetValue(seed),
                    parse.GetValue(cache)!, w, p)
                {
                    // A terminal shows the progress bar; a log file (nohup, CI) gets one line per stage instead.
                    Log = Console.IsErrorRedirected ? Terminal.Note : null,
                    Fresh = parse.GetValue(fresh),
                    Design = hardware,
                    DesignSource = stamp.Source,
                };
                return reproducer.Run();
            });
            var result = new
            {
                readme,
                mode = settings.Name,
                wall_seconds = reproducer.WallSeconds,
                figures = reproducer.Figures.Select(f => new { figure = f.Figure, png = f.Png, csv = f.Csv }).ToList(),
                paper_vs_mbi = reproducer.Rows.Select(r => new { quantity = r.Quantity, paper = r.Paper, mbi = r.Mbi, note = r.Note }).ToList(),
                seed = parse.GetValue(seed),
                design = stamp,
            };
            if (parse.GetValue(json)) Terminal.PrintJson(result);
            else
            {
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0} ({1} mode, {2:F0} s)", readme, settings.Name, reproducer.WallSeconds));
                foreach (var r in reproducer.Rows) Console.WriteLine($"  {r.Quantity}: paper {r.Paper}; Mbi {r.Mbi}");
                Terminal.Note($"seed {parse.GetValue(seed)}");
            }
            return 0;
        });
        return command;
    }
}
