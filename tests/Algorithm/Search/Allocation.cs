namespace Mbi.Algorithm.Tests.Search;

/// <summary>Measures what a search allocates on the calling thread.</summary>
internal static class Allocation
{
    /// <summary>
    /// The bytes each of <paramref name="passes"/> runs of <paramref name="pass"/> allocated on this thread. A search that
    /// allocates does so in every pass; the runtime's own one-off work on the thread (a method promoted to optimised code
    /// mid-pass may grow the thread's static storage; seen in CI under load: 7,960 B once in one test, 1,960 B once in
    /// another) lands in one pass at most. So a no-allocation test asks that some pass allocate nothing.
    /// </summary>
    public static long[] PerPass(Action pass, int passes = 5)
    {
        var bytes = new long[passes];
        for (int i = 0; i < passes; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            pass();
            bytes[i] = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        return bytes;
    }
}
