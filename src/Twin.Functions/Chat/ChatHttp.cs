using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Twin.Functions.Http;
using Twin.Observability.Chat;
using Twin.Observability.Common;
using Twin.Observability.Feedback;

namespace Twin.Functions.Chat;

/// <summary>
/// The HTTP edge of the three chat endpoints: turns the request into a <see cref="ChatRequest"/> (credential, origin,
/// share token, client address, trace headers, a body reader), runs <see cref="ChatService"/>, and writes the reply or
/// the problem with <c>X-Trace-Id</c>, CORS for an accepted widget origin, and no caching. Admission itself is the core's.
/// </summary>
public sealed class ChatHttp(ChatService chat, FeedbackService feedback, IOptions<TwinChatOptions> chatOptions, IOptions<ForwardingOptions> forwarding)
{
    private const int MaxFeedbackBytes = 4 * 1024;

    public async Task<IResult> ChatAsync(HttpRequest request, ChatChannel channel, string twinId, string? shareToken, CancellationToken cancellationToken)
    {
        var response = request.HttpContext.Response;
        ResponseHeaders.NoStore(response);
        try
        {
            var outcome = await chat.ChatAsync(RequestOf(request, channel, twinId, shareToken), cancellationToken).ConfigureAwait(false);
            AllowOrigin(response, outcome.CorsOrigin);
            TraceHeaders.Write(response, outcome.Reply.TraceId);
            return TypedResults.Ok(outcome.Reply);
        }
        catch (ChatFailedException ex)
        {
            AllowOrigin(response, ex.CorsOrigin);
            return ChatProblems.From(response, ex, channel == ChatChannel.User ? ChatProblems.AuthenticateSchemes : null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller hung up and the core recorded the chat as cancelled; answering ends the invocation quietly
            // instead of as a failed function, and no one reads the 499.
            return TypedResults.StatusCode(StatusCodes.Status499ClientClosedRequest);
        }
    }

    /// <summary>Feedback on a reply, at the chat endpoint's address plus <c>/feedback</c> and admitted like its chats.</summary>
    public async Task<IResult> FeedbackAsync(HttpRequest request, ChatChannel channel, string twinId, string? shareToken, CancellationToken cancellationToken)
    {
        var response = request.HttpContext.Response;
        ResponseHeaders.NoStore(response);
        try
        {
            var outcome = await feedback.SendAsync(
                RequestOf(request, channel, twinId, shareToken),
                async ct => await ReadAsync<FeedbackRequest>(request, MaxFeedbackBytes, "The feedback is invalid.", ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            AllowOrigin(response, outcome.CorsOrigin);
            return TypedResults.Ok(outcome.Score);
        }
        catch (ChatFailedException ex)
        {
            AllowOrigin(response, ex.CorsOrigin);
            return ChatProblems.From(response, ex, channel == ChatChannel.User ? ChatProblems.AuthenticateSchemes : null);
        }
    }

    private ChatRequest RequestOf(HttpRequest request, ChatChannel channel, string twinId, string? shareToken) => new()
    {
        Channel = channel,
        TwinId = twinId,
        Credential = channel == ChatChannel.User ? Credential(request) : null,
        Origin = channel == ChatChannel.Widget ? request.Headers.Origin.ToString() : null,
        ShareToken = shareToken,
        ClientAddress = ClientAddress.Of(request, forwarding.Value.TrustedProxyHops),
        Trace = TraceHeaders.Incoming(request),
        ReadBodyAsync = ct => ReadAsync<ChatInput>(request, chatOptions.Value.MaxBodyBytes, "The chat request is invalid.", ct),
    };

    /// <summary>Answers the browser's CORS preflight for the widget of <paramref name="twinId"/>.</summary>
    public async Task<IResult> PreflightAsync(HttpRequest request, string twinId, CancellationToken cancellationToken)
    {
        ResponseHeaders.Secure(request.HttpContext.Response);
        try
        {
            WidgetCors.AllowPreflight(request.HttpContext.Response, await chat.PreflightAsync(twinId, request.Headers.Origin.ToString(), ClientAddress.Of(request, forwarding.Value.TrustedProxyHops), cancellationToken).ConfigureAwait(false));
            return TypedResults.NoContent();
        }
        catch (ChatFailedException ex)
        {
            return ChatProblems.From(request.HttpContext.Response, ex);
        }
    }

    private static void AllowOrigin(HttpResponse response, string? origin)
    {
        if (origin is not null)
        {
            WidgetCors.Allow(response, origin);
        }
    }

    private static ChatCredential? Credential(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return new ChatCredential(ChatCredentialKind.Bearer, authorization["Bearer ".Length..].Trim());
        }

        return RequestAuthorizer.PresentedKey(request) is { } key ? new ChatCredential(ChatCredentialKind.ApiKey, key) : null;
    }

    private static async Task<T> ReadAsync<T>(HttpRequest request, int maxBytes, string invalid, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await JsonBody.ReadAsync<T>(request, maxBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestBodyException ex)
        {
            throw new ChatFailedException(ex.Status == StatusCodes.Status413PayloadTooLarge ? ChatErrorTypes.PayloadTooLarge : ChatErrorTypes.UnsupportedMediaType, ex.Message);
        }
        catch (RequestValidationException ex)
        {
            throw new ChatFailedException(ChatErrorTypes.Validation, invalid) { Errors = ex.Errors };
        }
    }
}
