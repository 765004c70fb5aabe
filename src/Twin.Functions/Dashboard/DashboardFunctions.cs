using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Twin.Functions.Features;
using Twin.Functions.Http;
using Twin.Observability.Dashboard;
using Twin.Observability.Features;
using Twin.Observability.Metrics;

namespace Twin.Functions.Dashboard;

/// <summary>
/// The dashboard (API.md "Dashboard"): three admin JSON reads, the live stream of them (Server-Sent Events), and the
/// page that shows them with charts. The page and
/// its scripts and styles are anonymous (they hold no data; the page asks for the admin key and sends it with every
/// read), with a strict Content-Security-Policy and no inline script.
/// </summary>
[FeatureGate(FeatureFlags.Dashboard)]
public sealed class DashboardFunctions(ApiHandler api, DashboardService dashboard, DashboardEvents live, TimeProvider time)
{
    [Function("DashboardOverview")]
    public Task<IResult> Overview([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/overview")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            var range = MetricsRange.Parse(req.Query["from"], req.Query["to"], req.Query["twinId"], req.Query["interval"], time.GetUtcNow());
            return TypedResults.Ok(await dashboard.OverviewAsync(range, cancellationToken).ConfigureAwait(false));
        });

    [Function("DashboardRecentTraces")]
    public Task<IResult> RecentTraces([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/traces/recent")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            var query = RecentTracesQuery.Parse(req.Query["limit"], req.Query["twinId"]);
            return TypedResults.Ok(await dashboard.RecentTracesAsync(query, cancellationToken).ConfigureAwait(false));
        });

    [Function("DashboardActiveAlerts")]
    public Task<IResult> ActiveAlerts([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/alerts/active")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(await dashboard.ActiveAlertsAsync(cancellationToken).ConfigureAwait(false)));

    /// <summary>
    /// The live dashboard: Server-Sent Events until <c>Dashboard:StreamMaxSeconds</c>, resuming after the
    /// <c>Last-Event-ID</c> the browser sends back. Authorization and validation happen before the first byte.
    /// </summary>
    [Function("DashboardStream")]
    public Task<IResult> Stream([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/stream")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, () =>
        {
            var query = DashboardStreamQuery.Parse(req.Query["hours"], req.Query["twinId"]);
            // Reverse proxies that buffer responses (nginx and those modelled on it) pass this one through as written.
            req.HttpContext.Response.Headers["X-Accel-Buffering"] = "no";
            var events = live.EventsAsync(query, req.Headers["Last-Event-ID"].FirstOrDefault(), cancellationToken);
            return Task.FromResult<IResult>(TypedResults.ServerSentEvents(events));
        });

    /// <summary>The page. Its links are relative (<c>dashboard/assets/…</c>, <c>metrics/…</c>), so it works behind a gateway that moves <c>/api</c>.</summary>
    [Function("DashboardPage")]
    public static IResult Page([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequest req)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (req.Path.Value?.EndsWith('/') == true)
        {
            // Relative links would resolve below ".../dashboard/"; send the browser to the page's own address.
            ResponseHeaders.Secure(req.HttpContext.Response);
            return TypedResults.Redirect("../dashboard");
        }

        return DashboardAssets.Serve(req, DashboardAssets.Page);
    }

    /// <summary>The page's scripts and styles, by name from an allow-list; anything else is 404.</summary>
    [Function("DashboardAsset")]
    public static IResult Asset([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/assets/{name}")] HttpRequest req, string name)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (DashboardAssets.Find(name) is { } asset)
        {
            return DashboardAssets.Serve(req, asset);
        }

        ResponseHeaders.Secure(req.HttpContext.Response);
        return Problems.Status(StatusCodes.Status404NotFound, "Not found.", $"The dashboard has no asset '{name}'.");
    }
}
