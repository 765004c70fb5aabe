using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Twin.Functions.Features;
using Twin.Functions.Http;
using Twin.Observability.Evaluation;
using Twin.Observability.Features;
using Twin.Observability.Metrics;

namespace Twin.Functions.Metrics;

/// <summary>
/// Metrics (API.md "Metrics"): admin reads over any range, answered from rollups plus the ledger after the watermark;
/// the <c>RollupMetrics</c> timer writes the rollups every minute.
/// </summary>
[FeatureGate(FeatureFlags.Metrics)]
public sealed class MetricsFunctions(ApiHandler api, MetricsQuery query, MetricsRollup rollup, TraceSearch search, TimeProvider time)
{
    [Function("MetricsDashboard")]
    public Task<IResult> Dashboard([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "metrics/dashboard")] HttpRequest req, CancellationToken cancellationToken) =>
        Report(req, MetricsReports.Dashboard, cancellationToken);

    [Function("MetricsLatency")]
    public Task<IResult> Latency([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "metrics/latency")] HttpRequest req, CancellationToken cancellationToken) =>
        Report(req, MetricsReports.Latency, cancellationToken);

    [Function("MetricsErrors")]
    public Task<IResult> Errors([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "metrics/errors")] HttpRequest req, CancellationToken cancellationToken) =>
        Report(req, MetricsReports.Errors, cancellationToken);

    [Function("MetricsQuality")]
    public Task<IResult> Quality([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "metrics/quality")] HttpRequest req, CancellationToken cancellationToken) =>
        Report(req, MetricsReports.Quality, cancellationToken);

    [Function("MetricsPersona")]
    public Task<IResult> Persona([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "metrics/persona")] HttpRequest req, CancellationToken cancellationToken) =>
        Report(req, slice => MetricsReports.Persona(slice, ScoreNames.PersonaConsistency), cancellationToken);

    [Function("MetricsDataset")]
    public Task<IResult> Dataset([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "metrics/dataset")] HttpRequest req, CancellationToken cancellationToken) =>
        Report(req, MetricsReports.Dataset, cancellationToken);

    [Function("SearchTraces")]
    public Task<IResult> SearchTraces([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "metrics/traces/search")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            var parsed = TraceSearchQuery.Parse(req.Query.Select(q => KeyValuePair.Create(q.Key, (string?)q.Value.ToString())), time.GetUtcNow());
            return TypedResults.Ok(await search.SearchAsync(parsed, cancellationToken).ConfigureAwait(false));
        });

    [Function("RollupMetrics")]
    public Task RollupMetrics([TimerTrigger("0 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        rollup.RunAsync(cancellationToken);

    private Task<IResult> Report<T>(HttpRequest req, Func<MetricsSlice, T> report, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            var range = MetricsRange.Parse(req.Query["from"], req.Query["to"], req.Query["twinId"], req.Query["interval"], time.GetUtcNow());
            return TypedResults.Ok(report(await query.QueryAsync(range, cancellationToken).ConfigureAwait(false)));
        });
}
