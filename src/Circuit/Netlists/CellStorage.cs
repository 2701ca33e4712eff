namespace Mbi.Circuit.Netlists;

/// <summary>
/// How a row bench simulates the cells' storage. A read never writes (the write word line stays low), so the stored
/// bits do not change during a bench: the latch's only job is to hold q and qb at the rails.
/// </summary>
internal enum CellStorage
{
    /// <summary>Every cell's two cross-coupled inverters are simulated (what a user's deck of the array holds; the energy benches use it).</summary>
    Latched,
    /// <summary>
    /// The latch's four transistors are left out and q / qb are tied to VDD and ground per stored bit; the access devices
    /// (off, their junctions on the bitlines) and the read stacks are unchanged. The latch's Vth draws then change nothing
    /// (a rail-held node has no latch left to shift), and the latch's own leakage leaves the cell supply's charge: sum-line
    /// voltages, not energies, are what this storage is for (the Monte Carlo dies). Measured against the latched cell in
    /// docs/circuit.md.
    /// </summary>
    Held,
}
