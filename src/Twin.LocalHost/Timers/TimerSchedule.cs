using System.Globalization;
using NCrontab;

namespace Twin.LocalHost.Timers;

/// <summary>
/// A timer trigger's schedule: NCRONTAB with seconds (<c>{second} {minute} {hour} {day} {month} {day-of-week}</c>),
/// five-field cron, or a <c>hh:mm:ss</c> interval, as the Functions host accepts them. All times are UTC.
/// </summary>
public sealed class TimerSchedule
{
    private readonly CrontabSchedule? _cron;
    private readonly TimeSpan? _interval;

    private TimerSchedule(string expression, CrontabSchedule? cron, TimeSpan? interval)
    {
        Expression = expression;
        _cron = cron;
        _interval = interval;
    }

    public string Expression { get; }

    public static TimerSchedule Parse(string expression)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is 5 or 6)
        {
            var cron = CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = fields.Length == 6 });
            if (cron is not null)
            {
                return new TimerSchedule(expression, cron, null);
            }
        }
        else if (TimeSpan.TryParse(expression, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
        {
            return new TimerSchedule(expression, null, interval);
        }

        throw new FormatException($"'{expression}' is not a valid NCRONTAB expression or hh:mm:ss interval.");
    }

    public DateTime NextAfter(DateTime utc) =>
        _cron?.GetNextOccurrence(utc) ?? utc + _interval!.Value;
}
