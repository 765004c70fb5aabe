namespace Twin.LocalHost.Worker;

/// <summary>The worker process is not there to run an invocation: it has not started, has exited, or hung up.</summary>
public sealed class WorkerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
