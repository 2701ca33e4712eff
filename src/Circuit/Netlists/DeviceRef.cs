namespace Mbi.Circuit.Netlists;

/// <summary>
/// One transistor of a test bench that takes its own Vth shift: its ngspice instance path (for
/// <c>alter @path[delvto]</c>), whether it is a PMOS, and its role (for reports and compact models).
/// </summary>
/// <param name="InstancePath">e.g. "m.xc3.mrk1" (inside cell 3) or "mpb3" (periphery).</param>
/// <param name="Column">The column it belongs to, or -1 for the sum-line periphery.</param>
/// <param name="Role">e.g. "cell.mrk1" (read stack, key transistor) or "precharge.bl".</param>
internal sealed record DeviceRef(string InstancePath, bool IsPmos, int Column, string Role);
