using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Twin.Functions.Http;
using Twin.Observability.Health;

namespace Twin.Functions.Operations;

/// <summary>
/// Operations (API.md): <c>GET /api/health</c>, anonymous, for load balancers and people alike. Anonymous callers see
/// the overall status and each component's; a caller with an admin key (<c>X-Api-Key</c>) also sees descriptions and
/// data (Langfuse URL, model, missing storage resources, proxy hops), which would tell an attacker what the app runs
/// on. Anonymous answers come from a snapshot at most 5 s old, so calling health cannot load storage; admins get a
/// fresh run (<see cref="HealthSnapshot"/>).
/// </summary>
public sealed class HealthFunctions(HealthReporter health, RequestAuthorizer authorizer)
{
    [Function("Health")]
    public async Task<IResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req, CancellationToken cancellationToken)
    {
        var summary = await health.CheckAsync(includeDetails: authorizer.IsAdmin(req), cancellationToken);
        ResponseHeaders.NoStore(req.HttpContext.Response);
        if (!summary.IsHealthy)
        {
            ResponseHeaders.RetryAfter(req.HttpContext.Response, ResponseHeaders.UnavailableRetry);
        }

        return TypedResults.Json(summary, statusCode: summary.IsHealthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
