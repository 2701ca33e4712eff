namespace Mbi.Core.Errors;

/// <summary>Root of every error Mbi raises on purpose. The CLI prints these as one line on stderr.</summary>
public class MbiException : Exception
{
    /// <summary>An error with a message that says what happened and what to do.</summary>
    public MbiException(string message) : base(message) { }
    /// <summary>An error caused by <paramref name="inner"/>.</summary>
    public MbiException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A value given by the user (option, argument, configuration) is out of range or malformed.</summary>
public sealed class BadInputException : MbiException
{
    /// <summary>A bad value; the message names it, what is allowed and an example.</summary>
    public BadInputException(string message) : base(message) { }
    /// <summary>A bad value found through <paramref name="inner"/>.</summary>
    public BadInputException(string message, Exception inner) : base(message, inner) { }

    private BadInputException(string parameter, string message) : base(message) => Parameter = parameter;

    /// <summary>
    /// The library parameter or file field the message names (e.g. "array.eval_window_seconds", "samples"),
    /// or null. The message starts with it, so a front end can name its own spelling instead (the CLI
    /// names the flag the user typed).
    /// </summary>
    public string? Parameter { get; }

    /// <summary>Builds the house-style message: name, value, what is allowed, the fix.</summary>
    public static BadInputException For(string parameter, object? value, string allowed, string? example = null) =>
        new(parameter, $"{parameter} was {Format(value)}; it must be {allowed}{(example is null ? "" : $" (e.g. {example})")}.");

    /// <summary>The same error with <see cref="Parameter"/> renamed (e.g. to a CLI flag or a qualified file field).</summary>
    public BadInputException Renamed(string name) =>
        Parameter is null || !Message.StartsWith(Parameter, StringComparison.Ordinal)
            ? this
            : new BadInputException(name, name + Message[Parameter.Length..]);

    private static string Format(object? value) => value switch
    {
        null => "missing",
        string s when s.Length == 0 => "empty",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "?",
    };
}

/// <summary>A file exists but is not what it claims to be: wrong magic, version, size or checksum.</summary>
public sealed class FileFormatException : MbiException
{
    /// <summary>The file at <paramref name="path"/> is not valid: <paramref name="problem"/>; <paramref name="fix"/> says what to do.</summary>
    public FileFormatException(string path, string problem, string fix)
        : base($"{path}: {problem}. {fix}") => FilePath = path;

    /// <summary>The file that was refused.</summary>
    public string FilePath { get; }
}

/// <summary>A circuit simulation ran but failed (did not parse, did not converge, produced no data).</summary>
public sealed class SimulationFailedException : MbiException
{
    /// <summary>A simulation failure; the message carries the engine's own words.</summary>
    public SimulationFailedException(string message) : base(message) { }
    /// <summary>A simulation failure caused by <paramref name="inner"/>.</summary>
    public SimulationFailedException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>An external engine (the ngspice shared library) is not installed or cannot be loaded.</summary>
public sealed class EngineMissingException : MbiException
{
    /// <summary>The engine is missing; the message says how to install it.</summary>
    public EngineMissingException(string message) : base(message) { }
    /// <summary>The engine could not be loaded (<paramref name="inner"/> says why).</summary>
    public EngineMissingException(string message, Exception inner) : base(message, inner) { }
}
