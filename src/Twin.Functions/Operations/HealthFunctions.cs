using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Twin.Observability.Health;

namespace Twin.Functions.Operations;

/// <summary>Operations (API.md): <c>GET /api/health</c>, anonymous, for load balancers and people alike.</summary>
public sealed class HealthFunctions(HealthReporter health)
{
    [Function("Health")]
    public async Task<IResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req, CancellationToken cancellationToken)
    {
        var summary = await health.CheckAsync(cancellationToken);
        req.HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(summary, statusCode: summary.IsHealthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
