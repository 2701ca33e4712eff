using Mbi.Circuit.Engine;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.CoSim.Tests;

/// <summary>Tests that need ngspice's shared library are skipped, with the reason, where it is missing.</summary>
internal static class SpiceRequirement
{
    public static void OrIgnore()
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
}
