using Mbi.Circuit.Design;
using Mbi.CoSim.Characterisation;
using Mbi.CoSim.Reproduce;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi characterise`: measures with ngspice what `reproduce`, `energy` and `cosim` would otherwise measure on their
/// first run (the compact model, the energy bands, the quick reproduction's SPICE dies) and writes it to
/// models/characterisation/&lt;key&gt;/ to be committed, as the trained model is. Run it after any deck change.
/// </summary>
internal static class CharacteriseCommand
{
    public static Command Create()
    {
        var outDir = CommonOptions.OutFolder("the shipped characterisation (one folder per design, deck and ngspice version)", ShippedCharacterisation.DefaultRoot);
        var model = CommonOptions.Model();
        var seed = CommonOptions.Seed();
        var dies = CommonOptions.Count("--dies", "SPICE Monte Carlo dies shipped for Fig. 6(b) (reproduce --quick reads this many)", ReproduceSettings.Quick.McSamples, 1, 10_000);
        var workers = CommonOptions.Workers();
        var json = CommonOptions.Json();
        var check = new Option<bool>("--check") { Description = "Measure nothing: say whether the shipped data match the design, deck and ngspice (exit 0) or not (exit 1), and which files a run reads." };
        var reuse = new Option<string>("--reuse") { Description = "Take results already computed for exactly these benches from this folder (cache files named by their bench's hash, a die journal of this deck and seed) instead of running ngspice again; the manifest names the folder." };
        var design = new DesignOptions();
        var command = new Command("characterise",
            "Measure with ngspice, once, the compact model, the energy bands and the quick run's SPICE dies, and write them as shipped data " +
            "(models/characterisation/<key>) that reproduce, energy and cosim read when the design, deck and ngspice version match.")
        {
            outDir, model, seed, dies, workers, json, check, reuse,
        };
        design.AddTo(command);
        command.SetAction(parse =>
        {
            string root = OutputPaths.Folder("--out", parse.GetValue(outDir), ShippedCharacterisation.DefaultRoot);
            var (hardware, stamp) = design.Resolve(parse);
            if (parse.GetValue(check)) return Check(root, hardware, parse.GetValue(model)!, parse.GetValue(seed), parse.GetValue(json));
            using var claim = OutputPaths.Lock("--out", root);
            // The default design keeps one folder (older decks' folders go); another design's folder is added beside it.
            bool defaults = stamp.Sha256 == DesignStamp.Of(new CircuitDesign(), null).Sha256;
            var (folder, manifest, removed) = Terminal.WithProgress("characterise", p => ShippedCharacterisation.Write(hardware, parse.GetValue(model)!,
                parse.GetValue(seed), parse.GetValue(dies), CommonOptions.EffectiveWorkers(parse.GetValue(workers)), root, replaceOthers: defaults, p, parse.GetValue(reuse)));
            if (parse.GetValue(json)) Terminal.PrintJson(new { folder, manifest, removed });
            else
            {
                Console.WriteLine($"wrote {folder} ({manifest.Files.Count} files; ngspice {manifest.NgspiceVersion}; design sha256 {manifest.DesignSha256[..12]}, deck sha256 {manifest.DeckSha256[..12]})");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"compact model {manifest.CompactSeconds:F0} s, energy bands {manifest.EnergyBandSeconds:F0} s, {manifest.MonteCarloDies} SPICE dies {manifest.MonteCarloSeconds:F0} s"));
                if (manifest.Reused is not null) Console.WriteLine($"reused: {manifest.Reused}");
                foreach (string r in removed) Console.WriteLine($"removed {r} (another deck or ngspice version)");
                Console.WriteLine($"commit it: git add {root}");
            }
            Terminal.RunNote(parse.GetValue(seed), stamp);
            return 0;
        });
        return command;
    }

    private static int Check(string root, CircuitDesign design, string model, ulong seed, bool json)
    {
        var lookup = ShippedCharacterisation.Find(design, root);
        var files = ShippedCharacterisation.Expected(design, model, seed)
            .Select(e => new { file = e.File, header = e.Header, present = lookup.Found is not null && File.Exists(Path.Combine(lookup.Folder, e.File)) }).ToList();
        bool ok = lookup.Found is not null && files.All(f => f.present);
        if (json) Terminal.PrintJson(new { matches = ok, folder = lookup.Folder, key = lookup.Key, files });
        else
        {
            Console.WriteLine($"{(ok ? "matches" : "does not match")}: {lookup.Describe()}");
            foreach (var f in files) Console.WriteLine($"  {f.file}: {(f.present ? "present" : "missing")}{(f.header is null ? "" : $" (header {f.header})")}");
        }
        return ok ? 0 : 1;
    }
}
