using Mbi.Algorithm.Ram;
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
        var rows = Energy.TableOne.Build(mbi, mixed, fraction, config);
        Energy.TableOne.SaveCsv(Path.Combine(_out, "table1.csv"), rows, mbi);
        _figures.Add(new FigureFile("Table I", "", "table1.csv",
            Energy.TableOne.Markdown(rows, mbi) + $"\nThe RAM fallback costs {Engineering.Format(ram, "J")} per image ({RamFlops.ForwardMacs(model.Model.Config):N0} MACs x {Engineering.Format(config.FallbackMacJoules, "J")})."));
        var paperFigures = rows.Where(r => r.Basis == TableOneBasis.PaperRatio).ToList();
        string ratios = string.Join(" / ", paperFigures.Select(r => $"{r.RatioTo(mbi):F0}x"));
        _rows.Add(new PaperRow("MBI vs MLP-CIM / ResNet20-CIM energy", "~2.7x / ~83x more efficient",
            $"MBI {Engineering.Format(mbi, "J")}: {ratios} below the paper's own 16 nm macro figures",
            "the paper's figures are recovered from its abstract's ratios; the macros' own publications were not retrievable; published candidates are in Table I"));
        _notes.Add("Table I: the CIM macros the paper cites could not be identified (only its abstract was retrievable), so their rows show the paper's own 16 nm figures recovered from the ratios its abstract states, and candidate designs of the same kind, node and data set with published or derived (TOPS/W x MACs) energies, each labelled in the basis column. See config/cim-macros.json.");
    }
}
