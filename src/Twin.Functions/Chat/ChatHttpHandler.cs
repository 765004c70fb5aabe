using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Twin.Functions.Http;
using Twin.Observability.Chat;
using Twin.Observability.Common;
using Twin.Observability.Twins;
using Twin.Observability.Twins.Sharing;

namespace Twin.Functions.Chat;

/// <summary>
/// The HTTP side of the three chat endpoints: admit the caller (credential, origin, share token, rate limit), read
/// the body, run <see cref="ChatService"/>, and answer with the reply or a problem — always with <c>X-Trace-Id</c>.
/// Refusals before the chat runs are recorded as failed traces too, so every request is visible.
/// </summary>
public sealed class ChatHttpHandler(
    ChatService chat,
    ChatAuthenticator users,
    TwinService twins,
    ShareTokenService shareTokens,
    ChatRateLimiter rateLimiter,
    IOptions<TwinChatOptions> options)
{
    public Task<IResult> UserAsync(HttpRequest request, string twinId, CancellationToken cancellationToken) =>
        HandleAsync(request, twinId, ChatChannel.User, async (input, _) =>
            input is null ? await users.AuthenticateUserAsync(request, cancellationToken).ConfigureAwait(false) : null, cancellationToken);

    public Task<IResult> WidgetAsync(HttpRequest request, string twinId, CancellationToken cancellationToken) =>
        HandleAsync(request, twinId, ChatChannel.Widget, async (input, _) =>
        {
            if (input is null)
            {
                WidgetCors.Allow(request.HttpContext.Response, await AllowedOriginAsync(request, twinId, cancellationToken).ConfigureAwait(false));
                return null;
            }

            var visitor = input.VisitorId;
            if (visitor is null || visitor.Length is < 8 or > 64 || !visitor.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                throw new ChatFailedException(ChatErrorTypes.Validation, "visitorId is required: 8 to 64 letters, digits, '-' or '_'.")
                {
                    Errors = new Dictionary<string, string[]> { ["visitorId"] = ["must be 8 to 64 letters, digits, '-' or '_'."] },
                };
            }

            rateLimiter.Acquire($"widget|{twinId}|{visitor}");
            return visitor;
        }, cancellationToken);

    public Task<IResult> PublicAsync(HttpRequest request, string twinId, string token, CancellationToken cancellationToken)
    {
        string? tokenId = null;
        return HandleAsync(request, twinId, ChatChannel.Public, async (input, _) =>
        {
            if (input is not null)
            {
                rateLimiter.Acquire($"public|{twinId}|{tokenId}");
                return null;
            }

            (var status, tokenId) = await shareTokens.VerifyAsync(twinId, token, cancellationToken).ConfigureAwait(false);
            switch (status)
            {
                case ShareTokenStatus.Unknown:
                    throw new ChatFailedException(ChatErrorTypes.Unauthorized, "This share link is not valid.");
                case ShareTokenStatus.Expired or ShareTokenStatus.Revoked:
                    throw new ChatFailedException(ChatErrorTypes.Forbidden, $"This share link has been {status.ToString().ToLowerInvariant()}.");
            }

            return "share-" + tokenId;
        }, cancellationToken);
    }

    /// <summary>Answers the browser's CORS preflight for the widget of <paramref name="twinId"/>.</summary>
    public async Task<IResult> PreflightAsync(HttpRequest request, string twinId, CancellationToken cancellationToken)
    {
        try
        {
            WidgetCors.AllowPreflight(request.HttpContext.Response, await AllowedOriginAsync(request, twinId, cancellationToken).ConfigureAwait(false));
            return TypedResults.NoContent();
        }
        catch (ChatFailedException ex)
        {
            return ChatProblems.From(request.HttpContext.Response, ex);
        }
    }

    /// <param name="admit">Called twice: before the body is read (input null: check credentials) and after (input set: per-caller checks); returns the user id.</param>
    private async Task<IResult> HandleAsync(HttpRequest request, string twinId, ChatChannel channel, Func<ChatInput?, CancellationToken, Task<string?>> admit, CancellationToken cancellationToken)
    {
        var parent = TraceHeaders.Incoming(request);
        string? userId = null;
        try
        {
            userId = await admit(null, cancellationToken).ConfigureAwait(false);
            var input = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
            userId = await admit(input, cancellationToken).ConfigureAwait(false) ?? userId;
            var reply = await chat.ChatAsync(twinId, input, new ChatCaller(channel, userId!), parent, cancellationToken).ConfigureAwait(false);
            TraceHeaders.Write(request.HttpContext.Response, reply.TraceId);
            return TypedResults.Ok(reply);
        }
        catch (ChatFailedException ex)
        {
            if (ex.TraceId is null)
            {
                await chat.RefuseAsync(twinId, channel, userId, parent, ex).ConfigureAwait(false);
            }

            return ChatProblems.From(request.HttpContext.Response, ex);
        }
    }

    private async Task<ChatInput> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonBody.ReadAsync<ChatInput>(request, options.Value.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
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

    private async Task<string> AllowedOriginAsync(HttpRequest request, string twinId, CancellationToken cancellationToken)
    {
        var twin = await twins.FindAsync(twinId, cancellationToken).ConfigureAwait(false)
            ?? throw new ChatFailedException(ChatErrorTypes.UnknownTwin, $"Twin '{twinId}' does not exist.");
        return WidgetOrigin.TryNormalise(request.Headers.Origin.ToString(), out var origin) && twin.AllowedOrigins.Contains(origin, StringComparer.Ordinal)
            ? origin
            : throw new ChatFailedException(ChatErrorTypes.Forbidden, "This page's origin may not use this twin's widget.");
    }
}
