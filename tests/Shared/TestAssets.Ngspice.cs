using Mbi.Circuit.Engine;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Tests;

internal static partial class TestAssets
{
    /// <summary>Ignores the test, with the reason, where ngspice's shared library cannot be found.</summary>
    public static void RequireNgspice()
    {
        try
        {
            NgSpiceNative.LocateLibrary();
        }
        catch (EngineMissingException e)
        {
            Assert.Ignore($"ngspice shared library not available: {e.Message}");
        }
    }

    /// <summary>A started engine, or the test is ignored where ngspice is missing.</summary>
    public static NgSpiceEngine StartNgspice()
    {
        RequireNgspice();
        return NgSpiceEngine.Start();
    }

    /// <summary>The ngspice command line (for `ngspice -b deck.cir` checks), or the test is ignored.</summary>
    public static string NgspiceCommand()
    {
        string? path = FindOnPath("ngspice");
        if (path is null) Assert.Ignore("the ngspice command is not on PATH (apt-get install ngspice); the shared library alone cannot run a deck in batch mode");
        return path!;
    }
}
