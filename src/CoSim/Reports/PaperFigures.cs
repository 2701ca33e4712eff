using System.Globalization;

namespace Mbi.CoSim.Reports;

/// <summary>
/// Every number Mbi quotes from the paper, in one place, each with where the paper states it (Giacomini,
/// Hashem, Suarez, Bhunia, Trivedi, "Towards Model-Size Agnostic, Compute-Free, Memorization-based Inference
/// of Deep Learning", arXiv:2307.07631, 2023; full text in /work/shared/paper). Commands, reports and the
/// reproduction print these; they never compute with a copy. The CIM macros' rows of Table I are data with
/// their own sources and live in config/cim-macros.json.
/// </summary>
internal static class PaperFigures
{
    /// <summary>The citation printed beside figures taken from the paper.</summary>
    public const string Citation = "arXiv:2307.07631";

    /// <summary>Sec. III-D: "One key/query-vector matching operation on 32x32 consumes ~4.7 pJ energy in our 16 nm design."</summary>
    public const double EnergyPerComparisonJoules = 4.7e-12;

    /// <summary>Table I footnote **: glimpses per inference (= 5).</summary>
    public const double Glimpses = 5;

    /// <summary>Table I footnote **: average levels searched in the LUT tree (= 3.5); also Fig. 4(b).</summary>
    public const double TreeLevels = 3.5;

    /// <summary>Table I footnote **: key vectors per LUT node (= 32).</summary>
    public const double KeysPerNode = 32;

    /// <summary>Table I footnote **: splits of a key vector across 32-column arrays (= 5).</summary>
    public const double Splits = 5;

    /// <summary>Table I: energy per inference of MBI, 13.16 nJ (= the product of the five factors above).</summary>
    public const double EnergyPerInferenceJoules = Glimpses * TreeLevels * KeysPerNode * Splits * EnergyPerComparisonJoules;

    /// <summary>The footnote's product as the paper writes it, for tables and notes.</summary>
    public const string EnergyPerInferenceFormula = "5 x 3.5 x 32 x 5 x 4.7 pJ";

    /// <summary>Table I: the MBI column's storage, 6.21 MB of LUT.</summary>
    public const double StorageMegabytes = 6.21;

    /// <summary>Table I comments: mixed MBI is evaluated at threshold T = 5 ...</summary>
    public const double MixedThreshold = 5;

    /// <summary>... where it reaches 93.04 % accuracy (Table I, MBI column) ...</summary>
    public const double MixedAccuracy = 0.9304;

    /// <summary>... with 69.65 % of the images served by MBI (Table I comments).</summary>
    public const double MixedMbiFraction = 0.6965;

    /// <summary>The mixed-MBI point as text: "T = 5: 93.04% accuracy, 69.65% by MBI".</summary>
    public static string Mixed => string.Format(CultureInfo.InvariantCulture, "T = {0}: {1:0.00}% accuracy, {2:0.00}% by MBI",
        MixedThreshold, 100 * MixedAccuracy, 100 * MixedMbiFraction);

    /// <summary>The mixed-MBI point for a JSON report: threshold, accuracy, mbi_fraction.</summary>
    public static object MixedJson => new { threshold = MixedThreshold, accuracy = MixedAccuracy, mbi_fraction = MixedMbiFraction };

    /// <summary>Sec. III-D, Fig. 6(b): the minimum sum-line step stays at or above 28 mV ...</summary>
    public const double MinSumLineStepVolts = 0.028;

    /// <summary>... under sigma(Vth) = 60 mV on minimum-sized devices (Sec. III-D, Fig. 6 caption).</summary>
    public const double SigmaVthVolts = 0.060;

    /// <summary>Sec. III-D: the sum-line voltage is digitised by a 5-bit ADC.</summary>
    public const int AdcBits = 5;

    /// <summary>Sec. III-B and Fig. 4(a): Bayesian-optimised distance weights add 3-4 % accuracy at every LUT size.</summary>
    public const string WeightedDistanceGain = "+3-4% at every LUT size";

    /// <summary>Sec. III-C, Fig. 4(c): the tree's match distance is within 10 % of brute force.</summary>
    public const double TreeDistanceExcess = 0.10;

    /// <summary>Abstract and Sec. IV: MBI is ~2.7x more efficient than the MLP-CIM macro [12] ...</summary>
    public const double EfficiencyVersusMlpCim = 2.7;

    /// <summary>... and ~83x more efficient than the ResNet20-CIM macro [13].</summary>
    public const double EfficiencyVersusResNet20Cim = 83;
}
