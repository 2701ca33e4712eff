using Mbi.Algorithm.Ram;
using Mbi.CoSim.Energy;
using Mbi.CoSim.Reports;
using Mbi.Core.Units;

namespace Mbi.CoSim.Reproduce;

internal sealed partial class Reproducer
{
    private void TableOne(QuantizedRamStepModel model, EnergyReport energy, EnergyConfig config)
    {
        double mbi = energy.EnergyPerInferenceJoules;
        double ram = Energy.TableOne.FallbackJoules(model.Model.Config, config);
        double fraction = _mixedAtPaperThreshold.MbiFraction;
        var mbiBand = energy.Bands.PerInferenceTotal.Band;
        var rows = Energy.TableOne.Build(mbiBand, Energy.TableOne.MixedJoules(mbiBand, ram, fraction), fraction, config);
        Energy.TableOne.SaveCsv(Path.Combine(_out, "table1.csv"), rows, mbi);
        _figures.Add(new FigureFile("Table I", "", "table1.csv",
            Energy.TableOne.Markdown(rows, mbi) + $"\nThe RAM fallback costs {Engineering.Format(ram, "J")} per image ({RamFlops.ForwardMacs(model.Model.Config):N0} MACs x {Engineering.Format(config.FallbackMacJoules, "J")})."));
        var paperFigures = rows.Where(r => r.Basis == TableOneBasis.PaperTable).Take(2).ToList();
        string ratios = string.Join(" / ", paperFigures.Select(r => $"{r.RatioTo(mbi):F1}x ((16/T)^2), {r.LinearRatioTo(mbi):F1}x ((16/T))"));
        // What the paper's own Table I gives: its 16 nm projection of each macro over its MBI energy.
        string tableRatios = string.Join(" / ", paperFigures.Select(r => r.PaperProjectedJoules is double p ? $"{p / PaperFigures.EnergyPerInferenceJoules:F2}x" : "n/a"));
        _rows.Add(new PaperRow("MBI vs MLP-CIM [12] / ResNet20-CIM [13] energy",
            $"~{PaperFigures.EfficiencyVersusMlpCim}x / ~{PaperFigures.EfficiencyVersusResNet20Cim}x more efficient (its Table I itself gives {tableRatios})",
            $"MBI {Engineering.Format(mbi, "J")}: {ratios} below the paper's macro rows",
            "the macro rows are the paper's own Table I (energy = 2 ops x #MACs / TOPS/W, macro only); candidates are extra rows"));
        _notes.Add("Table I: the macro rows are the paper's own ([12] Lee et al. TCAS-I 2021, [13] Si et al. JSSC 2020, [14] Biswas and Chandrakasan JSSC 2019) with every column it gives; the paper's (16/T)^2 projection assumes the supply scales with the node, so the linear (16/T) projection is shown beside it. Candidate designs are kept as extra rows with their basis. See config/cim-macros.json.");
    }
}
