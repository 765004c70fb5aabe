using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using Microsoft.FeatureManagement;
using Twin.Functions.Http;

namespace Twin.Functions.Features;

/// <summary>
/// Runs a function only when its rollout flag is on. Off: an HTTP route answers 404 problem+json — for an admin caller
/// with <c>errorType: feature_disabled</c> and the flag named, for anyone else a plain 404 that tells nothing about what
/// the deployment has — and a timer or queue function returns at once (a queue message is then complete), with one
/// Debug line per run. Flags are read per invocation, so a change in configuration takes effect without a restart.
/// </summary>
public sealed partial class FeatureGateMiddleware(IFeatureManager features, RequestAuthorizer authorizer, ILogger<FeatureGateMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (FunctionFeatures.FlagOf(context.FunctionDefinition.EntryPoint) is not { } flag
            || await features.IsEnabledAsync(flag, context.CancellationToken).ConfigureAwait(false))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (context.GetHttpContext() is { } http)
        {
            await Refusal(http.Request, flag).ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        LogSkipped(context.FunctionDefinition.Name, flag);
    }

    private Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Refusal(HttpRequest request, string flag)
    {
        ResponseHeaders.NoStore(request.HttpContext.Response);
        if (!authorizer.IsAdmin(request))
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Not found.");
        }

        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status404NotFound,
            Title = "This feature is switched off.",
            Detail = $"The feature flag '{flag}' is off in this deployment (setting {Observability.Features.FeatureFlags.SectionName}:{flag}).",
            Type = "https://httpstatuses.io/404",
        };
        problem.Extensions["errorType"] = "feature_disabled";
        problem.Extensions["flag"] = flag;
        return TypedResults.Problem(problem);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Function} did not run: feature {Flag} is off")]
    private partial void LogSkipped(string function, string flag);
}
