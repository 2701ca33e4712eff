using NUnit.Framework;

// Fixtures run side by side, one per core (NUnit's default level is the processor count). Each ngspice engine is
// its own copy of the shared library in its own folder (src/Circuit/Engine/NgSpiceEngine.cs), so two fixtures'
// transients do not share state; a fixture that changes process-wide state (an environment variable, the console)
// says [NonParallelizable] and runs alone. On the 2-core CI machine this fills the second core whenever the other
// test assemblies have finished, instead of leaving it idle behind one single-threaded transient.
[assembly: Parallelizable(ParallelScope.Fixtures)]
