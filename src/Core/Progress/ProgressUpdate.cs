namespace Mbi.Core.Progress;

/// <summary>
/// What long work reports through <see cref="IProgress{T}"/>: a stage name, how much is done of how
/// much, and a short status (e.g. "loss 0.31, acc 91.2%"). Circuit and Algorithm report through this
/// and know nothing of terminals; the CLI renders it as a progress bar.
/// </summary>
public readonly record struct ProgressUpdate(string Stage, long Done, long Total, string? Status = null);
