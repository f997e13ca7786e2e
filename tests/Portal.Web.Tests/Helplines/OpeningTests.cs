using Portal.Web.Helplines;

namespace Portal.Web.Tests.Helplines;

public sealed class OpeningTests
{
    private static readonly HashSet<DateOnly> Holidays = [new(2026, 12, 25)];

    private static bool OpenAt(string hours, string instant, bool closedOnHolidays = true) =>
        Opening.IsOpenAt(false, WeeklyHours.Parse(hours), closedOnHolidays, Holidays,
            DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("2026-11-24T08:59:59Z", false)]
    [InlineData("2026-11-24T09:00:00Z", true)]
    [InlineData("2026-11-24T16:59:59Z", true)]
    [InlineData("2026-11-24T17:00:00Z", false)]
    [InlineData("2026-11-28T10:00:00Z", false)] // Saturday
    [InlineData("2026-12-25T10:00:00Z", false)] // Christmas Day, a Friday
    public void WeekdayOfficeHours(string instant, bool open)
    {
        Assert.Equal(open, OpenAt("mon,tue,wed,thu,fri 09:00-17:00", instant));
    }

    [Fact]
    public void BankHoliday_IgnoredWhenServiceStaysOpen()
    {
        Assert.True(OpenAt("mon,tue,wed,thu,fri 09:00-17:00", "2026-12-25T10:00:00Z", closedOnHolidays: false));
    }

    [Theory]
    // Spring forward, Sunday 29 March 2026 at 01:00 UTC. A Sunday 03:00–05:00 period:
    [InlineData("2026-03-29T01:59:00Z", false)] // 02:59 BST
    [InlineData("2026-03-29T02:30:00Z", true)]  // 03:30 BST (02:30 if read as UTC: closed)
    [InlineData("2026-03-29T04:00:00Z", false)] // 05:00 BST
    public void SpringForward_UsesSummerTime(string instant, bool open)
    {
        Assert.Equal(open, OpenAt("sun 03:00-05:00", instant));
    }

    [Theory]
    // Fall back, Sunday 25 October 2026 at 01:00 UTC; 01:00–02:00 local happens twice. A Sunday 01:00–02:00 period:
    [InlineData("2026-10-25T00:30:00Z", true)]  // 01:30 BST, the first time round
    [InlineData("2026-10-25T01:30:00Z", true)]  // 01:30 GMT, the second time round
    [InlineData("2026-10-25T02:00:00Z", false)] // 02:00 GMT
    [InlineData("2026-10-24T23:30:00Z", false)] // 00:30 BST Sunday
    public void FallBack_BothRunsOfTheRepeatedHourCount(string instant, bool open)
    {
        Assert.Equal(open, OpenAt("sun 01:00-02:00", instant));
    }

    [Theory]
    [InlineData("2026-11-27T22:00:00Z", true)]  // Friday 22:00
    [InlineData("2026-11-28T05:00:00Z", true)]  // Saturday 05:00, still Friday night's period
    [InlineData("2026-11-28T07:00:00Z", false)]
    [InlineData("2026-11-26T05:00:00Z", false)] // Thursday 05:00: Wednesday is not listed
    public void OvernightPeriod_RunsIntoNextMorning(string instant, bool open)
    {
        Assert.Equal(open, OpenAt("fri 20:00-06:00", instant));
    }

    [Fact]
    public void ClosesAtMidnight_CoversLastMinute()
    {
        Assert.True(OpenAt("tue 20:00-24:00", "2026-11-24T23:59:00Z"));
        Assert.False(OpenAt("tue 20:00-24:00", "2026-11-25T00:00:00Z"));
    }

    [Fact]
    public void AlwaysOpen_IsOpenOnChristmasDay()
    {
        Assert.True(Opening.IsOpenAt(true, [], true, Holidays, new DateTimeOffset(2026, 12, 25, 3, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("mon,tue 09:00-17:00;sat 10:00-12:30")]
    [InlineData("sun 20:00-24:00")]
    public void Format_RoundTrips(string compact)
    {
        Assert.Equal(compact, WeeklyHours.Format(WeeklyHours.Parse(compact)));
    }

    [Theory]
    // Winter: London is on GMT; the line opens at 09:00 and closes at 17:00.
    [InlineData("mon,tue,wed,thu,fri 09:00-17:00", "2026-11-30T08:20:00Z", "2026-11-30T09:00:00Z")]
    [InlineData("mon,tue,wed,thu,fri 09:00-17:00", "2026-11-30T16:30:00Z", "2026-11-30T17:00:00Z")]
    // Summer: 09:00 in London is 08:00 UTC.
    [InlineData("mon,tue,wed,thu,fri 09:00-17:00", "2026-06-01T07:20:00Z", "2026-06-01T08:00:00Z")]
    // Nothing changes for hours: still looked at again within the hour.
    [InlineData("mon,tue,wed,thu,fri 09:00-17:00", "2026-11-30T10:00:00Z", "2026-11-30T11:00:00Z")]
    // London midnight, when a bank holiday may begin (23:00 UTC in summer).
    [InlineData("mon,tue,wed,thu,fri 09:00-17:00", "2026-06-01T22:30:00Z", "2026-06-01T23:00:00Z")]
    // An overnight line closing at 02:00 the next morning.
    [InlineData("fri 20:00-02:00", "2026-11-28T01:45:00Z", "2026-11-28T02:00:00Z")]
    // The morning the clocks go forward: 01:00-02:00 does not happen; 01:30 comes as 02:30 BST (01:30 UTC).
    [InlineData("sun 01:30-05:00", "2026-03-29T00:50:00Z", "2026-03-29T01:30:00Z")]
    public void NextChange_IsTheNextOpeningOrClosingOrMidnight_AtMostAnHourAhead(string hours, string after, string expected)
    {
        var at = DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture);
        var next = Opening.NextChange([(false, WeeklyHours.Parse(hours))], at);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public void NextChange_ForLinesAlwaysOpen_IsAnHourAhead()
    {
        var at = new DateTimeOffset(2026, 11, 30, 8, 20, 0, TimeSpan.Zero);

        Assert.Equal(at.AddHours(1), Opening.NextChange([(true, WeeklyHours.Parse("mon 09:00-17:00"))], at));
    }
}
