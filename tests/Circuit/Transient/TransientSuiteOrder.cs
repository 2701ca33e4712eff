using NUnit.Framework;

namespace Mbi.Circuit.Tests.Transient;

/// <summary>
/// Scheduling only: this namespace's suite starts first. RowSimulatorTests' 33-cycle staircase on the default
/// 32-column bench is the longest fixture of the assembly (about a third of its CPU time); fixtures run two at a
/// time (Parallelism.cs), so started last it would run alone at the end with one core idle.
/// </summary>
[SetUpFixture]
[Order(1)]
public sealed class TransientSuiteOrder;
