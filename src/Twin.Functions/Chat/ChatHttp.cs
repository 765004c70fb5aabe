using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Twin.Functions.Http;
using Twin.Observability.Chat;
using Twin.Observability.Common;

namespace Twin.Functions.Chat;

/// <summary>
/// The HTTP edge of the three chat endpoints: turns the request into a <see cref="ChatRequest"/> (credential, origin,
/// share token, client address, trace headers, a body reader), runs <see cref="ChatService"/>, and writes the reply or
/// the problem with <c>X-Trace-Id</c>, CORS for an accepted widget origin, and no caching. Admission itself is the core's.
/// </summary>
public sealed class ChatHttp(ChatService chat, IOptions<TwinChatOptions> chatOptions, IOptions<ForwardingOptions> forwarding)
{
    public async Task<IResult> ChatAsync(HttpRequest request, ChatChannel channel, string twinId, string? shareToken, CancellationToken cancellationToken)
    {
        var response = request.HttpContext.Response;
        ResponseHeaders.NoStore(response);
        try
        {
            var outcome = await chat.ChatAsync(
                new ChatRequest
                {
                    Channel = channel,
                    TwinId = twinId,
                    Credential = channel == ChatChannel.User ? Credential(request) : null,
                    Origin = channel == ChatChannel.Widget ? request.Headers.Origin.ToString() : null,
                    ShareToken = shareToken,
                    ClientAddress = ClientAddress.Of(request, forwarding.Value.TrustedProxyHops),
                    Trace = TraceHeaders.Incoming(request),
                    ReadBodyAsync = ct => ReadBodyAsync(request, ct),
                },
                cancellationToken).ConfigureAwait(false);
            AllowOrigin(response, outcome.CorsOrigin);
            TraceHeaders.Write(response, outcome.Reply.TraceId);
            return TypedResults.Ok(outcome.Reply);
        }
        catch (ChatFailedException ex)
        {
            AllowOrigin(response, ex.CorsOrigin);
            return ChatProblems.From(response, ex, channel == ChatChannel.User ? ChatProblems.AuthenticateSchemes : null);
        }
    }

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

    private async Task<ChatInput> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonBody.ReadAsync<ChatInput>(request, chatOptions.Value.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestBodyException ex)
        {
            throw new ChatFailedException(ex.Status == StatusCodes.Status413PayloadTooLarge ? ChatErrorTypes.PayloadTooLarge : ChatErrorTypes.UnsupportedMediaType, ex.Message);
        }
        catch (RequestValidationException ex)
        {
            throw new ChatFailedException(ChatErrorTypes.Validation, "The chat request is invalid.") { Errors = ex.Errors };
        }
    }
}
