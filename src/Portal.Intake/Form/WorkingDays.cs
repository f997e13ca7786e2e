namespace Portal.Intake.Form;

/// <summary>Working days in England and Wales: Monday to Friday, not a bank holiday.</summary>
public static class WorkingDays
{
    public static bool IsWorkingDay(DateOnly day, IReadOnlySet<DateOnly> bankHolidays) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !bankHolidays.Contains(day);

    /// <summary>
    /// The date by which contact is promised: <paramref name="count"/> working days after the day
    /// the request arrived, whatever time it arrived.
    /// </summary>
    public static DateOnly After(DateOnly received, int count, IReadOnlySet<DateOnly> bankHolidays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var day = received;
        for (var found = 0; found < count;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day, bankHolidays))
            {
                found++;
            }
        }

        return day;
    }
}
