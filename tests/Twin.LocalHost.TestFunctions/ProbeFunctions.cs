using Azure.Storage.Queues.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Twin.LocalHost.TestFunctions;

public sealed class ProbeFunctions(ProbeRecorder recorder)
{
    [Function("EverySecond")]
    public Task EverySecond([TimerTrigger("%Probe:TickSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        recorder.TimerRuns.Enqueue(new("EverySecond", DateTime.UtcNow, timer.IsPastDue, timer.ScheduleStatus?.Last, timer.ScheduleStatus?.Next));
        return Task.CompletedTask;
    }

    // Scheduled once a year, so any run a test sees within seconds of start-up is the runOnStartup one.
    [Function("AtStartup")]
    public Task AtStartup([TimerTrigger("0 0 0 1 1 *", RunOnStartup = true)] TimerInfo timer, CancellationToken cancellationToken)
    {
        recorder.TimerRuns.Enqueue(new("AtStartup", DateTime.UtcNow, timer.IsPastDue, timer.ScheduleStatus?.Last, timer.ScheduleStatus?.Next));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Records every delivery; messages starting with "fail" always throw, so they end in the poison queue; messages
    /// starting with "slow" take three seconds after they are recorded (a test stops storage meanwhile).
    /// </summary>
    [Function("WorkItem")]
    public async Task WorkItem([QueueTrigger("%Probe:Queue%")] QueueMessage message, FunctionContext context)
    {
        var body = message.Body.ToString();
        recorder.QueueDeliveries.Enqueue(new("WorkItem", body, message.DequeueCount, message.MessageId, message.InsertedOn?.ToString("O"), context.TraceContext.TraceParent));
        if (body.StartsWith("fail", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Probe failure for '{body}'.");
        }

        if (body.StartsWith("slow", StringComparison.Ordinal))
        {
            await Task.Delay(TimeSpan.FromSeconds(3), context.CancellationToken);
        }
    }

    /// <summary>A message as text, with the trigger's metadata bound to parameters by name, as the real host sends it.</summary>
    [Function("TextItem")]
    public void TextItem([QueueTrigger("%Probe:Queue%-text")] string body, string id, long dequeueCount, DateTimeOffset insertionTime, FunctionContext context) =>
        recorder.QueueDeliveries.Enqueue(new("TextItem", body, dequeueCount, id, insertionTime.ToString("O"), context.TraceContext.TraceParent));

    [Function("KeyedEcho")]
    public IResult KeyedEcho(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "probe/{name}/{count:int}")] HttpRequest req, string name, int count, string? note) =>
        TypedResults.Ok(new { name, count, note });

    [Function("AdminOnly")]
    public IResult AdminOnly([HttpTrigger(AuthorizationLevel.Admin, "get", Route = "probe-admin")] HttpRequest req) =>
        TypedResults.Ok(new { admin = true });

    /// <summary>What the invocation carried: the trace context the host set, the caller's header, the route values it sent.</summary>
    [Function("TraceEcho")]
    public IResult TraceEcho([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "probe-trace/{item}")] HttpRequest req, FunctionContext context) =>
        TypedResults.Ok(new
        {
            invocationId = context.InvocationId,
            traceParent = context.TraceContext.TraceParent,
            traceState = context.TraceContext.TraceState,
            requestTraceParent = req.Headers.TraceParent.ToString(),
            item = context.BindingContext.BindingData.TryGetValue("item", out var item) ? item?.ToString() : null,
            forwardedFor = req.Headers["X-Forwarded-For"].ToString(),
            remoteAddress = req.HttpContext.Connection.RemoteIpAddress?.ToString(),
        });

    /// <summary>Waits <paramref name="ms"/> or until cancelled, recording a cancellation under <paramref name="tag"/>.</summary>
    [Function("Slow")]
    public async Task<IResult> Slow(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "probe-slow/{tag}/{ms:int}")] HttpRequest req, string tag, int ms, FunctionContext context)
    {
        try
        {
            await Task.Delay(ms, context.CancellationToken);
            return TypedResults.Ok(new { tag });
        }
        catch (OperationCanceledException)
        {
            recorder.Cancelled.Enqueue(tag);
            throw;
        }
    }

    [Function("Recorded")]
    public IResult Recorded([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "probe-recorded")] HttpRequest req) =>
        TypedResults.Ok(new { timerRuns = recorder.TimerRuns.ToArray(), queueDeliveries = recorder.QueueDeliveries.ToArray(), cancelled = recorder.Cancelled.ToArray() });
}
