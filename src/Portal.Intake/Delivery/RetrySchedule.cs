using System.Globalization;
using System.Text.RegularExpressions;

namespace Portal.Intake.Delivery;

/// <summary>
/// When to try again: the wait before each attempt (the first usually zero), varied by a little
/// jitter, never sooner than a receiver's <c>Retry-After</c>. After the last attempt, dead letter.
/// </summary>
public sealed partial class RetrySchedule
{
    private readonly TimeSpan[] _waits;
    private readonly double _jitter;
    private readonly TimeSpan _maxRetryAfter;
    private readonly Func<double> _random;

    /// <param name="random">A number in [0, 1) per call; tests pass a fixed one.</param>
    public RetrySchedule(IReadOnlyList<TimeSpan> waits, double jitter, TimeSpan maxRetryAfter, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(waits);
        if (waits.Count == 0 || waits.Any(w => w < TimeSpan.Zero))
        {
            throw new ArgumentException("A retry schedule needs at least one wait, none negative.", nameof(waits));
        }

        _waits = [.. waits];
        _jitter = jitter;
        _maxRetryAfter = maxRetryAfter;
        _random = random ?? Random.Shared.NextDouble;
    }

    public static RetrySchedule From(RelayOptions options, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new RetrySchedule(options.ScheduleParts.Select(Parse).ToArray(), options.Jitter, TimeSpan.FromSeconds(options.MaxRetryAfterSeconds), random);
    }

    /// <summary>How many attempts a report gets before it is dead-lettered.</summary>
    public int Attempts => _waits.Length;

    public IReadOnlyList<TimeSpan> Waits => _waits;

    /// <summary>
    /// The wait after attempt number <paramref name="attemptsMade"/> failed, or null when that was the
    /// last one and the report is to be dead-lettered.
    /// </summary>
    public TimeSpan? After(int attemptsMade, TimeSpan? retryAfter)
    {
        if (attemptsMade >= _waits.Length)
        {
            return null;
        }

        var wait = _waits[Math.Max(attemptsMade, 0)];
        wait += wait * (_jitter * ((2 * _random()) - 1));
        if (retryAfter is { } asked && asked > wait)
        {
            wait = asked < _maxRetryAfter ? asked : _maxRetryAfter;
        }

        return wait;
    }

    /// <summary>"0", "500ms", "5s", "5m", "2h", "1d", or a TimeSpan ("00:05:00").</summary>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = Duration().Match(text.Trim());
        if (match.Success)
        {
            var n = double.Parse(match.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            return match.Groups["unit"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" or "" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                _ => TimeSpan.FromDays(n),
            };
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero
            ? span
            : throw new FormatException($"'{text}' is not a duration: write for example 0s, 500ms, 5s, 5m, 2h.");
    }

    [GeneratedRegex("^(?<n>[0-9]+(\\.[0-9]+)?)(?<unit>ms|s|m|h|d|)$", RegexOptions.CultureInvariant)]
    private static partial Regex Duration();
}
