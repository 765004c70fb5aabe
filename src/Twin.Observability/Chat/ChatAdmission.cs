using Microsoft.Extensions.Options;
using Twin.Observability.Tracing;
using Twin.Observability.Twins;
using Twin.Observability.Twins.Sharing;

namespace Twin.Observability.Chat;

/// <summary>
/// Decides whether a chat request may run, per endpoint, cheapest and least resettable check first: the client
/// address's limits before any storage read, the credential (user key or token, share token, page origin) before the
/// body is read, then the per-caller and per-twin limits. Refused credentials count against the client address, so
/// guessing share tokens or keys is slow. Runs as the trace's <c>admit</c> guardrail span, with <c>load-twin</c>
/// inside it, since the twin decides who may talk to it.
/// </summary>
public sealed class ChatAdmission(
    ChatUserAuthenticator users,
    ITwinLookup twins,
    IShareTokenVerifier shareTokens,
    ChatRateLimiter limits,
    IOptions<TwinChatOptions> options)
{
    public Task<AdmittedChat> AdmitAsync(ChatRequest request, ChatAttempt attempt, CancellationToken cancellationToken) =>
        PipelineNode.RunAsync("admit", ObservationTypes.Guardrail, new AdmitSpanInput(request.Channel.TraceName()), async _ =>
            {
                var admitted = await AdmitCallerAsync(request, attempt, ct => ReadAsync(request, attempt, ct), input => input.VisitorId, cancellationToken).ConfigureAwait(false);
                return new AdmittedChat(admitted.Twin, admitted.Caller, admitted.Body.Message, admitted.Body.ConversationId);
            },
            admitted => new AdmitSpanOutput(true, admitted.Twin.Id));

    /// <summary>
    /// Admits a request of a chat endpoint whose body is not a chat (feedback on a reply): the same credential, origin,
    /// share-token and rate-limit checks in the same order, with <paramref name="readBody"/> read where the chat's body
    /// would be and <paramref name="visitorOf"/> giving the widget's visitor id from it.
    /// </summary>
    public Task<AdmittedCaller<TBody>> AdmitCallerAsync<TBody>(
        ChatRequest request,
        ChatAttempt attempt,
        Func<CancellationToken, Task<TBody>> readBody,
        Func<TBody, string?> visitorOf,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Channel switch
        {
            ChatChannel.User => AdmitUserAsync(request, attempt, readBody, cancellationToken),
            ChatChannel.Widget => AdmitWidgetAsync(request, attempt, readBody, visitorOf, cancellationToken),
            _ => AdmitShareLinkAsync(request, attempt, readBody, cancellationToken),
        };
    }

    private async Task<AdmittedCaller<TBody>> AdmitUserAsync<TBody>(ChatRequest request, ChatAttempt attempt, Func<CancellationToken, Task<TBody>> readBody, CancellationToken cancellationToken)
    {
        var address = ClientAddressKey.Of(request.ClientAddress);
        limits.EnsureAvailable(ChatLimit.FailedCredentials, address);
        ChatSignIn signIn;
        try
        {
            signIn = await users.AuthenticateAsync(request.Credential, cancellationToken).ConfigureAwait(false);
        }
        catch (ChatFailedException ex) when (ex.ErrorType == ChatErrorTypes.Unauthorized)
        {
            limits.Count(ChatLimit.FailedCredentials, address);
            throw;
        }

        var userId = signIn.UserId;
        attempt.UserId = userId;
        if (signIn.Synthetic)
        {
            attempt.MarkSynthetic();
        }

        limits.Acquire(ChatLimit.User, userId);
        var body = await readBody(cancellationToken).ConfigureAwait(false);
        return new(await LoadTwinAsync(request.TwinId, cancellationToken).ConfigureAwait(false), new ChatCaller(ChatChannel.User, userId), body);
    }

    private async Task<AdmittedCaller<TBody>> AdmitWidgetAsync<TBody>(ChatRequest request, ChatAttempt attempt, Func<CancellationToken, Task<TBody>> readBody, Func<TBody, string?> visitorOf, CancellationToken cancellationToken)
    {
        // Counted first, refused only once the origin is known: a browser reads a 429 only with its CORS headers.
        var overAddressLimit = limits.TryAcquire(ChatLimit.ClientAddress, ClientAddressKey.Of(request.ClientAddress));
        if (!WidgetOrigin.TryNormalise(request.Origin, out _))
        {
            throw OriginRefused();
        }

        // The body (bounded, in memory) is cheaper than the twin's storage read that the origin list needs.
        var body = await readBody(cancellationToken).ConfigureAwait(false);
        var visitor = ValidVisitorId(visitorOf(body));
        attempt.UserId = visitor;
        var twin = await LoadTwinAsync(request.TwinId, cancellationToken).ConfigureAwait(false);
        attempt.CorsOrigin = AllowedOrigin(twin, request.Origin);
        if (overAddressLimit is not null)
        {
            throw overAddressLimit;
        }

        limits.Acquire(ChatLimit.Visitor, $"{twin.Id}|{visitor}");
        limits.Acquire(ChatLimit.Twin, twin.Id);
        return new(twin, new ChatCaller(ChatChannel.Widget, visitor), body);
    }

    private async Task<AdmittedCaller<TBody>> AdmitShareLinkAsync<TBody>(ChatRequest request, ChatAttempt attempt, Func<CancellationToken, Task<TBody>> readBody, CancellationToken cancellationToken)
    {
        var address = ClientAddressKey.Of(request.ClientAddress);
        limits.EnsureAvailable(ChatLimit.FailedCredentials, address);
        // Taken before the lookup: refused tokens are counted only once verified, so parallel guesses would all pass
        // that check together; every attempt, good or bad, takes one of the address's permits first.
        limits.Acquire(ChatLimit.ClientAddress, address);
        var (status, tokenId) = await shareTokens.VerifyAsync(request.TwinId, request.ShareToken, cancellationToken).ConfigureAwait(false);
        if (status != ShareTokenStatus.Valid)
        {
            limits.Count(ChatLimit.FailedCredentials, address);
            throw status == ShareTokenStatus.Unknown
                ? new ChatFailedException(ChatErrorTypes.Unauthorized, "This share link is not valid.")
                : new ChatFailedException(ChatErrorTypes.Forbidden, $"This share link has {(status == ShareTokenStatus.Expired ? "expired" : "been revoked")}.");
        }

        var userId = "share-" + tokenId;
        attempt.UserId = userId;
        limits.Acquire(ChatLimit.ShareLink, $"{request.TwinId}|{tokenId}");
        var body = await readBody(cancellationToken).ConfigureAwait(false);
        var twin = await LoadTwinAsync(request.TwinId, cancellationToken).ConfigureAwait(false);
        limits.Acquire(ChatLimit.Twin, twin.Id);
        return new(twin, new ChatCaller(ChatChannel.Public, userId), body);
    }

    /// <summary>The widget origin the twin allows for <paramref name="origin"/>, or a refusal; also answers the CORS preflight.</summary>
    public static string AllowedOrigin(TwinProfile twin, string? origin) =>
        WidgetOrigin.TryNormalise(origin, out var normalised) && twin.AllowedOrigins.Contains(normalised, StringComparer.Ordinal)
            ? normalised
            : throw OriginRefused();

    private static ChatFailedException OriginRefused() =>
        new(ChatErrorTypes.Forbidden, "This page's origin may not use this twin's widget.");

    private Task<TwinProfile> LoadTwinAsync(string twinId, CancellationToken cancellationToken) =>
        PipelineNode.RunAsync("load-twin", ObservationTypes.Span, new LoadTwinSpanInput(twinId), async _ =>
            await twins.FindAsync(twinId, cancellationToken).ConfigureAwait(false)
            ?? throw new ChatFailedException(ChatErrorTypes.UnknownTwin, $"Twin '{twinId}' does not exist."),
            t => new LoadTwinSpanOutput(t.Id, t.Name));

    // Reads and validates the body; the conversation is known from here on, so every span that ends later carries it.
    private async Task<ValidatedInput> ReadAsync(ChatRequest request, ChatAttempt attempt, CancellationToken cancellationToken)
    {
        var input = await request.ReadBodyAsync(cancellationToken).ConfigureAwait(false);
        var (message, conversationId, metadata) = ChatInputRules.Validate(input, options.Value.MaxMessageLength);
        attempt.ConversationId = conversationId;
        attempt.AddMetadata(metadata);
        return new ValidatedInput(input.VisitorId, message, conversationId);
    }

    private sealed record ValidatedInput(string? VisitorId, string Message, string ConversationId);

    private static string ValidVisitorId(string? visitor) =>
        visitor is { Length: >= 8 and <= 64 } && visitor.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? visitor
            : throw new ChatFailedException(ChatErrorTypes.Validation, "visitorId is required: 8 to 64 letters, digits, '-' or '_'.")
            {
                Errors = new Dictionary<string, string[]> { ["visitorId"] = ["must be 8 to 64 letters, digits, '-' or '_'."] },
            };
}

/// <summary>A request of a chat endpoint that passed admission: its twin, its caller and its body.</summary>
public sealed record AdmittedCaller<TBody>(TwinProfile Twin, ChatCaller Caller, TBody Body);

/// <summary>A chat that passed admission: its twin, its caller and its validated message (its metadata is on the trace scope).</summary>
public sealed record AdmittedChat(TwinProfile Twin, ChatCaller Caller, string Message, string ConversationId);
