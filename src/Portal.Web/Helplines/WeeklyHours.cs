using System.Globalization;
using System.Text;

namespace Portal.Web.Helplines;

/// <summary>One opening period: the days it applies to and a local (Europe/London) time range.</summary>
public sealed record OpeningPeriod(IReadOnlyList<DayOfWeek> Days, TimeOnly Opens, TimeOnly Closes, bool ClosesAtMidnight)
{
    /// <summary>Whether <paramref name="time"/> on one of <see cref="Days"/> falls inside the period.</summary>
    public bool Covers(DayOfWeek day, TimeOnly time)
    {
        if (ClosesAtMidnight || Closes > Opens)
        {
            return Days.Contains(day) && time >= Opens && (ClosesAtMidnight || time < Closes);
        }

        // Overnight: open from Opens on a listed day until Closes the next morning.
        var previous = (DayOfWeek)(((int)day + 6) % 7);
        return (Days.Contains(day) && time >= Opens) || (Days.Contains(previous) && time < Closes);
    }

    public string ClosesText => ClosesAtMidnight ? "24:00" : Closes.ToString("HH:mm", CultureInfo.InvariantCulture);

    public string OpensText => Opens.ToString("HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>
/// Weekly opening hours, stored compactly as <c>mon,tue 09:00-17:00;sat 10:00-12:00</c>.
/// </summary>
public static class WeeklyHours
{
    public static readonly IReadOnlyList<string> DayCodes = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static DayOfWeek ParseDay(string code)
    {
        var index = DayCodes.ToList().IndexOf(code.Trim().ToLowerInvariant());
        return index < 0
            ? throw new FormatException($"'{code}' is not a day (use mon, tue, wed, thu, fri, sat, sun).")
            : (DayOfWeek)index;
    }

    public static string DayCode(DayOfWeek day) => DayCodes[(int)day];

    public static (TimeOnly Time, bool Midnight) ParseTime(string text)
    {
        if (text == "24:00")
        {
            return (TimeOnly.MinValue, true);
        }

        return TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? (t, false)
            : throw new FormatException($"'{text}' is not a time (use HH:MM, 24-hour clock).");
    }

    public static OpeningPeriod Period(IEnumerable<string> days, string opens, string closes)
    {
        var dayList = days.Select(ParseDay).ToList();
        if (dayList.Count == 0)
        {
            throw new FormatException("An opening period needs at least one day.");
        }

        var (open, openMidnight) = ParseTime(opens);
        var (close, closeMidnight) = ParseTime(closes);
        if (openMidnight)
        {
            throw new FormatException("Opening time cannot be 24:00.");
        }

        if (!closeMidnight && close == open)
        {
            throw new FormatException($"Opening and closing times are both {opens}.");
        }

        return new OpeningPeriod(dayList, open, close, closeMidnight);
    }

    public static string Format(IEnumerable<OpeningPeriod> periods)
    {
        var sb = new StringBuilder();
        foreach (var p in periods)
        {
            if (sb.Length > 0)
            {
                sb.Append(';');
            }

            sb.Append(string.Join(',', p.Days.Select(DayCode))).Append(' ').Append(p.OpensText).Append('-').Append(p.ClosesText);
        }

        return sb.ToString();
    }

    public static IReadOnlyList<OpeningPeriod> Parse(string compact)
    {
        if (string.IsNullOrWhiteSpace(compact))
        {
            return [];
        }

        return compact.Split(';').Select(part =>
        {
            var space = part.IndexOf(' ', StringComparison.Ordinal);
            var dash = part.IndexOf('-', space + 1);
            return Period(part[..space].Split(','), part[(space + 1)..dash], part[(dash + 1)..]);
        }).ToList();
    }
}

/// <summary>
/// Works out whether a helpline is open at an instant, in UK local time (Europe/London, so the
/// hour the clocks change is handled by the time-zone rules, not by a fixed offset).
/// </summary>
public static class Opening
{
    public static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public static DateTime ToLondon(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, London).DateTime;

    /// <summary>
    /// The first instant after <paramref name="after"/> at which any of these services may open or
    /// close: a period's start or end, or a London midnight (bank holidays go by date). At most an
    /// hour ahead, so a directory kept in memory is never long out of date whatever the data says.
    /// </summary>
    public static DateTimeOffset NextChange(IEnumerable<(bool AlwaysOpen, IReadOnlyList<OpeningPeriod> Periods)> services, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(services);
        var next = after.AddHours(1);
        var today = ToLondon(after).Date;
        var times = new SortedSet<TimeOnly> { TimeOnly.MinValue };
        foreach (var (alwaysOpen, periods) in services)
        {
            if (alwaysOpen)
            {
                continue;
            }

            foreach (var p in periods)
            {
                times.Add(p.Opens);
                times.Add(p.ClosesAtMidnight ? TimeOnly.MinValue : p.Closes);
            }
        }

        for (var day = 0; day <= 1; day++)
        {
            foreach (var time in times)
            {
                var local = today.AddDays(day).Add(time.ToTimeSpan());
                // A time skipped when the clocks go forward happens, in effect, an hour later.
                if (London.IsInvalidTime(local))
                {
                    local = local.AddHours(1);
                }

                var instant = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), London), TimeSpan.Zero);
                if (instant > after && instant < next)
                {
                    next = instant;
                }
            }
        }

        return next;
    }

    public static bool IsOpenAt(
        bool alwaysOpen,
        IReadOnlyList<OpeningPeriod> periods,
        bool closedOnBankHolidays,
        IReadOnlySet<DateOnly> bankHolidays,
        DateTimeOffset instant)
    {
        if (alwaysOpen)
        {
            return true;
        }

        var local = ToLondon(instant);
        var date = DateOnly.FromDateTime(local);
        var time = TimeOnly.FromDateTime(local);
        foreach (var p in periods)
        {
            if (!p.Covers(local.DayOfWeek, time))
            {
                continue;
            }

            // An overnight period that began yesterday belongs to yesterday's date.
            var startDate = p.Days.Contains(local.DayOfWeek) && time >= p.Opens ? date : date.AddDays(-1);
            if (closedOnBankHolidays && bankHolidays.Contains(startDate))
            {
                continue;
            }

            return true;
        }

        return false;
    }
}
