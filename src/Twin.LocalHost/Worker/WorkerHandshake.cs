using Twin.LocalHost.Metadata;
using Twin.LocalHost.Rpc;

namespace Twin.LocalHost.Worker;

/// <summary>
/// What the host says to a worker that has just connected, in the Functions host's order: <c>WorkerInitRequest</c>
/// (the answer says where the worker serves HTTP), <c>FunctionsMetadataRequest</c> (the worker indexes the app), then
/// one <c>FunctionLoadRequest</c> per function the host will run.
/// </summary>
public static class WorkerHandshake
{
    public const string HttpUriCapability = "HttpUri";

    private const string HostVersion = "4.1000.0";

    public static async Task<Uri?> InitializeAsync(WorkerConnection connection, LocalFunctionsApp app, CancellationToken cancellationToken)
    {
        var reply = await connection.RequestAsync(new StreamingMessage
        {
            WorkerInitRequest = new WorkerInitRequest
            {
                HostVersion = HostVersion,
                FunctionAppDirectory = app.AppDirectory,
                WorkerDirectory = app.AppDirectory,
            },
        }, cancellationToken).ConfigureAwait(false);
        var init = reply.WorkerInitResponse ?? throw new WorkerStartException($"The worker answered WorkerInitRequest with {reply.ContentCase}.");
        EnsureSuccess(init.Result, "initialise");

        // The worker names itself "localhost"; 127.0.0.1 spares a resolution that may try ::1 first.
        return init.Capabilities.TryGetValue(HttpUriCapability, out var uri) && Uri.TryCreate(uri, UriKind.Absolute, out var parsed)
            ? new UriBuilder(parsed) { Host = parsed.IsLoopback ? "127.0.0.1" : parsed.Host }.Uri
            : null;
    }

    /// <summary>The functions the worker found, each with the id invocations will name it by.</summary>
    public static async Task<IReadOnlyList<(FunctionMetadata Function, RpcFunctionMetadata Rpc)>> IndexAsync(
        WorkerConnection connection, LocalFunctionsApp app, CancellationToken cancellationToken)
    {
        var reply = await connection.RequestAsync(new StreamingMessage
        {
            FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = app.AppDirectory },
        }, cancellationToken).ConfigureAwait(false);
        var metadata = reply.FunctionMetadataResponse ?? throw new WorkerStartException($"The worker answered FunctionsMetadataRequest with {reply.ContentCase}.");
        EnsureSuccess(metadata.Result, "index the app");
        if (metadata.UseDefaultMetadataIndexing)
        {
            throw new WorkerStartException("The worker asked the host to index the app itself; the local host needs worker indexing (Worker SDK 1.x or later).");
        }

        return metadata.FunctionMetadataResults.Select(rpc =>
        {
            var function = new FunctionMetadata
            {
                Name = rpc.Name,
                FunctionId = rpc.FunctionId,
                ScriptFile = rpc.ScriptFile,
                EntryPoint = rpc.EntryPoint,
                Bindings = FunctionMetadata.ParseBindings(rpc.RawBindings),
            };
            return (function, rpc);
        }).ToList();
    }

    public static async Task LoadAsync(WorkerConnection connection, LocalFunctionsApp app, RpcFunctionMetadata function, CancellationToken cancellationToken)
    {
        var metadata = function.Clone();
        metadata.Directory = app.AppDirectory;
        var reply = await connection.RequestAsync(new StreamingMessage
        {
            FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = metadata },
        }, cancellationToken).ConfigureAwait(false);
        var load = reply.FunctionLoadResponse ?? throw new WorkerStartException($"The worker answered FunctionLoadRequest for '{function.Name}' with {reply.ContentCase}.");
        EnsureSuccess(load.Result, $"load function '{function.Name}'");
    }

    private static void EnsureSuccess(StatusResult? result, string what)
    {
        if (result is null || result.Status == StatusResult.Types.Status.Success)
        {
            return;
        }

        var detail = result.Exception is { } exception ? new WorkerException(exception) : null;
        throw new WorkerStartException($"The worker could not {what}: {detail?.Message ?? result.Result}", detail);
    }
}
