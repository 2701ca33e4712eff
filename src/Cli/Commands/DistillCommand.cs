using System.Diagnostics;
using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.CoSim.Reports;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi distill --model FILE --rows N --seed S --out FILE.lut`: runs the quantized RAM over the MNIST training
/// images (minus a held-out validation split) and stores the glimpse-step table (see <see cref="Distiller"/>).
/// </summary>
internal static class DistillCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var rows = CommonOptions.Count("--rows", "Row budget of the table: distinct keys beyond it are dropped by uniform random sampling", 1_000_000, 1);
        var outPath = new Option<string>("--out") { Description = "Where to write the lookup table (.lut).", Required = true };
        var validation = CommonOptions.Validation();
        var shiftDirections = CommonOptions.Count("--shift-directions", "With --shift-pixels: 4 (left, right, up, down) or 8 (also the diagonals)", 8, 4, 8);
        var shiftPixels = CommonOptions.Count("--shift-pixels", "Augmentation: also distil every image shifted by (dx, dy) for all |dx|, |dy| <= this many pixels (0 = originals only; 1 = 8 shifted copies)", 0, 0, 2);
        shiftDirections.Validators.Add(r => { int v = r.GetValueOrDefault<int>(); if (v != 4 && v != 8) r.AddError($"--shift-directions was {v}; it must be 4 or 8 (e.g. 8)."); });
        var seed = CommonOptions.Seed();
        var splitSeed = CommonOptions.SplitSeed();
        var json = CommonOptions.Json();
        var mnist = CommonOptions.Mnist();
        var command = new Command("distill", "Distill the trained RAM into a memorization lookup table (key = patch, hidden, location; value = next hidden, next location, class).")
        {
            model, rows, outPath, validation, shiftPixels, shiftDirections, seed, splitSeed, json, mnist,
        };
        command.SetAction(parse =>
        {
            ulong s = parse.GetValue(seed);
            string path = OutputPaths.File("--out", parse.GetValue(outPath), "out/ram-mbi.lut");
            var ram = QuantizedRamStepModel.Load(parse.GetValue(model)!);
            var train = ValidationSplit.Load(parse.GetValue(mnist), parse.GetValue(validation), parse.GetValue(splitSeed) ?? s).Train;
            var clock = Stopwatch.StartNew();
            int k = parse.GetValue(shiftPixels);
            var shifts = new List<(int, int)>();
            if (k > 0 && parse.GetValue(shiftDirections) == 4)
                shifts.AddRange([(-k, 0), (k, 0), (0, -k), (0, k)]);
            else
                for (int dy = -k; dy <= k; dy++)
                    for (int dx = -k; dx <= k; dx++)
                        if (dx != 0 || dy != 0) shifts.Add((dx, dy));
            var result = Terminal.WithProgress("distill", p => Distiller.Distill(ram, train, parse.GetValue(rows), s, Path.GetFileName(parse.GetValue(model)!), p, shifts));
            LutFile.Write(path, result.Table);
            var table = result.Table;
            var report = new
            {
                lut = path,
                rows = table.Rows,
                storage_bytes = table.StorageBytes,
                storage_megabytes = table.StorageBytes / 1e6,
                paper_storage_megabytes = PaperFigures.StorageMegabytes,
                file_bytes = new FileInfo(path).Length,
                key_bits = table.Layout.StoredKeyBits,
                value_bits = table.StoredValueBits,
                images = result.Images,
                rows_recorded = result.RowsRecorded,
                distinct_keys = result.DistinctKeys,
                provenance = table.Provenance,
                seconds = clock.Elapsed.TotalSeconds,
                seed = s,
                split_seed = parse.GetValue(splitSeed) ?? s,
            };
            if (parse.GetValue(json)) Terminal.PrintJson(report);
            else
            {
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                    "{0}: {1} rows x ({2} key + {3} value bits) = {4:N0} bytes ({5:F2} MB; paper {6:F2} MB)",
                    path, table.Rows, report.key_bits, report.value_bits, table.StorageBytes, report.storage_megabytes, PaperFigures.StorageMegabytes));
                Console.WriteLine($"  {table.Provenance}");
                Terminal.Note($"seed {s}");
            }
            return 0;
        });
        return command;
    }
}
