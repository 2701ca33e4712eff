using System.Reflection;

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
            };
            if (parse.GetValue(json)) Terminal.PrintJson(info);
            else Console.WriteLine($"mbi {info.mbi_version} on {info.runtime}, {info.os}, {info.processors} cores");
            return 0;
        });
        return command;
    }
}
