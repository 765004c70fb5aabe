using Microsoft.Extensions.Configuration;
using Twin.LocalHost.Metadata;
using Twin.LocalHost.Triggers;

namespace Twin.LocalHost.Timers;

/// <summary>A timer-triggered function with its schedule resolved (<c>%Setting%</c>) and parsed.</summary>
public sealed record TimerFunction(FunctionMetadata Function, TimerSchedule Schedule, bool RunOnStartup)
{
    public static TimerFunction Create(FunctionMetadata function, IConfiguration configuration)
    {
        var expression = SettingResolver.Resolve(function.Trigger.Schedule ?? "", configuration, function.Name);
        try
        {
            return new TimerFunction(function, TimerSchedule.Parse(expression), function.Trigger.RunOnStartup);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"Function '{function.Name}': {ex.Message}", ex);
        }
    }
}
