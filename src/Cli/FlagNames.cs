namespace Mbi.Cli;

/// <summary>
/// The libraries name their own parameters and design-file fields in messages ("array.eval_window_seconds
/// was 0 s; ..."); the command line shows the flag the user typed instead ("--eval-window was 0 s; ...").
/// This is the one map from library names to flags. A message naming a parameter that is not here is shown
/// as the library wrote it (e.g. a field read from a design file, already prefixed with the file).
/// </summary>
internal static class FlagNames
{
    private static readonly Dictionary<string, string> Map = Build();

    /// <summary>Every library parameter this map knows, with its flag (tests check each flag exists).</summary>
    public static IReadOnlyDictionary<string, string> All => Map;

    public static string Message(MbiException e) =>
        e is BadInputException { Parameter: string p } bad && Map.TryGetValue(p, out string? flag) ? bad.Renamed(flag).Message : e.Message;

    private static Dictionary<string, string> Build()
    {
        var map = new Dictionary<string, string>(DesignOptions.FieldFlags)
        {
            // Circuit
            ["samples"] = "--samples",
            ["sigma_vth_volts"] = "--sigma-vth",
            ["workers"] = "--workers",
            ["PelgromAvtVoltMeters"] = "--pelgrom-avt",
            // Circuit: the technology's own parameter names (thrown where a value is set, before the design is validated)
            ["VddVolts"] = "--vdd",
            ["TemperatureCelsius"] = "--temp",
            ["Corner"] = "--corner",
            ["corner table"] = "--corner-table",
            // CoSim
            ["energy_config"] = "--energy-config",
            ["split_columns"] = "--columns",
            // Algorithm: the RAM (RamConfig, GlimpseSensor)
            ["patch_size"] = "--patch",
            ["scales"] = "--scales",
            ["scale_factor"] = "--scale-factor",
            ["patch_pool"] = "--patch-pool",
            ["coarse_gain"] = "--coarse-gain",
            ["glimpses"] = "--glimpses",
            ["glimpse_hidden"] = "--glimpse-hidden",
            ["location_hidden"] = "--location-hidden",
            ["glimpse_features"] = "--glimpse-features",
            ["hidden"] = "--hidden",
            ["extra_core_layers"] = "--extra-core-layers",
            ["core_width"] = "--core-width",
            ["widen_core"] = "--widen-core",
            ["passes"] = "--passes",
            ["stop_distance"] = "--stop-distance",
            ["stop_confidence"] = "--stop-confidence",
            ["stop_margin"] = "--stop-margin",
            ["hidden_bits"] = "--hidden-bits",
            ["patch_bits"] = "--patch-bits",
            ["location_levels"] = "--location-levels",
            ["head_hidden"] = "--head-hidden",
            ["head_input"] = "--head-input",
            ["policy_sigma"] = "--sigma",
            // Algorithm: training
            ["epochs"] = "--epochs",
            ["batch_size"] = "--batch",
            ["learning_rate"] = "--lr",
            ["learning_rate_decay"] = "--lr-decay",
            ["reinforce_weight"] = "--reinforce-weight",
            ["augment_shift"] = "--augment-shift",
            ["augment_rotate"] = "--augment-rotate",
            ["augment_scale"] = "--augment-scale",
            ["augment_elastic"] = "--augment-elastic",
            ["hidden_gradient"] = "--hidden-gradient",
            ["reward"] = "--reward",
            ["hidden_flip"] = "--hidden-flip",
            ["patch_noise"] = "--patch-noise",
            ["lookup_substitution"] = "--lookup-substitution",
            ["elastic_sigma"] = "--elastic-sigma",
            ["weight_average"] = "--weight-average",
            ["distill_weight"] = "--distill-weight",
            ["temperature"] = "--temperature",
            ["panels"] = "--panels",
            ["validation_count"] = "--validation",
            // Algorithm: tables, search, tuning
            ["moves"] = "--moves",
            ["lut_rows"] = "--rows",
            ["max_rows"] = "--rows",
            ["beam"] = "--beam",
            ["leaf_size"] = "--leaf-size",
            ["budget"] = "--budget",
            ["best-first budget"] = "--distance-budget",
            ["branching"] = "--branching",
            ["neighbour spill"] = "--spill-neighbours",
            ["overlap ratio"] = "--overlap",
            ["overlap levels"] = "--overlap-levels",
            ["agreement_weight"] = "--agreement-weight",
            ["vote"] = "--vote",
            ["fallback_model"] = "--fallback-model",
        };
        return map;
    }
}
