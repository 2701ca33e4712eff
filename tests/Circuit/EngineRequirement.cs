using Mbi.Circuit.Engine;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Circuit.Tests;

/// <summary>Tests that need ngspice's shared library are skipped, with the reason, where it is missing.</summary>
internal static class EngineRequirement
{
    public static NgSpiceEngine StartOrIgnore()
    {
        try
        {
            NgSpiceNative.LocateLibrary();
        }
        catch (EngineMissingException e)
        {
            Assert.Ignore($"ngspice shared library not available: {e.Message}");
        }
        return NgSpiceEngine.Start();
    }
}
