using Mbi.Algorithm.Memorization;

namespace Mbi.Cli.Commands;

/// <summary>
/// The lookups' passes of infer, energy and cosim: --passes M (what it does in <paramref name="what"/>), --stop-distance and
/// --stop-margin, read into one <see cref="PassesPlan"/>; a stop without several passes is refused naming its flag.
/// </summary>
internal sealed class PassesOptions(string what)
{
    public Option<int> Passes { get; } = CommonOptions.Passes(what);
    public Option<double?> StopDistance { get; } = CommonOptions.StopDistance();
    public Option<double?> StopMargin { get; } = CommonOptions.StopMargin();

    public void AddTo(Command command)
    {
        command.Options.Add(Passes);
        command.Options.Add(StopDistance);
        command.Options.Add(StopMargin);
    }

    /// <summary>The plan the flags ask for, checked before any file is read.</summary>
    public PassesPlan Read(ParseResult parse)
    {
        int passes = parse.GetValue(Passes);
        double? distance = parse.GetValue(StopDistance), margin = parse.GetValue(StopMargin);
        CommonOptions.RequirePassesForStop(distance, passes);
        CommonOptions.RequirePassesForStop(margin, passes, "--stop-margin");
        return new PassesPlan(passes, distance, margin);
    }
}
