using System.Collections.Concurrent;

namespace Twin.LocalHost.TestFunctions;

/// <summary>What the probe functions saw, for tests to assert on.</summary>
public sealed class ProbeRecorder
{
    public ConcurrentQueue<(string Function, DateTime At, bool IsPastDue, DateTime? Next)> TimerRuns { get; } = new();

    public ConcurrentQueue<(string Body, long DequeueCount)> QueueDeliveries { get; } = new();

    public int Count(string function) => TimerRuns.Count(r => r.Function == function);
}
