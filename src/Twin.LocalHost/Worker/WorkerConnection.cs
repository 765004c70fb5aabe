using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Twin.LocalHost.Rpc;

namespace Twin.LocalHost.Worker;

/// <summary>
/// The host's end of the worker's <c>EventStream</c>. Everything the host sends goes through one queue (a gRPC stream
/// has a single writer); every reply carries the <c>request_id</c> of its request (the worker echoes it), which is how
/// a reply finds its caller. When the stream ends, every caller still waiting learns the worker is gone.
/// </summary>
public sealed class WorkerConnection(string workerId, Action<RpcLog> onLog) : IDisposable
{
    private readonly Channel<StreamingMessage> _outbound = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _pending = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private int _attached;

    public string WorkerId { get; } = workerId;

    /// <summary>Completes when the worker has opened its stream and said who it is (<c>StartStream</c>).</summary>
    public Task Connected => _connected.Task;

    /// <summary>Completes, with the reason, when the stream is over.</summary>
    public Task<string> Closed => _closed.Task;

    /// <summary>Serves the worker's stream, after its <c>StartStream</c>, until it ends; called by the gRPC service.</summary>
    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> inbound, IServerStreamWriter<StreamingMessage> outbound, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _attached, 1) == 1)
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.AlreadyExists, $"Worker '{WorkerId}' already has a stream."));
        }

        _connected.TrySetResult();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var writer = PumpAsync(outbound, stopping.Token);
        var reason = "the worker closed its stream";
        try
        {
            while (await inbound.MoveNext(stopping.Token).ConfigureAwait(false))
            {
                Dispatch(inbound.Current);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or Grpc.Core.RpcException)
        {
            reason = "the worker's stream broke: " + ex.Message;
        }
        finally
        {
            Close(reason);
        }

        await writer.ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="request"/> and waits for the worker's reply to it.</summary>
    public async Task<StreamingMessage> RequestAsync(StreamingMessage request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.RequestId))
        {
            request.RequestId = Guid.NewGuid().ToString();
        }

        var reply = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[request.RequestId] = reply;
        try
        {
            Send(request);
            return await reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(request.RequestId, out _);
        }
    }

    /// <summary>Sends a message that has no reply (<c>InvocationCancel</c>, <c>WorkerTerminate</c>).</summary>
    public void Send(StreamingMessage message)
    {
        if (_closed.Task.IsCompleted || !_outbound.Writer.TryWrite(message))
        {
            throw new WorkerUnavailableException($"The worker is gone ({(_closed.Task.IsCompleted ? _closed.Task.Result : "closed")}).");
        }
    }

    /// <summary>Ends the connection: waiting callers fail with <paramref name="reason"/>.</summary>
    public void Close(string reason)
    {
        if (!_closed.TrySetResult(reason))
        {
            return;
        }

        _outbound.Writer.TryComplete();
        _stop.Cancel();
        _connected.TrySetException(new WorkerUnavailableException(reason));
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new WorkerUnavailableException(reason));
        }
    }

    public void Dispose()
    {
        Close("the connection was disposed");
        _stop.Dispose();
    }

    private void Dispatch(StreamingMessage message)
    {
        if (message.ContentCase == StreamingMessage.ContentOneofCase.RpcLog)
        {
            onLog(message.RpcLog);
        }
        else if (_pending.TryGetValue(message.RequestId, out var waiting))
        {
            waiting.TrySetResult(message);
        }
    }

    private async Task PumpAsync(IServerStreamWriter<StreamingMessage> outbound, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await outbound.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            Close("the host could not write to the worker's stream: " + ex.Message);
        }
    }
}
