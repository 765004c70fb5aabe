using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Twin.Functions.Http;
using Twin.Observability.Common;
using Twin.Observability.Twins;

namespace Twin.Functions.Twins;

/// <summary>
/// Twins (API.md "Twins"): <c>/api/manage/twins</c> CRUD and share tokens. Admin only. Each function authorizes,
/// parses, calls one <see cref="TwinService"/> method and maps the result.
/// </summary>
public sealed class TwinsFunctions(ApiHandler api, TwinService twins)
{
    private const string Collection = "manage/twins";
    private const string Item = "manage/twins/{twinId}";

    [Function("ListTwins")]
    public Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Collection)] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
            TypedResults.Ok(await twins.ListAsync(PageRequest.Parse(req.Query["limit"], req.Query["continuationToken"]), cancellationToken)));

    [Function("CreateTwin")]
    public Task<IResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Collection)] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            var definition = await JsonBody.ReadAsync<TwinDefinition>(req, TwinLimits.MaxRequestBytes, cancellationToken);
            var twin = await twins.CreateAsync(definition, cancellationToken);
            return WithETag(req, twin, TypedResults.Created($"/api/{Collection}/{twin.Id}", twin));
        });

    [Function("GetTwin")]
    public Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Item)] HttpRequest req, string twinId, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            var twin = await twins.GetAsync(twinId, cancellationToken);
            return WithETag(req, twin, TypedResults.Ok(twin));
        });

    [Function("ReplaceTwin")]
    public Task<IResult> Replace(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Item)] HttpRequest req, string twinId, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            TwinValidator.ValidateId(twinId);
            var definition = await JsonBody.ReadAsync<TwinDefinition>(req, TwinLimits.MaxRequestBytes, cancellationToken);
            var twin = await twins.ReplaceAsync(twinId, definition, RequestHeaders.IfMatch(req), cancellationToken);
            return WithETag(req, twin, TypedResults.Ok(twin));
        });

    [Function("DeleteTwin")]
    public Task<IResult> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Item)] HttpRequest req, string twinId, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
            await twins.DeleteAsync(twinId, RequestHeaders.IfMatch(req), cancellationToken)
                ? TypedResults.NoContent()
                : throw new ResourceNotFoundException("Twin", twinId));

    [Function("CreateShareToken")]
    public Task<IResult> CreateShareToken(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Item + "/share-tokens")] HttpRequest req, string twinId, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            TwinValidator.ValidateId(twinId);
            var body = await JsonBody.ReadOptionalAsync<ShareTokenRequest>(req, 4096, cancellationToken);
            var (issued, url) = await twins.IssueShareTokenAsync(twinId, body?.ExpiresAt, req.Scheme, req.Host.Value ?? "", cancellationToken);
            return TypedResults.Created(
                $"/api/{Collection}/{twinId}/share-tokens/{issued.Id}",
                new ShareTokenCreated(issued.Id, issued.Token, url, issued.ExpiresAt, issued.CreatedAt));
        });

    [Function("ListShareTokens")]
    public Task<IResult> ListShareTokens(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Item + "/share-tokens")] HttpRequest req, string twinId, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
            TypedResults.Ok(await twins.ListShareTokensAsync(twinId, PageRequest.Parse(req.Query["limit"], req.Query["continuationToken"]), cancellationToken)));

    [Function("RevokeShareToken")]
    public Task<IResult> RevokeShareToken(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Item + "/share-tokens/{tokenId}")] HttpRequest req, string twinId, string tokenId, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            await twins.RevokeShareTokenAsync(twinId, tokenId, cancellationToken);
            return TypedResults.NoContent();
        });

    private static IResult WithETag(HttpRequest req, TwinProfile twin, IResult result)
    {
        req.HttpContext.Response.Headers.ETag = twin.ETag;
        return result;
    }
}
