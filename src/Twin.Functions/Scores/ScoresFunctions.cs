using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Twin.Functions.Features;
using Twin.Functions.Http;
using Twin.Observability.Features;
using Twin.Observability.Scores;

namespace Twin.Functions.Scores;

/// <summary>
/// User-defined scores (API.md "Feedback and custom scores"): score configs, and scores computed elsewhere recorded
/// on a chat like the judges'. Admin only.
/// </summary>
[FeatureGate(FeatureFlags.Feedback)]
public sealed class ScoresFunctions(ApiHandler api, ScoreConfigService configs, ScoreService scores)
{
    private const int MaxBodyBytes = 16 * 1024;

    [Function("ListScoreConfigs")]
    public Task<IResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/scores/configs")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(new { data = await configs.ListAsync(cancellationToken) }));

    [Function("CreateScoreConfig")]
    public Task<IResult> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/scores/configs")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            var config = await configs.CreateAsync(await JsonBody.ReadAsync<ScoreConfigRequest>(req, MaxBodyBytes, cancellationToken), cancellationToken);
            ResponseHeaders.ETag(req.HttpContext.Response, config.ETag);
            return TypedResults.Created($"/api/manage/scores/configs/{config.Name}", config);
        });

    [Function("UpdateScoreConfig")]
    public Task<IResult> Update([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "manage/scores/configs/{name}")] HttpRequest req, string name, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            var config = await configs.UpdateAsync(name, await JsonBody.ReadAsync<ScoreConfigRequest>(req, MaxBodyBytes, cancellationToken), RequestHeaders.IfMatch(req), cancellationToken);
            ResponseHeaders.ETag(req.HttpContext.Response, config.ETag);
            return TypedResults.Ok(config);
        });

    [Function("DeleteScoreConfig")]
    public Task<IResult> Delete([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "manage/scores/configs/{name}")] HttpRequest req, string name, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            await configs.DeleteAsync(name, RequestHeaders.IfMatch(req), cancellationToken);
            return TypedResults.NoContent();
        });

    [Function("RecordScore")]
    public Task<IResult> Record([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/scores")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(await scores.RecordAsync(await JsonBody.ReadAsync<ScoreRequest>(req, MaxBodyBytes, cancellationToken), cancellationToken)));
}
