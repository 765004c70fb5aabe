using Microsoft.Extensions.Configuration;
using Twin.LocalHost.Http;
using Twin.LocalHost.Invocation;
using Twin.LocalHost.Metadata;
using Twin.LocalHost.Queues;
using Twin.LocalHost.Timers;

namespace Twin.LocalHost.Triggers;

/// <summary>
/// Chooses, from what the worker indexed, the functions the host will run, and refuses at start-up what the Functions
/// host refuses: triggers it cannot run, routes that clash with its own or with each other, schedules and queue
/// names that do not resolve. Disabled functions (<c>AzureWebJobs.{Name}.Disabled</c>) are left out, unloaded.
/// </summary>
public sealed class FunctionSelector(IConfiguration configuration, HostSettings hostSettings)
{
    public const string HttpTrigger = "httpTrigger";
    public const string TimerTrigger = "timerTrigger";
    public const string QueueTrigger = "queueTrigger";

    public IReadOnlyList<FunctionMetadata> Select(IReadOnlyList<FunctionMetadata> indexed)
    {
        var chosen = indexed.Where(f => !DisabledFunctions.IsDisabled(configuration, f.Name)).ToList();
        foreach (var function in chosen)
        {
            switch (function.Trigger.Type)
            {
                case HttpTrigger:
                    break;
                case TimerTrigger:
                    _ = TimerFunction.Create(function, configuration);
                    break;
                case QueueTrigger:
                    _ = QueueFunction.Create(function, configuration, hostSettings.Queues);
                    break;
                default:
                    throw new NotSupportedException($"Function '{function.Name}': the local host does not run '{function.Trigger.Type}' triggers.");
            }
        }

        RouteRules.Validate(chosen.Where(f => f.Trigger.Type == HttpTrigger));
        return chosen;
    }
}
