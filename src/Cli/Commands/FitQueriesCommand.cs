using System.Diagnostics;
using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Mnist;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi fit-queries --lut FILE --out FILE.fitq`: records the fit queries of the tree's query fill (issue #13 item 2): the
/// first --train-images training images of the split (never its validation images, never test), each shifted one pixel in four
/// or eight directions (twelve: also two pixels along the axes), or moved by the --moves list (shifts, rotations, scalings),
/// run through the lookup chain with exact search; every query is kept with its exact nearest rows
/// (<see cref="FitQueryRecorder"/>). Tree commands take the file (or several, comma-separated, as one recording: a longer
/// recording can be built in parts) as --query-fill.
/// </summary>
internal static class FitQueriesCommand
{
    public static Command Create()
    {
        var lut = CommonOptions.Lut();
        var outPath = new Option<string>("--out") { Description = "Where to write the fit queries (.fitq).", Required = true };
        var images = CommonOptions.Count("--train-images", "Training images to record, each moved as --shift-directions or --moves say (5 lookups per moved image)", 10000, 1, 55000);
        var validation = CommonOptions.Validation();
        var directions = CommonOptions.Count("--shift-directions", "Shifts of each image: 4 (one pixel +x -x +y -y), 8 (also the diagonals) or 12 (also two pixels along the axes)", 4, 4, 12);
        directions.Validators.Add(r => { int v = r.GetValueOrDefault<int>(); if (v != 4 && v != 8 && v != 12) r.AddError($"--shift-directions was {v}; it must be 4, 8 or 12 (e.g. 4)."); });
        var moves = new Option<string?>("--moves")
        {
            Description = $"Instead of --shift-directions, the moves of each image, in order, comma-separated: {FitMoves.Vocabulary} " +
                "(e.g. two-pixel,none to give beside an 8-direction file as --query-fill A.fitq,B.fitq).",
        };
        var splitSeed = CommonOptions.SplitSeed("Seed that drew the validation split whose training images are recorded (default 1, the split tune-mixed and infer --on validation use)");
        var metric = new Option<string?>("--metric") { Description = "Override the LUT's distance, as the tree command will (manhattan or hamming): the nearest rows depend on it." };
        var weights = new Option<string?>("--weights") { Description = "Override the LUT's distance weights a,b,c, as the tree command will." };
        var json = CommonOptions.Json();
        var mnist = CommonOptions.Mnist();
        var command = new Command("fit-queries", "Record realistic lookups (moved training images, exact nearest rows) for the tree's --query-fill.")
        {
            lut, outPath, images, directions, moves, validation, splitSeed, metric, weights, json, mnist,
        };
        command.SetAction(parse =>
        {
            int dirs = parse.GetValue(directions);
            string? moveList = parse.GetValue(moves);
            if (moveList is not null && parse.GetResult(directions) is { Implicit: false })
                throw BadInputException.For("--moves", moveList, "given without --shift-directions (both say how images move)", "--moves axes,diagonals");
            var chosen = moveList is null ? FitMoves.Directions(dirs) : FitMoves.Parse(moveList);
            string path = OutputPaths.File("--out", parse.GetValue(outPath), "out/mbi/fit.fitq");
            var m = parse.GetValue(metric) is string mt ? LookupOptions.ParseMetric(mt) : (Mbi.Algorithm.Memorization.Keys.KeyMetric?)null;
            var w = parse.GetValue(weights) is string wt ? LookupOptions.ParseWeights(wt) : (Mbi.Algorithm.Memorization.Keys.DistanceWeights?)null;
            var table = LutFile.Read(parse.GetValue(lut)!);
            if (m is not null || w is not null) table = table.With(w ?? table.Weights, m ?? table.Metric);
            int n = parse.GetValue(images);
            ulong split = parse.GetValue(splitSeed) ?? 1;
            var train = ValidationSplit.Load(parse.GetValue(mnist), parse.GetValue(validation), split).Train;
            if (n > train.Count)
                throw BadInputException.For("--train-images", n, $"at most the {train.Count} training images of the split", "10000");
            var clock = Stopwatch.StartNew();
            string how = moveList is null
                ? dirs switch
                {
                    12 => "shifted one pixel in 8 directions (+x -x +y -y and the diagonals) and two pixels along the axes",
                    8 => "shifted one pixel in 8 directions (+x -x +y -y and the diagonals)",
                    _ => "shifted one pixel +x -x +y -y",
                }
                : $"moved by {moveList} ({string.Join(" ", chosen)})";
            string provenance = string.Create(CultureInfo.InvariantCulture,
                $"fit queries of {Path.GetFileName(parse.GetValue(lut)!)} ({table.Rows} rows, {LookupOptions.MetricName(table.Metric)}, {table.Weights}): " +
                $"the first {n} training images of the validation split (seed {split}, {parse.GetValue(validation)} held out), each {how}, exact search, vote 1");
            var fit = Terminal.WithProgress("fit queries", p => FitQueryRecorder.Record(table, train.Take(n), provenance, chosen, p));
            fit.Write(path);
            var report = new
            {
                fit_queries = path,
                queries = fit.Count,
                train_images = n,
                moves = chosen.Count,
                move_list = chosen.Select(m => m.ToString()).ToArray(),
                split_seed = split,
                validation = parse.GetValue(validation),
                lut = parse.GetValue(lut),
                table_rows = table.Rows,
                metric = LookupOptions.MetricName(table.Metric),
                key_fingerprint = fit.KeyFingerprint,
                provenance,
                file_bytes = new FileInfo(path).Length,
                seconds = clock.Elapsed.TotalSeconds,
            };
            if (parse.GetValue(json)) Terminal.PrintJson(report);
            else
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path}: {fit.Count:N0} fit queries from {n:N0} training images x {chosen.Count} moves ({report.file_bytes:N0} bytes, {report.seconds:F0} s)"));
                Console.WriteLine($"  {provenance}");
            }
            return 0;
        });
        return command;
    }
}
