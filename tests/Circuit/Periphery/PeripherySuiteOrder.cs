using NUnit.Framework;

namespace Mbi.Circuit.Tests.Periphery;

/// <summary>
/// Scheduling only: this namespace's suite starts second, after Transient. RowDecoderBenchTests (a row scan and
/// operating points of the decoder with its 32 row drivers) is the second longest fixture of the assembly.
/// </summary>
[SetUpFixture]
[Order(2)]
public sealed class PeripherySuiteOrder;
