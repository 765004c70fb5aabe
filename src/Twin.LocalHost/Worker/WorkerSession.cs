using Twin.LocalHost.Metadata;

namespace Twin.LocalHost.Worker;

/// <summary>A worker that completed the handshake: its stream, its process, where it serves HTTP, and what it loaded.</summary>
public sealed record WorkerSession(WorkerConnection Connection, WorkerProcess Process, Uri? HttpUri, IReadOnlyList<FunctionMetadata> Functions)
{
    /// <summary>False once the stream closed or the process exited; invocations then fail at once.</summary>
    public bool IsAlive => !Connection.Closed.IsCompleted && !Process.Exited.IsCompleted;
}
