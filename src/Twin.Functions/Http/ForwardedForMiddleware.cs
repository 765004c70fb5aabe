using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Twin.Functions.Http;

/// <summary>
/// Counts the <c>X-Forwarded-For</c> entries of every HTTP request (<see cref="ForwardedForCounts"/>), not only of the
/// chats whose rate-limit key they decide: an admin's own health request then already shows what the proxies append.
/// </summary>
public sealed class ForwardedForMiddleware(ForwardedForCounts counts) : IFunctionsWorkerMiddleware
{
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetHttpContext() is { } http)
        {
            counts.Record(ForwardedFor.Addresses(http.Request).Count);
        }

        return next(context);
    }
}
