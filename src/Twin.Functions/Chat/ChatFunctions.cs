using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Twin.Functions.Chat;

/// <summary>
/// Chat (API.md "Chat"): the three traced chat endpoints and the widget's CORS preflight. Anonymous at host level;
/// each endpoint checks its own credential (user, allowed origin, share token).
/// </summary>
public sealed class ChatFunctions(ChatHttpHandler chat)
{
    [Function("Chat")]
    public Task<IResult> Chat(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "chat/{twinId}")] HttpRequest req, string twinId, CancellationToken cancellationToken) =>
        chat.UserAsync(req, twinId, cancellationToken);

    [Function("ChatWidget")]
    public Task<IResult> ChatWidget(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "chat-widget/{twinId}")] HttpRequest req, string twinId, CancellationToken cancellationToken) =>
        chat.WidgetAsync(req, twinId, cancellationToken);

    [Function("ChatWidgetPreflight")]
    public Task<IResult> ChatWidgetPreflight(
        [HttpTrigger(AuthorizationLevel.Anonymous, "options", Route = "chat-widget/{twinId}")] HttpRequest req, string twinId, CancellationToken cancellationToken) =>
        chat.PreflightAsync(req, twinId, cancellationToken);

    [Function("PublicChat")]
    public Task<IResult> PublicChat(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "public/chat/{twinId}/{token}")] HttpRequest req, string twinId, string token, CancellationToken cancellationToken) =>
        chat.PublicAsync(req, twinId, token, cancellationToken);
}
