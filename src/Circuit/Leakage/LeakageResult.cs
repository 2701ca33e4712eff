namespace Mbi.Circuit.Leakage;

/// <summary>One driven node's DC current and the power its source delivers (positive-only: a source that sinks current is not credited).</summary>
internal readonly record struct RailLeakage(string Node, double Volts, double CurrentAmperes)
{
    /// <summary>Current into the circuit from this node's source (SPICE's branch current is the opposite sign).</summary>
    public double DeliveredWatts => Math.Max(0, Volts * CurrentAmperes);
}

/// <summary>Static power of one stored state at one temperature, by rail.</summary>
internal sealed record LeakageResult(string State, double TemperatureCelsius, bool GateTunneling, IReadOnlyList<RailLeakage> Rails,
    IReadOnlyDictionary<string, double> StorageVolts)
{
    /// <summary>Sum over rails of max(0, V x I): what real supplies deliver.</summary>
    public double PowerWatts => Rails.Sum(r => r.DeliveredWatts);
}
