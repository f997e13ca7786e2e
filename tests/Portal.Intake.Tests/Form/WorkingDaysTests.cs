using Portal.Intake.Form;

namespace Portal.Intake.Tests.Form;

public sealed class WorkingDaysTests
{
    private static readonly HashSet<DateOnly> Holidays =
    [
        new(2026, 4, 3), new(2026, 4, 6), new(2026, 12, 25), new(2026, 12, 28), new(2027, 1, 1),
    ];

    [Theory]
    [InlineData("2026-11-24", 1, "2026-11-25")] // Tuesday → Wednesday
    [InlineData("2026-11-27", 1, "2026-11-30")] // Friday → Monday
    [InlineData("2026-11-28", 1, "2026-11-30")] // Saturday → Monday
    [InlineData("2026-04-02", 1, "2026-04-07")] // Thursday before Easter → Tuesday after
    [InlineData("2026-04-03", 1, "2026-04-07")] // Good Friday itself
    [InlineData("2026-12-24", 1, "2026-12-29")] // Christmas Eve → after Christmas and the Boxing Day substitute
    [InlineData("2026-12-31", 1, "2027-01-04")] // New Year's Eve → Monday after New Year's Day
    [InlineData("2026-11-24", 3, "2026-11-27")]
    public void After_SkipsWeekendsAndBankHolidays(string received, int days, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            WorkingDays.After(DateOnly.Parse(received, System.Globalization.CultureInfo.InvariantCulture), days, Holidays));
    }
}
