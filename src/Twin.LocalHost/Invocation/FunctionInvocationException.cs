using Twin.LocalHost.Worker;

namespace Twin.LocalHost.Invocation;

/// <summary>An invocation that did not succeed: the function threw (the worker's exception is the inner one) or timed out.</summary>
public sealed class FunctionInvocationException(string functionName, string invocationId, string message, Exception? inner = null)
    : Exception($"Function '{functionName}' (invocation {invocationId}): {message}", inner)
{
    public string FunctionName { get; } = functionName;

    public string InvocationId { get; } = invocationId;

    public bool TimedOut { get; init; }

    public WorkerException? WorkerError => InnerException as WorkerException;
}
