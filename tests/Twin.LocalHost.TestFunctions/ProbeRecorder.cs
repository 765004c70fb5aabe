using System.Collections.Concurrent;

namespace Twin.LocalHost.TestFunctions;

/// <summary>What the probe functions saw in this worker; tests read it over HTTP (<c>GET /api/probe/recorded</c>).</summary>
public sealed class ProbeRecorder
{
    public ConcurrentQueue<TimerRun> TimerRuns { get; } = new();

    public ConcurrentQueue<QueueDelivery> QueueDeliveries { get; } = new();

    /// <summary>Invocations whose cancellation token fired, by the value the caller gave them.</summary>
    public ConcurrentQueue<string> Cancelled { get; } = new();
}

public sealed record TimerRun(string Function, DateTime At, bool IsPastDue, DateTime? Last, DateTime? Next);

/// <summary>One delivery of a queue message, with what the function was given beside the message itself.</summary>
public sealed record QueueDelivery(string Function, string Body, long DequeueCount, string? Id, string? InsertionTime, string? TraceParent);
