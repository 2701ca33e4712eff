using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Mbi.Algorithm.Ram;
using Mbi.Core.IO;
using NUnit.Framework;

namespace Mbi.Cli.Tests;

/// <summary>
/// Issue #12's bad-input suite, one row per kind of bad input and command: each runs the real entry point
/// (<see cref="MbiCli.Run"/>) in-process and must end before any work with the exit code of the policy
/// (<see cref="ExitCodes"/>: usage 2, bad input file 3), exactly one `mbi: error:` line on stderr that names the option
/// or field, the value and the fix, no stack trace, nothing on stdout, and no file in the fixture folder created,
/// changed or removed (the folder holds an existing Monte Carlo journal, models, configs and a locked folder).
/// Every row finishes in milliseconds: no MNIST, no training, no SPICE runs before the error.
/// </summary>
[TestFixture]
[NonParallelizable] // redirects the process-wide Console
public sealed class BadInputSuiteTests
{
    private string _dir = "";
    private IDisposable? _lock;

    [OneTimeSetUp]
    public void CreateFixtures()
    {
        _dir = Path.Combine(Path.GetTempPath(), $"mbi-badinput-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "afile"), "a plain file\n");
        File.WriteAllBytes(Path.Combine(_dir, "garbage.bin"), [.. Enumerable.Range(0, 300).Select(i => (byte)(i * 37))]);
        File.WriteAllText(Path.Combine(_dir, "garbage.json"), "{ this is not json");
        File.WriteAllText(Path.Combine(_dir, "bad-field.json"), "{\"format\": \"mbi-design\", \"version\": 1, \"array\": {\"bitline_capacitance_farads\": -1e-15}}");
        File.WriteAllText(Path.Combine(_dir, "bad-value-read.json"), "{\"format\": \"mbi-design\", \"version\": 1, \"value_read\": {\"word_line_seconds\": 0}}");
        // An earlier run's journal: a bad command line must leave it byte for byte.
        Directory.CreateDirectory(Path.Combine(_dir, "mc"));
        File.WriteAllText(Path.Combine(_dir, "mc", "dies.journal"), "MBI-MC-JOURNAL 1 0123456789abcdef\n");

        // A model the trainer could have written, but with NaN weights (written past Save's own check), and one with a
        // valid checksum whose configuration is for 9 x 9 images.
        var mnistSized = new RamConfig
        {
            PatchSize = 3, Scales = 2, ScaleFactor = 2, Glimpses = 3, GlimpseHidden = 7, LocationHidden = 5, GlimpseFeatures = 9,
            Hidden = 6, ExtraCoreLayers = 1, PolicySigma = 0.2f,
        };
        var diverged = RamModel.Initialize(mnistSized, 1);
        diverged.Parameters.AsSpan(0, diverged.Parameters.Length / 2).Fill(float.NaN);
        ChecksummedFile.Write(Path.Combine(_dir, "nan.ram"), RamModel.Magic, diverged.FormatVersion, diverged.ToBytes());
        RamModel.Initialize(mnistSized with { ImageSize = 9, Classes = 3 }, 1).Save(Path.Combine(_dir, "size9.ram"));
        RamModel.Initialize(mnistSized with { ExtraCoreLayers = 0 }, 1).Save(Path.Combine(_dir, "one-layer.ram"));

        // Energy and CIM-macro files, each with one crafted field (the rest as shipped).
        string energy = File.ReadAllText(Mbi.CoSim.Energy.EnergyConfig.Locate(null));
        string macros = File.ReadAllText(Mbi.CoSim.Energy.TableOne.DefaultMacrosPath);
        Crafted("energy-quoted", Edit(energy, j => j["adc"]!["ns_per_bit_cycle"] = "1.0"), macros);
        Crafted("energy-negative", Edit(energy, j => j["adc"]!["fit_22nm_lp_a_microwatts"] = -0.5), macros);
        Crafted("macros-tops", energy, Edit(macros, j => FirstCandidateWithTops(j)["tops_per_watt"] = new JsonArray(5)));
        Crafted("macros-quoted", energy, Edit(macros, j => j["macros"]![0]!["energy_per_inference_joules"] = "1.009e-07"));
        Crafted("macros-negative", energy, Edit(macros, j => j["macros"]![0]!["energy_per_inference_joules"] = -1e-7));

        Directory.CreateDirectory(Path.Combine(_dir, "busy"));
        _lock = OutputPaths.Lock("--out", Path.Combine(_dir, "busy"));
    }

    [OneTimeTearDown]
    public void DeleteFixtures()
    {
        _lock?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private void Crafted(string name, string energy, string macros)
    {
        Directory.CreateDirectory(Path.Combine(_dir, name));
        File.WriteAllText(Path.Combine(_dir, name, "energy.json"), energy);
        File.WriteAllText(Path.Combine(_dir, name, "cim-macros.json"), macros);
    }

    private static string Edit(string json, Action<JsonNode> change)
    {
        var node = JsonNode.Parse(json)!;
        change(node);
        return node.ToJsonString();
    }

    private static JsonNode FirstCandidateWithTops(JsonNode macros) =>
        macros["macros"]!.AsArray().SelectMany(m => m!["candidates"]?.AsArray() ?? []).First(c => c!["tops_per_watt"] is not null)!;

    private const int Usage = ExitCodes.Usage, BadFile = ExitCodes.BadInputFile;

    // command line ({d} = the fixture folder, <empty> = an empty argument), exit code, words the one error line must hold.
    private static readonly object[][] Cases =
    [
        // mc: counts, reals, design fields, paths
        ["mc --samples abc", Usage, new[] { "--samples was 'abc'", "whole number", "e.g. 200" }],
        ["mc --samples 1.5", Usage, new[] { "--samples was '1.5'", "whole number" }],
        ["mc --samples 99999999999", Usage, new[] { "--samples was 99999999999", "between 1 and 1000000" }],
        ["mc --samples 0", Usage, new[] { "--samples was 0", "between 1 and 1000000" }],
        ["mc --seed -1", Usage, new[] { "--seed was -1", ">= 0" }],
        ["mc --workers -1", Usage, new[] { "--workers was -1", "between 0 and 256" }],
        ["mc --sigma-vth -5mV", Usage, new[] { "--sigma-vth was -5mV", "60mV" }],
        ["mc --sigma-vth NaN", Usage, new[] { "--sigma-vth was 'NaN'", "60m, 60mV" }],
        ["mc --sigma-vth 1V", Usage, new[] { "--sigma-vth was 1V", "between 0 V and 500 mV" }],
        ["mc --vdd 1.5", Usage, new[] { "--vdd was 1.50 V", "between 500 mV and 1.20 V" }],
        ["mc --vdd Infinity", Usage, new[] { "--vdd was 'Infinity'", "60m, 60mV" }],
        ["mc --temp 200C", Usage, new[] { "--temp was 200 C", "between -55 C and 150 C" }],
        ["mc --eval-window 0", Usage, new[] { "--eval-window was 0 s", "e.g. 3ns" }],
        ["mc --columns 33", Usage, new[] { "--columns was 33", "even" }],
        ["mc --adc-bits 0", Usage, new[] { "--adc-bits was 0", "e.g." }],
        ["mc --corner XX", Usage, new[] { "--corner was XX", "TT, FF, SS, FS, SF" }],
        ["mc --row-select 10t", Usage, new[] { "--row-select was '10t'", "row-gated, source-line-high" }],
        ["mc --nmos-model nch", Usage, new[] { "--nmos-model was nch", "--model-card" }],
        ["mc --pelgrom-avt 20", Usage, new[] { "--pelgrom-avt was 20 mV.um", "<= 10 mV.um" }],
        ["mc --model-card {d}/no-such.lib", Usage, new[] { "no-such.lib" }],
        ["mc --design {d}/no-such.json", Usage, new[] { "no-such.json" }],
        ["mc --design {d}/garbage.json", BadFile, new[] { "garbage.json" }],
        ["mc --no-such-flag 3", Usage, new[] { "--no-such-flag" }],
        // output paths: empty, an existing file, a parent that is a file, a read-only file system, a folder in use
        ["mc --out <empty>", Usage, new[] { "--out was empty", "a folder path", "e.g. runs/mc" }],
        ["mc --out {d}/afile", Usage, new[] { "--out was", "afile", "a folder, not an existing file" }],
        ["mc --out {d}/afile/sub", Usage, new[] { "--out was", "afile is a file" }],
        ["mc --out /proc/mbi-out", Usage, new[] { "--out was /proc/mbi-out", "not writable" }],
        ["mc --out {d}/busy", Usage, new[] { "--out was", "busy", "no other mbi run is writing", "busy-2" }],
        ["mc --save-decks {d}/afile", Usage, new[] { "--save-decks was", "a folder, not an existing file" }],
        // sweep
        ["sweep --samples 2", Usage, new[] { "--vary" }],
        ["sweep --vary foo=1,2", Usage, new[] { "--vary was foo=1,2", "NAME=v1,v2" }],
        ["sweep --vary eval-window=3ns,0", Usage, new[] { "--eval-window was 0 s", "e.g. 3ns" }],
        ["sweep --vary sigma-vth=NaN", Usage, new[] { "--vary sigma-vth was 'NaN'", "60m, 60mV" }],
        ["sweep --vary adc-bits=4.5", Usage, new[] { "--vary adc-bits was 4.5", "whole numbers" }],
        ["sweep --vary corner=TT --vary corner=SS", Usage, new[] { "--vary was corner twice", "two different parameters" }],
        ["sweep --vary vdd=0.8V --out {d}/afile", Usage, new[] { "--out was", "a folder, not an existing file" }],
        ["sweep --vary vdd=0.8V --out {d}/busy", Usage, new[] { "--out was", "no other mbi run is writing" }],
        // cosim, energy, table1: options, and energy/CIM-macro files with one crafted field
        ["cosim --dies 0", Usage, new[] { "--dies was 0", "between 1 and 100000" }],
        ["cosim --passes 0", Usage, new[] { "--passes was 0", "between 1 and 13" }],
        ["cosim --stop-margin 0.4", Usage, new[] { "--stop-margin was 0.4", "--passes M > 1" }],
        ["cosim --stop-distance 3", Usage, new[] { "--stop-distance was 3", "--passes M > 1" }],
        ["cosim --vote 0", Usage, new[] { "--vote was 0" }],
        ["cosim --threshold NaN", Usage, new[] { "--threshold was 'NaN'", "plain number" }],
        ["cosim --coding gray", Usage, new[] { "--coding was gray", "binary or thermometer" }],
        ["cosim --coding thermometer", Usage, new[] { "--coding was thermometer", "--codings thermometer" }],
        ["cosim --samples 0", Usage, new[] { "--samples was 0", "between 1 and 100000" }],
        ["mc --dies abc", Usage, new[] { "--dies was 'abc'", "whole number" }],
        ["cosim --codings binary,gray", Usage, new[] { "--codings was gray", "binary or thermometer" }],
        ["cosim --weights 1,NaN,1", Usage, new[] { "--weights was 1,NaN,1", "three numbers" }],
        ["cosim --out {d}/afile", Usage, new[] { "--out was", "a folder, not an existing file" }],
        // cosim --gate FILE (the learned gate on every die): infer's refusals, before the table, MNIST or the arrays are touched
        ["cosim --gate {d}/g.json", Usage, new[] { "--gate was", "given with --threshold", "e.g. --gate" }],
        ["cosim --threshold -1", Usage, new[] { "--threshold was -1", ">= 0", "with --gate FILE", "e.g. 5" }],
        ["cosim --gate {d}/g.json --threshold -2.6", Usage, new[] { "--vote was 1", "> 1 for the learned gate", "e.g. 5" }],
        ["cosim --gate {d}/g.json --threshold -2.6 --vote 5 --passes 3", Usage, new[] { "--passes was 3", "1 with --gate", "as `infer --gate` does" }],
        ["cosim --gate {d}/g.json --threshold -2.6 --vote 5", Usage, new[] { "--gate was", "given with --lut", "tune-mixed's --out-lut" }],
        ["cosim --fallback-check", Usage, new[] { "--fallback-check was given without --gate", "--gate FILE and --threshold" }],
        ["cosim --lut {d}/x.lut --gate {d}/g.json --threshold -2.6 --vote 5 --fallback-check --fallback-model {d}/m.ram", Usage, new[] { "--fallback-model was", "m.ram", "left out with --fallback-check" }],
        ["cosim --lut {d}/x.lut --gate {d}/no-such.json --threshold -2.6 --vote 5", Usage, new[] { "no-such.json", "does not exist", "mbi tune-mixed --gate learned" }],
        ["cosim --lut {d}/x.lut --gate {d}/garbage.json --threshold -2.6 --vote 5", BadFile, new[] { "garbage.json", "not a learned-gate JSON file" }],
        ["cosim --threshold 5 --fallback-model {d}/no-such.ram", Usage, new[] { "no-such.ram", "does not exist", "mbi train" }],
        ["cosim --threshold 5 --fallback-model {d}/nan.ram", BadFile, new[] { "nan.ram", "weights are NaN or infinite" }],
        ["cosim --energy-config {d}/energy-quoted/energy.json", BadFile, new[] { "energy.json", "'ns_per_bit_cycle' is \"1.0\"", "without quotes" }],
        ["cosim --energy-config {d}/no-such.json", Usage, new[] { "--energy-config was", "no-such.json", "an existing JSON file" }],
        ["energy --adc flash", Usage, new[] { "--adc was 'flash'", "spice, neurosim or survey" }],
        ["energy --passes 14", Usage, new[] { "--passes was 14", "between 1 and 13" }],
        ["energy --rows 20k", Usage, new[] { "--rows was '20k'", "written out in digits" }],
        ["energy --energy-config {d}/energy-negative/energy.json", BadFile, new[] { "fit_22nm_lp_a_microwatts", "-0.5", ">= 0" }],
        ["energy --save-decks {d}/afile/decks", Usage, new[] { "--save-decks was", "afile is a file" }],
        ["energy --adc-bits 3", Usage, new[] { "--adc-bits was 3", "it must be 5 here", "cosim takes any resolution" }],
        ["table1 --adc-bits 8", Usage, new[] { "--adc-bits was 8", "it must be 5 here" }],
        ["table1 --threshold -1", Usage, new[] { "--threshold was -1", ">= 0" }],
        ["table1 --energy-config {d}/macros-tops/energy.json", BadFile, new[] { "cim-macros.json", "tops_per_watt is [5]", "[worst, best]" }],
        ["table1 --energy-config {d}/macros-quoted/energy.json", BadFile, new[] { "cim-macros.json", "energy_per_inference_joules is \"1.009e-07\"", "without quotes" }],
        ["table1 --energy-config {d}/macros-negative/energy.json", BadFile, new[] { "cim-macros.json", "energy_per_inference_joules is -1E-07", ">= 0" }],
        // infer, sweep-threshold, search-quality, tune-*: reals, files, paths
        ["infer --lut {d}/x.lut --threshold NaN", Usage, new[] { "--threshold was 'NaN'", "finite number >= 0", "e.g. 5" }],
        ["infer --lut {d}/x.lut --threshold -Infinity", Usage, new[] { "--threshold was '-Infinity'", "finite number" }],
        ["infer --images 5", Usage, new[] { "--lut" }],
        ["infer --lut {d}/x.lut --images 0", Usage, new[] { "--images was 0", "between 1 and 10000" }],
        ["infer --lut {d}/x.lut --passes 0", Usage, new[] { "--passes was 0", "between 1 and 13" }],
        ["infer --lut {d}/x.lut --stop-distance 3", Usage, new[] { "--stop-distance was 3", "--passes M > 1" }],
        ["infer --lut {d}/x.lut --passes 13 --stop-distance -1", Usage, new[] { "--stop-distance was -1" }],
        ["energy --stop-distance 3.5", Usage, new[] { "--stop-distance was 3.5", "--passes M > 1" }],
        ["infer --lut {d}/x.lut --on train", Usage, new[] { "--on was train", "test or validation" }],
        ["infer --lut {d}/x.lut --stop-margin 0.4", Usage, new[] { "--stop-margin was 0.4", "--passes M > 1", "--passes 13 --stop-margin 0.4" }],
        ["infer --lut {d}/x.lut --passes 13 --stop-margin -0.5", Usage, new[] { "--stop-margin was -0.5" }],
        ["infer --lut {d}/x.lut --passes 13 --stop-margin wide", Usage, new[] { "--stop-margin was 'wide'" }],
        ["energy --stop-margin 0.4", Usage, new[] { "--stop-margin was 0.4", "--passes M > 1" }],
        ["infer --lut {d}/x.lut --passes 5 --threshold 5", Usage, new[] { "--passes was 5", "1 with --threshold", "lookup-only" }],
        ["infer --lut {d}/no-such.lut", Usage, new[] { "no-such.lut", "does not exist", "mbi distill" }],
        ["infer --lut {d}/garbage.bin", BadFile, new[] { "garbage.bin", "not a" }],
        ["infer --lut {d}/x.lut --search bfs", Usage, new[] { "--search was bfs", "tree or brute" }],
        ["infer --lut {d}/x.lut --query-fill {d}/garbage.bin", Usage, new[] { "--query-fill was", "--leaf-size below 32", "--leaf-size 16 --query-fill" }],
        ["infer --lut {d}/x.lut --leaf-size 16 --query-fill {d}/no-such.fitq", Usage, new[] { "no-such.fitq", "does not exist", "mbi fit-queries" }],
        ["infer --lut {d}/x.lut --leaf-size 16 --query-fill {d}/garbage.bin", BadFile, new[] { "garbage.bin", "not a fit queries file", "mbi fit-queries" }],
        ["energy --lut {d}/x.lut --leaf-size 16 --query-fill {d}/garbage.bin", BadFile, new[] { "garbage.bin", "not a fit queries file" }],
        ["search-quality --lut {d}/x.lut --on train", Usage, new[] { "--on was train", "test or validation" }],
        ["fit-queries --lut {d}/x.lut --out {d}/f.fitq --train-images 0", Usage, new[] { "--train-images was 0", "between 1 and 55000" }],
        ["fit-queries --lut {d}/no-such.lut --out {d}/f.fitq", Usage, new[] { "no-such.lut", "does not exist" }],
        ["fit-queries --lut {d}/x.lut --out {d}/f.fitq --metric cosine", Usage, new[] { "--metric was cosine", "manhattan or hamming" }],
        ["fit-queries --lut {d}/x.lut --out {d}/f.fitq --shift-directions 6", Usage, new[] { "--shift-directions was 6", "4, 8 or 12" }],
        ["fit-queries --lut {d}/x.lut --out {d}/f.fitq --shift-directions 8 --moves two-pixel", Usage, new[] { "--moves was two-pixel", "without --shift-directions" }],
        ["fit-queries --lut {d}/x.lut --out {d}/f.fitq --moves rotate:60", Usage, new[] { "--moves was rotate:60", "rotate:DEG", "'rotate:60' is not one" }],
        ["fit-queries --lut {d}/x.lut --out {d}/f.fitq --moves axes,axes", Usage, new[] { "--moves was axes,axes", "named twice" }],
        ["infer --lut {d}/x.lut --leaf-size 16 --query-fill {d}/a.fitq,", Usage, new[] { "--query-fill was", "several separated by commas" }],
        ["tune-mixed --lut {d}/x.lut --leaf-size 16 --query-fill {d}/f.fitq", Usage, new[] { "--query-fill was", "left out of tune-mixed", "mbi fit-queries --lut TUNED.lut" }],
        ["infer --lut {d}/x.lut --metric cosine", Usage, new[] { "--metric was cosine", "manhattan or hamming" }],
        ["infer --lut {d}/x.lut --weights 1,2", Usage, new[] { "--weights was 1,2", "three numbers" }],
        ["infer --lut {d}/x.lut --weights 0,0,0", Usage, new[] { "--weights was 0,0,0", "not all zero" }],
        ["infer --lut {d}/x.lut --threshold 5 --model {d}/nan.ram", BadFile, new[] { "nan.ram", "weights are NaN or infinite", "mbi train" }],
        ["sweep-threshold --lut {d}/x.lut --from NaN", Usage, new[] { "--from was 'NaN'", "finite number" }],
        ["sweep-threshold --lut {d}/x.lut --to Infinity", Usage, new[] { "--to was 'Infinity'", "finite number" }],
        ["sweep-threshold --lut {d}/x.lut --step 0", Usage, new[] { "--step was 0", "> 0" }],
        ["sweep-threshold --lut {d}/x.lut --step 1e-9", Usage, new[] { "--step was 1E-09", "at most 100000 thresholds" }],
        ["sweep-threshold --lut {d}/x.lut --from 2 --to 1", Usage, new[] { "--to was 1", ">= --from (2)" }],
        ["sweep-threshold --lut {d}/x.lut --out {d}/afile", Usage, new[] { "--out was", "a folder, not an existing file" }],
        ["sweep-threshold --lut {d}/x.lut --split train", Usage, new[] { "--split was train", "test or validation" }],
        ["sweep-threshold --lut {d}/x.lut --target 0", Usage, new[] { "--target was 0", "in (0, 1]" }],
        ["infer --lut {d}/x.lut --vote 0", Usage, new[] { "--vote was 0", "between 1 and 32" }],
        ["infer --lut {d}/x.lut --fallback-check", Usage, new[] { "--fallback-check was given without --gate", "--gate FILE and --threshold" }],
        ["infer --lut {d}/x.lut --threshold -1 --gate {d}/g.json --fallback-check --fallback-model {d}/m.ram", Usage, new[] { "--fallback-model was", "m.ram", "left out with --fallback-check" }],
        ["tune-mixed --lut {d}/x.lut --vote 33", Usage, new[] { "--vote was 33", "between 1 and 32" }],
        ["energy --vote 0", Usage, new[] { "--vote was 0", "between 1 and 32" }],
        ["energy --vote 5 --agreement-weight -1", Usage, new[] { "--agreement-weight was -1", "between 0 and 1000000", "e.g. 20" }],
        ["energy --agreement-weight 20", Usage, new[] { "--agreement-weight was 20", "0 with --vote 1", "e.g. --vote 5 --agreement-weight 20" }],
        ["infer --lut {d}/x.lut --threshold 5 --agreement-weight -1", Usage, new[] { "--agreement-weight was -1", "between 0 and 1000000", "e.g. 20" }],
        ["infer --lut {d}/x.lut --agreement-weight 20", Usage, new[] { "--agreement-weight was 20", "given with --threshold", "e.g. --threshold 5 --agreement-weight 20" }],
        ["sweep-threshold --lut {d}/x.lut --agreement-weight NaN", Usage, new[] { "--agreement-weight was 'NaN'", "finite number" }],
        ["tune-mixed --lut {d}/x.lut --agreement-weight ten", Usage, new[] { "--agreement-weight was 'ten'", "finite number", "e.g. 20" }],
        ["train --augment-rotate 90 --out {d}/m.ram", Usage, new[] { "--augment-rotate was 90", "e.g." }],
        ["train --reward accuracy --out {d}/m.ram", Usage, new[] { "--reward was 'accuracy'", "correct, probability" }],
        ["train --preset reference --hidden-gradient triangle --out {d}/m.ram", Usage, new[] { "--hidden-gradient was triangle", "box unless the hidden state is 1 bit (it is full precision)", "--hidden-bits 1" }],
        ["train --preset reference --hidden-flip 0.1 --out {d}/m.ram", Usage, new[] { "--hidden-flip was 0.1", "unless the hidden state is 1 bit" }],
        ["train --hidden-gradient smooth --out {d}/m.ram", Usage, new[] { "--hidden-gradient was 'smooth'", "box, triangle" }],
        ["train --patch-pool 9 --out {d}/m.ram", Usage, new[] { "--patch-pool was 9", "between 1 and 8", "e.g. 2" }],
        ["train --coarse-gain 9 --out {d}/m.ram", Usage, new[] { "--coarse-gain was 9", "between 1 and 8", "e.g. 2" }],
        ["train --augment-elastic 200 --out {d}/m.ram", Usage, new[] { "--augment-elastic was 200", "e.g." }],
        ["train --augment-elastic 20 --elastic-sigma 0 --out {d}/m.ram", Usage, new[] { "--elastic-sigma was 0", "e.g." }],
        ["train --elastic-sigma 6 --out {d}/m.ram", Usage, new[] { "--elastic-sigma was 6", "unless --augment-elastic", "e.g. --augment-elastic 12" }],
        ["train --teacher models/ram-mbi.ram,,models/ram-mbi.ram --out {d}/m.ram", Usage, new[] { "--teacher was", "comma-separated" }],
        ["train --teacher models/ram-mbi.ram --teacher-passes 14 --out {d}/m.ram", Usage, new[] { "--teacher-passes was 14", "between 1 and 13" }],
        ["sweep-threshold --lut {d}/x.lut --split-seed -1", Usage, new[] { "--split-seed was -1" }],
        ["search-quality --lut {d}/x.lut --leaf-sizes 0,8", Usage, new[] { "--leaf-sizes was 0,8", "whole numbers >= 1" }],
        ["search-quality --lut {d}/x.lut --out {d}/afile/out", Usage, new[] { "--out was", "afile is a file" }],
        ["tune-distance --lut {d}/x.lut --budget 1", Usage, new[] { "--budget was 1", "between 2 and 500" }],
        ["tune-distance --lut {d}/x.lut --out-lut {d}", Usage, new[] { "--out-lut was", "a file name, not a folder" }],
        ["tune-mixed --lut {d}/x.lut --target 1.5", Usage, new[] { "--target was 1.5", "between 0 and 1" }],
        ["tune-mixed --lut {d}/x.lut --target NaN", Usage, new[] { "--target was 'NaN'", "finite number" }],
        // the learned gate (tune-mixed --gate learned, infer --gate FILE)
        ["tune-mixed --lut {d}/x.lut --gate best", Usage, new[] { "--gate was best", "agreement or learned", "e.g. learned" }],
        ["tune-mixed --lut {d}/x.lut --gate learned", Usage, new[] { "--vote was 1", "> 1 for the learned gate", "e.g. 5" }],
        ["tune-mixed --lut {d}/x.lut --gate learned --vote 5 --agreement-weight 20", Usage, new[] { "--agreement-weight was 20", "left out with --gate learned" }],
        ["tune-mixed --lut {d}/x.lut --out-gate {d}/g.json", Usage, new[] { "--out-gate was", "given with --gate learned" }],
        ["tune-mixed --lut {d}/x.lut --gate-threshold cross-fitted", Usage, new[] { "--gate-threshold was cross-fitted", "given with --gate learned" }],
        ["tune-mixed --lut {d}/x.lut --gate learned --vote 5 --gate-threshold held-out", Usage, new[] { "--gate-threshold was held-out", "in-sample or cross-fitted" }],
        ["tune-mixed --lut {d}/x.lut --gate-check linear", Usage, new[] { "--gate-check was linear", "given with --gate learned" }],
        ["tune-mixed --lut {d}/x.lut --gate learned --vote 5 --gate-check mlp", Usage, new[] { "--gate-check was mlp", "none or linear" }],
        ["tune-mixed --lut {d}/x.lut --fallback-check", Usage, new[] { "--fallback-check was given without --gate-check linear", "--gate learned --gate-check linear" }],
        ["tune-mixed --lut {d}/x.lut --gate learned --vote 5 --gate-check linear --fallback-check --fallback-model {d}/m.ram", Usage, new[] { "--fallback-model was", "m.ram", "left out with --fallback-check" }],
        ["tune-mixed --lut {d}/x.lut --gate-target no-loss", Usage, new[] { "--gate-target was no-loss", "given with --gate learned" }],
        ["tune-mixed --lut {d}/x.lut --gate learned --vote 5 --gate-target best", Usage, new[] { "--gate-target was best", "lookup-right or no-loss" }],
        ["tune-mixed --lut {d}/x.lut --gate learned --vote 5 --out-gate {d}", Usage, new[] { "--out-gate was", "a file name, not a folder" }],
        ["energy --gate learned", Usage, new[] { "--vote was 1", "> 1 with --gate learned", "e.g. --vote 5 --gate learned" }],
        ["energy --gate-check linear", Usage, new[] { "--gate-check was linear", "given with --gate learned" }],
        ["energy --gate learned --vote 5 --gate-check mlp", Usage, new[] { "--gate-check was mlp", "none or linear" }],
        ["energy --gate learned --vote 5 --check-weight-bits 8", Usage, new[] { "--check-weight-bits was 8", "given with --gate-check linear" }],
        ["energy --gate learned --vote 5 --gate-check linear --check-weight-bits 4", Usage, new[] { "--check-weight-bits was 4", "8 (int8 fixed point) or 32 (float32)" }],
        ["tune-mixed --lut {d}/x.lut --gate learned --vote 5 --check-weight-bits 8", Usage, new[] { "--check-weight-bits was 8", "given with --gate-check linear" }],
        ["tune-mixed --lut {d}/x.lut --gate learned --vote 5 --gate-check linear --check-weight-bits int8", Usage, new[] { "--check-weight-bits was int8", "8 (int8 fixed point) or 32 (float32)", "e.g. 8" }],
        ["tune-mixed --lut {d}/x.lut --gate-bits 8", Usage, new[] { "--gate-bits was 8", "given with --gate learned" }],
        ["tune-mixed --lut {d}/x.lut --gate learned --vote 5 --gate-bits 16", Usage, new[] { "--gate-bits was 16", "8 (fixed point) or 64 (double)", "e.g. 8" }],
        ["energy --gate learned --vote 5 --agreement-weight 20", Usage, new[] { "--agreement-weight was 20", "left out with --gate learned" }],
        ["infer --lut {d}/x.lut --gate {d}/g.json", Usage, new[] { "--gate was", "given with --threshold" }],
        ["infer --lut {d}/x.lut --gate {d}/g.json --threshold -2.6 --agreement-weight 20", Usage, new[] { "--agreement-weight was 20", "left out with --gate" }],
        ["infer --lut {d}/x.lut --gate {d}/g.json --threshold -2.6", Usage, new[] { "--vote was 1", "> 1 for the learned gate", "e.g. 5" }],
        ["infer --lut {d}/x.lut --threshold -2.6", Usage, new[] { "--threshold was -2.6", ">= 0", "with --gate FILE" }],
        ["infer --lut {d}/x.lut --gate {d}/no-such.json --threshold -2.6 --vote 5", Usage, new[] { "no-such.json", "does not exist", "mbi tune-mixed --gate learned" }],
        ["infer --lut {d}/x.lut --gate {d}/garbage.json --threshold -2.6 --vote 5", BadFile, new[] { "garbage.json", "not a learned-gate JSON file", "mbi tune-mixed --gate learned" }],
        ["infer --lut {d}/x.lut --gate {d}/bad-field.json --threshold -2.6 --vote 5", BadFile, new[] { "bad-field.json", "format is \"mbi-design\"", "mbi tune-mixed --gate learned" }],
        // --fallback-model FILE (infer, sweep-threshold, tune-mixed): read before the table; missing, damaged, not for MNIST's classes and size
        ["infer --lut {d}/x.lut --fallback-model {d}/nan.ram", Usage, new[] { "--fallback-model was", "given with --threshold", "e.g. --threshold 5 --fallback-model" }],
        ["infer --lut {d}/x.lut --threshold 5 --fallback-model {d}/no-such.ram", Usage, new[] { "no-such.ram", "does not exist", "mbi train" }],
        ["infer --lut {d}/x.lut --threshold 5 --fallback-model {d}/garbage.bin", BadFile, new[] { "garbage.bin", "not a RAM model file" }],
        ["infer --lut {d}/x.lut --threshold 5 --fallback-model {d}/size9.ram", BadFile, new[] { "size9.ram", "9 x 9 images and 3 classes", "28 x 28" }],
        ["sweep-threshold --lut {d}/x.lut --fallback-model {d}/nan.ram", BadFile, new[] { "nan.ram", "weights are NaN or infinite", "mbi train" }],
        ["sweep-threshold --lut {d}/x.lut --fallback-model {d}/size9.ram", BadFile, new[] { "size9.ram", "9 x 9 images and 3 classes" }],
        ["tune-mixed --lut {d}/x.lut --fallback-model {d}/no-such.ram", Usage, new[] { "no-such.ram", "does not exist", "mbi train" }],
        ["tune-mixed --lut {d}/x.lut --fallback-model {d}/size9.ram", BadFile, new[] { "size9.ram", "9 x 9 images and 3 classes", "28 x 28" }],
        // sweep-threshold --gate FILE: infer's refusals; negative --from/--to only with a gate
        ["sweep-threshold --lut {d}/x.lut --from -1", Usage, new[] { "--from was -1", "it must be >= 0", "e.g. 0" }],
        ["sweep-threshold --lut {d}/x.lut --to -1", Usage, new[] { "--to was -1", "it must be >= 0", "e.g. 10" }],
        ["sweep-threshold --lut {d}/x.lut --gate {d}/g.json --from -6 --to -7", Usage, new[] { "--to was -7", ">= --from (-6)" }],
        ["sweep-threshold --lut {d}/x.lut --gate {d}/g.json --from -6 --agreement-weight 20", Usage, new[] { "--agreement-weight was 20", "left out with --gate" }],
        ["sweep-threshold --lut {d}/x.lut --gate {d}/g.json --from -6", Usage, new[] { "--vote was 1", "> 1 for the learned gate", "e.g. 5" }],
        ["sweep-threshold --lut {d}/x.lut --gate {d}/g.json --from -6 --vote 5 --search bfs", Usage, new[] { "--search was bfs", "tree or brute" }],
        ["sweep-threshold --lut {d}/x.lut --gate {d}/no-such.json --from -6 --vote 5", Usage, new[] { "no-such.json", "does not exist", "mbi tune-mixed --gate learned" }],
        ["sweep-threshold --lut {d}/x.lut --gate {d}/garbage.json --from -6 --vote 5", BadFile, new[] { "garbage.json", "not a learned-gate JSON file", "mbi tune-mixed --gate learned" }],
        ["sweep-threshold --lut {d}/x.lut --gate {d}/bad-field.json --from -6 --vote 5", BadFile, new[] { "bad-field.json", "format is \"mbi-design\"", "mbi tune-mixed --gate learned" }],
        // eval, distill, train, sweep-ram: model files and training options
        ["eval --model {d}/nan.ram", BadFile, new[] { "nan.ram", "weights are NaN or infinite" }],
        ["eval --model {d}/size9.ram", BadFile, new[] { "size9.ram", "9 x 9 images", "28 x 28" }],
        ["eval --model {d}/no-such.ram", Usage, new[] { "no-such.ram", "does not exist", "mbi train" }],
        ["eval --model {d}/garbage.bin", BadFile, new[] { "garbage.bin", "not a RAM model file" }],
        ["eval --model {d}/garbage.bin --on train", Usage, new[] { "--on was train", "test or validation" }],
        ["eval --model {d}/garbage.bin --passes 0", Usage, new[] { "--passes was 0", "between 1 and 13" }],
        ["eval --model {d}/garbage.bin --passes 20", Usage, new[] { "--passes was 20", "between 1 and 13" }],
        ["eval --model {d}/garbage.bin --passes five", Usage, new[] { "--passes was 'five'" }],
        ["eval --model {d}/garbage.bin --stop-confidence 0.9", Usage, new[] { "--stop-confidence was 0.9", "--passes M > 1", "--passes 5 --stop-confidence 0.9" }],
        ["eval --model {d}/garbage.bin --passes 5 --stop-confidence 1.5", Usage, new[] { "--stop-confidence was 1.5", "between 0 and 1" }],
        ["eval --model {d}/garbage.bin --passes 5 --stop-confidence high", Usage, new[] { "--stop-confidence was 'high'" }],
        // mbi soup: at least two models, each a good file; --out a writable file
        ["soup --models {d}/nan.ram --out {d}/s.ram", Usage, new[] { "--models was", "two or more RAM files" }],
        ["soup --models {d}/nan.ram,,{d}/nan.ram --out {d}/s.ram", Usage, new[] { "--models was", "none empty" }],
        ["soup --models {d}/nan.ram,{d}/size9.ram --out {d}/s.ram", BadFile, new[] { "nan.ram", "weights are NaN or infinite" }],
        ["soup --models {d}/size9.ram,{d}/size9.ram --out {d}", Usage, new[] { "--out was", "a file name, not a folder" }],
        ["distill --model {d}/nan.ram --out {d}/new.lut", BadFile, new[] { "nan.ram", "weights are NaN or infinite" }],
        ["distill --out {d}", Usage, new[] { "--out was", "a file name, not a folder" }],
        ["distill --out <empty>", Usage, new[] { "--out was empty", "a file path" }],
        ["distill --out {d}/x.lut --rows 0", Usage, new[] { "--rows was 0", ">= 1" }],
        ["distill --out {d}/x.lut --shift-directions 5", Usage, new[] { "--shift-directions was 5", "4 or 8" }],
        ["train --out {d}/m.ram --lr NaN", Usage, new[] { "--lr was 'NaN'", "finite number", "e.g. 0.002" }],
        ["train --out {d}/m.ram --lr 1", Usage, new[] { "--lr was 1", "in (0, 1)" }],
        ["train --out {d}/m.ram --lr 1e39", Usage, new[] { "--lr was '1e39'", "finite number" }],
        ["train --out {d}/m.ram --lr-decay 0", Usage, new[] { "--lr-decay was 0", "in (0, 1]" }],
        ["train --out {d}/m.ram --reinforce-weight -1", Usage, new[] { "--reinforce-weight was -1", ">= 0" }],
        ["train --out {d}/m.ram --epochs 0", Usage, new[] { "--epochs was 0", "between 1 and 10000" }],
        ["train --out {d}/m.ram --widen-core 512", Usage, new[] { "--widen-core 512", "--init MODEL", "--core-width 512" }],
        ["train --out {d}/m.ram --init {d}/one-layer.ram --widen-core 10", Usage, new[] { "--widen-core was 10", "between 12" }],
        ["train --out {d}/m.ram --init {d}/nan.ram --widen-core 64", BadFile, new[] { "nan.ram", "weights are NaN or infinite" }],
        ["train --out {d}/m.ram --core-width 512", Usage, new[] { "--core-width was 512", "--extra-core-layers 1" }],
        ["train --out {d}/m.ram --head-on-core", Usage, new[] { "--head-on-core", "--init MODEL", "--head-input core-features" }],
        ["train --out {d}/m.ram --head-input core-features", Usage, new[] { "core-features", "--extra-core-layers 1" }],
        ["train --out {d}/m.ram --init {d}/one-layer.ram --head-on-core", Usage, new[] { "--head-on-core", "--widen-core" }],
        ["train --out {d}/m.ram --patch abc", Usage, new[] { "--patch was 'abc'", "whole number" }],
        ["train --out {d}/m.ram --sigma NaN", Usage, new[] { "--sigma was 'NaN'", "finite number" }],
        ["train --out {d}/m.ram --preset huge", Usage, new[] { "--preset was huge", "'mbi' or 'reference'" }],
        ["train --out {d}/m.ram --distill-weight 2", Usage, new[] { "--distill-weight was 2" }],
        ["train --out {d}/m.ram --temperature 0", Usage, new[] { "--temperature was 0" }],
        ["train --out {d}/m.ram --teacher {d}/no-such.ram", Usage, new[] { "no-such.ram", "does not exist" }],
        ["train --out {d}/m.ram --teacher {d}/nan.ram", BadFile, new[] { "nan.ram", "weights are NaN or infinite" }],
        ["train --out {d}/m.ram --init {d}/nan.ram", BadFile, new[] { "nan.ram", "weights are NaN or infinite" }],
        ["train --out {d}/afile/m.ram", Usage, new[] { "--out was", "afile is a file" }],
        ["train --out {d}/mc", Usage, new[] { "--out was", "a file name, not a folder" }],
        ["train", Usage, new[] { "--out" }],
        ["sweep-ram --out {d}/afile", Usage, new[] { "--out was", "a folder, not an existing file" }],
        ["sweep-ram --hidden-flip 0.1", Usage, new[] { "--hidden-flip was 0.1", "1 bit" }], // the hidden-bits points: refused before any training
        ["sweep-ram --patch-noise 0.1", Usage, new[] { "--patch-noise was 0.1", "quantized" }],
        ["train --lookup-substitution 1.5 --out {d}/m.ram", Usage, new[] { "--lookup-substitution was", "e.g." }],
        // tail: --out checked before the compact model is read or a readout drawn
        ["tail --out /proc/mbi-out", Usage, new[] { "--out was /proc/mbi-out", "not writable", "e.g. runs/tail" }],
        ["tail --out {d}/afile", Usage, new[] { "--out was", "afile", "a folder, not an existing file" }],
        ["tail --out {d}/afile/sub", Usage, new[] { "--out was", "afile is a file" }],
        ["tail --out {d}/busy", Usage, new[] { "--out was", "busy", "no other mbi run is writing" }],
        ["tail --levels 0", Usage, new[] { "--levels was 0", "whole distance levels of 1 or more" }],
        // reproduce, design, data
        ["reproduce --quick", Usage, new[] { "--out" }],
        ["reproduce --out {d}/afile", Usage, new[] { "--out was", "a folder, not an existing file" }],
        ["reproduce --out {d}/busy", Usage, new[] { "--out was", "no other mbi run is writing" }],
        ["design init --out {d}", Usage, new[] { "--out was", "a file name, not a folder" }],
        ["design init --eval-window 0 --out {d}/d.json", Usage, new[] { "--eval-window was 0 s" }],
        ["design check {d}/garbage.json", BadFile, new[] { "garbage.json" }],
        ["design check {d}/bad-field.json", BadFile, new[] { "bad-field.json: array.bitline_capacitance_farads was -1.00 fF", "between 0 and" }],
        ["mc --design {d}/bad-field.json", BadFile, new[] { "bad-field.json: array.bitline_capacitance_farads was -1.00 fF" }],
        ["design check {d}/bad-value-read.json", BadFile, new[] { "bad-value-read.json: value_read.word_line_seconds was 0 s", "between 1.00 ps and 1.00 us", "e.g. 200ps" }],
        ["energy --design {d}/bad-value-read.json", BadFile, new[] { "bad-value-read.json: value_read.word_line_seconds was 0 s", "e.g. 200ps" }],
        ["design show {d}/no-such.json", Usage, new[] { "no-such.json" }],
        ["data download --timeout 0s", Usage, new[] { "--timeout was 0s", "between 1.00 s and 3.60 ks" }],
    ];

    private static IEnumerable<TestCaseData> Rows() =>
        Cases.Select(c => new TestCaseData(c[0], c[1], c[2]).SetName($"When_{((string)c[0]).Replace(' ', '_').Replace("{d}/", "").Replace("{d}", "dir")}_Expect_Exit{c[1]}"));

    [Test]
    public void When_TheSuiteIsCounted_Expect_AtLeastSixtyKindsOfBadInput() => Assert.That(Cases, Has.Length.GreaterThanOrEqualTo(60));

    [TestCaseSource(nameof(Rows))]
    public void When_BadInput_Expect_OneErrorLineTheExitCodeAndNothingWritten(string commandLine, int exitCode, string[] words)
    {
        string[] args = [.. commandLine.Split(' ').Select(a => a == "<empty>" ? "" : a.Replace("{d}", _dir))];
        // Commands that write a default folder get one inside the fixture (so that a wrong run would show up there).
        if (args[0] is "mc" or "sweep" or "cosim" or "sweep-threshold" or "search-quality" or "tune-distance" or "tune-mixed" or "sweep-ram" or "tail"
            && !args.Contains("--out"))
            args = [.. args, "--out", Path.Combine(_dir, "mc")];
        var before = Snapshot();
        var (exit, stdout, stderr) = Run(args);
        Assert.That(exit, Is.EqualTo(exitCode), stderr);
        string[] lines = stderr.TrimEnd('\n').Split('\n');
        Assert.That(lines, Has.Length.EqualTo(1), "exactly one line on stderr");
        Assert.That(lines[0], Does.StartWith("mbi: error: "));
        foreach (string word in words)
            Assert.That(lines[0], Does.Contain(word.Replace("{d}", _dir)));
        Assert.That(stderr, Does.Not.Contain("   at ").And.Not.Contain("Exception"), "no stack trace");
        Assert.That(stdout, Is.Empty);
        Assert.That(Snapshot(), Is.EqualTo(before), "no output, journal or other file in the fixture folder changed");
    }

    /// <summary>Every file under the fixture folder with its size, time and a hash of its bytes.</summary>
    private string Snapshot() => string.Join("\n", Directory.EnumerateFileSystemEntries(_dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
        .Select(p => Path.GetFileName(p) == OutputPaths.LockName ? p // held (locked) by this fixture: its name is what matters
            : File.Exists(p)
            ? $"{p} {new FileInfo(p).Length} {File.GetLastWriteTimeUtc(p):O} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(ReadShared(p)))}"
            : $"{p}/"));

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    internal static (int Exit, string Out, string Err) Run(params string[] args) => InProcessCli.Run(args);
}
