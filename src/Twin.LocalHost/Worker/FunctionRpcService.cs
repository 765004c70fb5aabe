using Grpc.Core;
using Twin.LocalHost.Rpc;

namespace Twin.LocalHost.Worker;

/// <summary>
/// The gRPC service a worker dials. Its first message says which worker it is (<c>StartStream</c>); the stream is
/// handed to the connection the host made for that worker, and refused for any worker the host did not start.
/// </summary>
internal sealed class FunctionRpcService(WorkerConnections connections) : FunctionRpc.FunctionRpcBase
{
    public override async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        if (!await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false) || requestStream.Current.StartStream is not { } start)
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.InvalidArgument, "The first message of a worker's stream must be StartStream."));
        }

        var connection = connections.Find(start.WorkerId)
            ?? throw new Grpc.Core.RpcException(new Status(StatusCode.PermissionDenied, $"Worker '{start.WorkerId}' was not started by this host."));
        await connection.RunAsync(requestStream, responseStream, context.CancellationToken).ConfigureAwait(false);
    }
}
