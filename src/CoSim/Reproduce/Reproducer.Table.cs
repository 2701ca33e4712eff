using Mbi.Algorithm.Ram;
using Mbi.CoSim.Cli.Commands;
using Mbi.CoSim.Energy;
using Mbi.CoSim.Studies;
using Mbi.Core.Units;

namespace Mbi.CoSim.Reproduce;

internal sealed partial class Reproducer
{
    private void TableOne(LookupSetup setup, QuantizedRamStepModel model, EnergyReport energy, EnergyConfig config)
    {
        double mbi = energy.EnergyPerInferenceJoules;
        double ram = Energy.TableOne.FallbackJoules(model.Model.Config, config);
        double fraction = _mixedAtPaperThreshold.MbiFraction;
        double mixed = Energy.TableOne.MixedJoules(mbi, ram, fraction);
        var rows = Energy.TableOne.Build(mbi, mixed, fraction);
        Energy.TableOne.SaveCsv(Path.Combine(_out, "table1.csv"), rows, mbi);
        _figures.Add(new FigureFile("Table I", "", "table1.csv",
            Energy.TableOne.Markdown(rows, mbi) + $"\nThe RAM fallback costs {Engineering.Format(ram, "J")} per image ({RamFlops.ForwardMacs(model.Model.Config):N0} MACs x {Engineering.Format(config.FallbackMacJoules, "J")})."));
        _rows.Add(new PaperRow("MBI vs MLP-CIM / ResNet20-CIM energy", "~2.7x / ~83x more efficient",
            $"MBI {Engineering.Format(mbi, "J")}; macros' published energies not found (config/cim-macros.json)",
            $"against the paper-implied macro energies Mbi's MBI would be {35.532e-9 / mbi:F0}x / {1.09228e-6 / mbi:F0}x"));
        _notes.Add("Table I's CIM macro energies could not be retrieved with the search tool available here; config/cim-macros.json marks them 'not found' rather than inventing values. Fill them in (with their source) to complete the table.");
    }
}
