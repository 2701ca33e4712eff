using BenchmarkDotNet.Running;

namespace Mbi.Bench;

/// <summary>
/// Every speed claim in the README comes from here:
/// <c>dotnet run -c Release --project bench -- --filter '*Name*'</c>.
/// </summary>
public static class BenchEntry
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchEntry).Assembly).Run(args);
}
