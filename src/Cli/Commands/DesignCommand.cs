using System.Text.Json;
using System.Text.Json.Nodes;
using Mbi.Circuit.Design;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi design init|show|check`: write, read and check design files (<see cref="DesignFile"/>), the one
/// description of the hardware that mc, sweep, cosim, energy, table1 and reproduce take with --design.
/// </summary>
internal static class DesignCommand
{
    public static Command Create()
    {
        var command = new Command("design", "Design files: one versioned JSON description of the hardware (technology, array, ADC) for --design.");
        command.Subcommands.Add(Init());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Check());
        return command;
    }

    private static Command Init()
    {
        var design = new DesignOptions();
        var output = new Option<string?>("--out") { Description = "Where to write the design (default: print it on stdout)." };
        var command = new Command("init", "Write the default design, or --design FILE with the given flags applied, as a design file.") { output };
        design.AddTo(command);
        command.SetAction(parse =>
        {
            string? path = parse.GetValue(output) is string o ? OutputPaths.File("--out", o, "my-design.json") : null;
            var (resolved, stamp) = design.Resolve(parse);
            if (path is not null)
            {
                DesignFile.Write(path, resolved);
                Terminal.Note($"wrote {path} (sha256 {stamp.Sha256})");
            }
            else Console.Out.Write(DesignFile.Text(resolved));
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var file = new Argument<string>("FILE") { Description = "The design file." };
        var json = CommonOptions.Json();
        var command = new Command("show", "Print every field of a design file (defaults filled in) and its SHA-256.") { file, json };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            var stamp = DesignStamp.Of(DesignFile.Read(path), path);
            if (parse.GetValue(json)) Terminal.PrintJson(stamp);
            else
            {
                Console.WriteLine($"{path}: format {DesignFile.Format} version {DesignFile.Version}, sha256 {stamp.Sha256}");
                foreach (var (section, node) in stamp.Content)
                    if (node is JsonObject fields)
                        foreach (var (name, value) in fields)
                            Console.WriteLine($"  {section}.{name} = {value?.ToJsonString(new JsonSerializerOptions { WriteIndented = false })}");
            }
            return 0;
        });
        return command;
    }

    private static Command Check()
    {
        var file = new Argument<string>("FILE") { Description = "The design file." };
        var command = new Command("check", "Validate a design file: every field's type and range, unknown fields, the card and its hash.") { file };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            var design = DesignFile.Read(path);
            Console.WriteLine($"{path}: valid ({design.Technology.Name}, {design.Array.Rows}x{design.Array.Columns} array, {design.Adc.Bits}-bit ADC; sha256 {DesignFile.Hash(design)})");
            return 0;
        });
        return command;
    }
}
