using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Twin.Observability.Chat;

namespace Twin.Functions.Chat;

/// <summary>
/// Chat (API.md "Chat"): the three traced chat endpoints and the widget's CORS preflight. Anonymous at host level;
/// the core admits each request by its endpoint's own rules (user credential, allowed origin, share token, limits).
/// </summary>
public sealed class ChatFunctions(ChatHttp chat)
{
    [Function("Chat")]
    public Task<IResult> Chat(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "chat/{twinId}")] HttpRequest req, string twinId, CancellationToken cancellationToken) =>
        chat.ChatAsync(req, ChatChannel.User, twinId, shareToken: null, cancellationToken);

    [Function("ChatWidget")]
    public Task<IResult> ChatWidget(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "chat-widget/{twinId}")] HttpRequest req, string twinId, CancellationToken cancellationToken) =>
        chat.ChatAsync(req, ChatChannel.Widget, twinId, shareToken: null, cancellationToken);

    [Function("ChatWidgetPreflight")]
    public Task<IResult> ChatWidgetPreflight(
        [HttpTrigger(AuthorizationLevel.Anonymous, "options", Route = "chat-widget/{twinId}")] HttpRequest req, string twinId, CancellationToken cancellationToken) =>
        chat.PreflightAsync(req, twinId, cancellationToken);

    [Function("PublicChat")]
    public Task<IResult> PublicChat(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "public/chat/{twinId}/{token}")] HttpRequest req, string twinId, string token, CancellationToken cancellationToken) =>
        chat.ChatAsync(req, ChatChannel.Public, twinId, token, cancellationToken);
}
