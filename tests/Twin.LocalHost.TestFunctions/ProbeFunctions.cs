using Azure.Storage.Queues.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Twin.LocalHost.TestFunctions;

public sealed class ProbeFunctions(ProbeRecorder recorder)
{
    [Function("EverySecond")]
    public Task EverySecond([TimerTrigger("%Probe:TickSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        recorder.TimerRuns.Enqueue(("EverySecond", DateTime.UtcNow, timer.IsPastDue, timer.ScheduleStatus?.Next));
        return Task.CompletedTask;
    }

    // Scheduled once a year, so any run a test sees within seconds of start-up is the runOnStartup one.
    [Function("AtStartup")]
    public Task AtStartup([TimerTrigger("0 0 0 1 1 *", RunOnStartup = true)] TimerInfo timer, CancellationToken cancellationToken)
    {
        recorder.TimerRuns.Enqueue(("AtStartup", DateTime.UtcNow, timer.IsPastDue, timer.ScheduleStatus?.Next));
        return Task.CompletedTask;
    }

    /// <summary>Records every delivery; messages starting with "fail" always throw, so they end in the poison queue.</summary>
    [Function("WorkItem")]
    public Task WorkItem([QueueTrigger("%Probe:Queue%")] QueueMessage message, CancellationToken cancellationToken)
    {
        var body = message.Body.ToString();
        recorder.QueueDeliveries.Enqueue((body, message.DequeueCount));
        return body.StartsWith("fail", StringComparison.Ordinal)
            ? throw new InvalidOperationException($"Probe failure for '{body}'.")
            : Task.CompletedTask;
    }

    [Function("KeyedEcho")]
    public IResult KeyedEcho(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "probe/{name}/{count:int}")] HttpRequest req, string name, int count, string? note) =>
        TypedResults.Ok(new { name, count, note });

    [Function("AdminOnly")]
    public IResult AdminOnly([HttpTrigger(AuthorizationLevel.Admin, "get", Route = "probe-admin")] HttpRequest req) =>
        TypedResults.Ok(new { admin = true });
}
