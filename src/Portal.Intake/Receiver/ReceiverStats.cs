using System.Globalization;

namespace Portal.Intake.Receiver;

/// <summary>What a receiver has done since it started.</summary>
/// <param name="Cases">Reports stored (each once).</param>
/// <param name="Duplicates">Deliveries of a report already stored, answered 200 and not stored again.</param>
/// <param name="Rejected">Deliveries refused: bad signature, bad id, too large, unsupported or unreadable body.</param>
public readonly record struct ReceiverStats(long Cases, long Duplicates, long Rejected)
{
    /// <summary><c>{"cases":N,"duplicates":N,"rejected":N}</c>, as served at <c>GET /stats</c>.</summary>
    public string ToJson() => string.Create(
        CultureInfo.InvariantCulture,
        $$"""{"cases":{{Cases}},"duplicates":{{Duplicates}},"rejected":{{Rejected}}}""");
}
