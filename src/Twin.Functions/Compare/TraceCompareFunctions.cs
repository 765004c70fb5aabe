using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Twin.Functions.Features;
using Twin.Functions.Http;
using Twin.Observability.Compare;
using Twin.Observability.Features;

namespace Twin.Functions.Compare;

/// <summary>
/// Trace comparison (API.md "Trace comparison"): two chats side by side (<c>at1</c>/<c>at2</c> optionally say when
/// each happened, so the ledger is read in one place), or a batch of pairs with aggregates. Admin only.
/// </summary>
[FeatureGate(FeatureFlags.Compare)]
public sealed class TraceCompareFunctions(ApiHandler api, TraceCompareService compare)
{
    // 100 pairs of two {traceId}:{observationId} ids with JSON punctuation stay far below this.
    private const int MaxBodyBytes = 16 * 1024;

    [Function("CompareTraces")]
    public Task<IResult> Compare([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/traces/compare/{id1}/{id2}")] HttpRequest req, string id1, string id2, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
            TypedResults.Ok(await compare.CompareAsync(id1, id2, req.Query["at1"], req.Query["at2"], cancellationToken)));

    [Function("CompareTracesBatch")]
    public Task<IResult> Batch([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/traces/compare/batch")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
            TypedResults.Ok(await compare.CompareBatchAsync(await JsonBody.ReadAsync<CompareBatchRequest>(req, MaxBodyBytes, cancellationToken), cancellationToken)));
}
