using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Twin.Functions.Features;
using Twin.Observability.Chat;
using Twin.Observability.Features;

namespace Twin.Functions.Chat;

/// <summary>
/// Chat (API.md "Chat"): the three traced chat endpoints, feedback on their replies (API.md "Feedback and custom
/// scores") and the widget's CORS preflights. Anonymous at host level;
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

    [FeatureGate(FeatureFlags.Feedback)]
    [Function("ChatFeedback")]
    public Task<IResult> ChatFeedback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "chat/{twinId}/feedback")] HttpRequest req, string twinId, CancellationToken cancellationToken) =>
        chat.FeedbackAsync(req, ChatChannel.User, twinId, shareToken: null, cancellationToken);

    [FeatureGate(FeatureFlags.Feedback)]
    [Function("ChatWidgetFeedback")]
    public Task<IResult> ChatWidgetFeedback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "chat-widget/{twinId}/feedback")] HttpRequest req, string twinId, CancellationToken cancellationToken) =>
        chat.FeedbackAsync(req, ChatChannel.Widget, twinId, shareToken: null, cancellationToken);

    [FeatureGate(FeatureFlags.Feedback)]
    [Function("ChatWidgetFeedbackPreflight")]
    public Task<IResult> ChatWidgetFeedbackPreflight(
        [HttpTrigger(AuthorizationLevel.Anonymous, "options", Route = "chat-widget/{twinId}/feedback")] HttpRequest req, string twinId, CancellationToken cancellationToken) =>
        chat.PreflightAsync(req, twinId, cancellationToken);

    [FeatureGate(FeatureFlags.Feedback)]
    [Function("PublicChatFeedback")]
    public Task<IResult> PublicChatFeedback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "public/chat/{twinId}/{token}/feedback")] HttpRequest req, string twinId, string token, CancellationToken cancellationToken) =>
        chat.FeedbackAsync(req, ChatChannel.Public, twinId, token, cancellationToken);
}
