using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Twin.Functions.Http;
using Twin.Observability.Common;
using Twin.Observability.Prompts;

namespace Twin.Functions.Playground;

/// <summary>
/// Prompt playground (API.md): <c>GET /api/manage/playground/prompts</c> lists the prompts chats can use (Langfuse's
/// when configured and reachable, else the built-in ones); <c>/{name}</c> shows one by <c>label</c> or <c>version</c>.
/// </summary>
public sealed class PlaygroundFunctions(ApiHandler api, PromptService prompts)
{
    [Function("ListPrompts")]
    public Task<IResult> ListPrompts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/playground/prompts")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(new { data = await prompts.ListAsync(cancellationToken) }));

    [Function("GetPrompt")]
    public Task<IResult> GetPrompt(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/playground/prompts/{name}")] HttpRequest req, string name, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            var (label, version) = PromptQuery.Parse(req.Query["label"], req.Query["version"]);
            return TypedResults.Ok(await prompts.FindAsync(name, label, version, cancellationToken)
                ?? throw new ResourceNotFoundException("Prompt", name));
        });
}
