using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Twin.Functions.Http;

/// <summary>
/// Stamps every HTTP answer with the invocation id the Functions host gave it, so a caller's report can be matched to
/// the host's and Application Insights' records of that invocation (they log the same id). Worker middleware runs only
/// inside the isolated worker, so the header also proves an answer came through the worker.
/// </summary>
public sealed class InvocationIdHeaderMiddleware : IFunctionsWorkerMiddleware
{
    public const string Header = "X-Functions-Invocation-Id";

    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetHttpContext() is { } http)
        {
            http.Response.Headers[Header] = context.InvocationId;
        }

        return next(context);
    }
}
