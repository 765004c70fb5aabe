using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Twin.LocalHost.Invocation;
using Twin.LocalHost.Metadata;
using Twin.LocalHost.Rpc;
using Twin.LocalHost.Worker;
using Yarp.ReverseProxy.Forwarder;

namespace Twin.LocalHost.Http;

/// <summary>
/// Serves an HTTP function as the Functions host does for a worker with ASP.NET Core integration: the request itself
/// is forwarded to the worker's own HTTP server (YARP's <see cref="IHttpForwarder"/>) with the invocation id, and the
/// matching <c>InvocationRequest</c> (an empty HTTP trigger input, the route values in <c>trigger_metadata</c>) is sent
/// once forwarding has started. The worker's response goes back as it is; the host writes an answer of its own only
/// when the forward itself failed and nothing was sent yet.
/// </summary>
public sealed partial class HttpFunctionForwarder : IDisposable
{
    private readonly WorkerHost _worker;
    private readonly InvocationDispatcher _dispatcher;
    private readonly IHttpForwarder _forwarder;
    private readonly FunctionKeyAuthorizer _keys;
    private readonly ILogger<HttpFunctionForwarder> _logger;
    private readonly HttpMessageInvoker _invoker;
    private readonly ForwarderRequestConfig _config;

    public HttpFunctionForwarder(WorkerHost worker, InvocationDispatcher dispatcher, IHttpForwarder forwarder, FunctionKeyAuthorizer keys, HostSettings hostSettings, ILogger<HttpFunctionForwarder> logger)
    {
        _worker = worker;
        _dispatcher = dispatcher;
        _forwarder = forwarder;
        _keys = keys;
        _logger = logger;
        // As YARP recommends for a forwarder: no proxy, redirects, cookies or decompression, and the caller's trace
        // headers passed on as they came rather than replaced by this hop's.
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        });
        _config = new ForwarderRequestConfig
        {
            ActivityTimeout = hostSettings.FunctionTimeout > TimeSpan.Zero ? hostSettings.FunctionTimeout : TimeSpan.FromDays(1),
        };
    }

    public RequestDelegate For(FunctionMetadata function) => context => HandleAsync(context, function);

    public async Task HandleAsync(HttpContext context, FunctionMetadata function)
    {
        if (!_keys.IsAuthorized(context.Request, function.Name, function.Trigger.AuthLevel))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (_worker.Current is not { IsAlive: true, HttpUri: { } workerUri } session)
        {
            await ProblemResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "The function app is not running",
                "The app's worker process has exited; restart the host.").ConfigureAwait(false);
            return;
        }

        var request = new InvocationRequest
        {
            InvocationId = Guid.NewGuid().ToString(),
            TraceContext = TraceContexts.From(context.Request.Headers.TraceParent, context.Request.Headers.TraceState, function.Name),
        };
        request.InputData.Add(new ParameterBinding { Name = function.Trigger.Name, Data = new TypedData { Http = new RpcHttp() } });
        // As the host's HTTP trigger gives binding data: query values, then route values, which win over them.
        foreach (var (name, values) in context.Request.Query)
        {
            if (values.FirstOrDefault() is { } text)
            {
                request.TriggerMetadata[name] = new TypedData { String = text };
            }
        }

        foreach (var (name, value) in context.Request.RouteValues)
        {
            if (value?.ToString() is { } text)
            {
                request.TriggerMetadata[name] = new TypedData { String = text };
            }
        }

        var forward = _forwarder.SendAsync(context, workerUri.ToString(), _invoker, _config, new InvocationRequestTransformer(request.InvocationId)).AsTask();
        var invocation = _dispatcher.InvokeAsync(session, request, function, context.RequestAborted);
        var error = await forward.ConfigureAwait(false);
        try
        {
            await invocation.ConfigureAwait(false);
        }
        catch (FunctionInvocationException)
        {
            // The dispatcher logged it; the worker's HTTP response (a 500) already says so to the caller.
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (WorkerUnavailableException ex)
        {
            LogWorkerGone(function.Name, ex.Message);
        }

        if (error != ForwarderError.None && !context.Response.HasStarted)
        {
            var gone = !session.IsAlive;
            LogForwardFailed(context.Features.Get<IForwarderErrorFeature>()?.Exception, function.Name, error);
            context.Response.Clear();
            await ProblemResponse.WriteAsync(context,
                gone ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status502BadGateway,
                gone ? "The function app is not running" : "The function app's worker did not answer",
                gone ? "The app's worker process exited while serving the request." : $"Forwarding to the worker failed ({error}).").ConfigureAwait(false);
        }
    }

    public void Dispose() => _invoker.Dispose();

    [LoggerMessage(Level = LogLevel.Error, Message = "Forwarding a request for 'Functions.{FunctionName}' to the worker failed: {Error}")]
    private partial void LogForwardFailed(Exception? exception, string functionName, ForwarderError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "'Functions.{FunctionName}': {Reason}")]
    private partial void LogWorkerGone(string functionName, string reason);
}
