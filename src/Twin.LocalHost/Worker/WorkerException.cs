namespace Twin.LocalHost.Worker;

/// <summary>An exception raised in the worker, as it reported it: its type, message and stack trace travel as text.</summary>
public sealed class WorkerException(Rpc.RpcException reported) : Exception(reported.Message)
{
    public string WorkerType { get; } = reported.Type;

    public override string? StackTrace { get; } = reported.StackTrace;

    public override string ToString() =>
        string.IsNullOrEmpty(StackTrace) ? $"{WorkerType}: {Message}" : $"{WorkerType}: {Message}{Environment.NewLine}{StackTrace}";
}
