namespace Twin.LocalHost.Worker;

/// <summary>The worker did not become ready: it exited, timed out, or refused a function. The message says which and why.</summary>
public sealed class WorkerStartException(string message, Exception? inner = null) : InvalidOperationException(message, inner);
