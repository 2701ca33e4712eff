using System.Reflection;
using System.Runtime.Intrinsics.X86;
using Mbi.Algorithm.Memorization.Keys;

namespace Mbi.Cli.Commands;

/// <summary>`mbi info`: versions of Mbi and the runtime, for bug reports and run records.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var command = new Command("info", "Show Mbi's version, the .NET runtime and the machine.") { json };
        command.SetAction(parse =>
        {
            var info = new
            {
                mbi_version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?",
                runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
                os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                processors = Environment.ProcessorCount,
                cpu = Mbi.CoSim.Reproduce.RunEnvironment.CpuModel(),
                instruction_sets = InstructionSets(),
                distance_kernel = DistanceKernel.BestPath.ToString(),
                distance_kernel_chosen_by = DistanceKernel.BestPathSource,
                distance_kernels_supported = Enum.GetValues<DistanceKernelPath>().Where(DistanceKernel.IsSupported).Select(p => p.ToString()).ToArray(),
            };
            if (parse.GetValue(json)) Terminal.PrintJson(info);
            else
            {
                Console.WriteLine($"mbi {info.mbi_version} on {info.runtime}, {info.os}, {info.processors} cores");
                Console.WriteLine($"cpu: {info.cpu} ({string.Join(", ", info.instruction_sets)})");
                Console.WriteLine($"distance kernel: {info.distance_kernel} ({(DistanceKernel.BestPathForced ? $"set by {DistanceKernel.PathVariable}" : "the widest")}; this machine runs {string.Join(", ", info.distance_kernels_supported)}; {DistanceKernel.PathVariable}=avx2 etc. picks one)");
            }
            return 0;
        });
        return command;
    }

    /// <summary>The x86 vector extensions the runtime will use (what decides the distance kernel).</summary>
    private static string[] InstructionSets()
    {
        var sets = new List<string>();
        if (Popcnt.X64.IsSupported) sets.Add("popcnt");
        if (Avx2.IsSupported) sets.Add("avx2");
        if (Fma.IsSupported) sets.Add("fma");
        if (Avx512F.IsSupported) sets.Add("avx512f");
        if (Avx512BW.IsSupported) sets.Add("avx512bw");
        if (Avx512DQ.IsSupported) sets.Add("avx512dq");
        if (sets.Count == 0) sets.Add("no x86 vector extensions");
        return [.. sets];
    }
}
