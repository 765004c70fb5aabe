using Microsoft.Extensions.Options;
using Twin.Observability.Tracing;
using Twin.Observability.Twins;
using Twin.Observability.Twins.Sharing;

namespace Twin.Observability.Chat;

/// <summary>
/// Decides whether a chat request may run, per endpoint, cheapest and least resettable check first: the client
/// address's limits before the body or storage is read, the credential (user key or token, share token, page origin)
/// before the body is read, the twin id's form before storage, then the per-caller and per-twin limits. Refused
/// credentials count against the client address, so guessing share tokens or keys is slow. A widget request learns
/// its CORS origin from the cache of twins read lately (<see cref="TwinOriginCache"/>) before anything else, so even a
/// refusal that reads nothing reaches the page. Runs as the trace's <c>admit</c> guardrail span, with
/// <c>load-twin</c> inside it, since the twin decides who may talk to it.
/// </summary>
public sealed class ChatAdmission(
    ChatUserAuthenticator users,
    ITwinLookup twins,
    IShareTokenVerifier shareTokens,
    ChatRateLimiter limits,
    TwinOriginCache origins,
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
        // A signed-in caller is not anonymous: a well-formed id it names is recorded as given (an invalid one is still a
        // label), so its bad requests stay failures of that twin, which the twin's metrics and alerts count.
        attempt.NameTwin(request.TwinId, known: true);
        var body = await readBody(cancellationToken).ConfigureAwait(false);
        return new(await LoadTwinAsync(request.TwinId, attempt, cancellationToken).ConfigureAwait(false), new ChatCaller(ChatChannel.User, userId), body);
    }

    private async Task<AdmittedCaller<TBody>> AdmitWidgetAsync<TBody>(ChatRequest request, ChatAttempt attempt, Func<CancellationToken, Task<TBody>> readBody, Func<TBody, string?> visitorOf, CancellationToken cancellationToken)
    {
        // A browser reads a refusal only with its CORS headers: known from the cache, this one and any later refusal
        // (the address limit, a body, a storage outage) reaches the page, and the address limit reads nothing first.
        attempt.CorsOrigin = origins.AllowedOrigin(request.TwinId, request.Origin);
        limits.Acquire(ChatLimit.ClientAddress, ClientAddressKey.Of(request.ClientAddress));
        if (!WidgetOrigin.TryNormalise(request.Origin, out _))
        {
            throw OriginRefused();
        }

        EnsureTwinIdValid(request.TwinId);
        // The body (bounded, in memory) is cheaper than the twin's storage read that the origin list needs.
        var body = await readBody(cancellationToken).ConfigureAwait(false);
        var visitor = ValidVisitorId(visitorOf(body));
        attempt.UserId = visitor;
        var twin = await LoadTwinAsync(request.TwinId, attempt, cancellationToken).ConfigureAwait(false);
        // The twin as read decides, not the cache: an origin it no longer allows gets no CORS headers.
        attempt.CorsOrigin = null;
        attempt.CorsOrigin = AllowedOrigin(twin, request.Origin);
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
        EnsureTwinIdValid(request.TwinId);
        var (status, tokenId) = await shareTokens.VerifyAsync(request.TwinId, request.ShareToken, cancellationToken).ConfigureAwait(false);
        if (status != ShareTokenStatus.Valid)
        {
            limits.Count(ChatLimit.FailedCredentials, address);
            throw status == ShareTokenStatus.Unknown
                ? new ChatFailedException(ChatErrorTypes.Unauthorized, "This share link is not valid.")
                : new ChatFailedException(ChatErrorTypes.Forbidden, $"This share link has {(status == ShareTokenStatus.Expired ? "expired" : "been revoked")}.");
        }

        // A valid token was issued for this twin: its id names a twin, so failures from here on are the twin's.
        attempt.ConfirmTwin(request.TwinId);
        var userId = "share-" + tokenId;
        attempt.UserId = userId;
        limits.Acquire(ChatLimit.ShareLink, $"{request.TwinId}|{tokenId}");
        var body = await readBody(cancellationToken).ConfigureAwait(false);
        var twin = await LoadTwinAsync(request.TwinId, attempt, cancellationToken).ConfigureAwait(false);
        limits.Acquire(ChatLimit.Twin, twin.Id);
        return new(twin, new ChatCaller(ChatChannel.Public, userId), body);
    }

    /// <summary>
    /// The widget's CORS preflight: one of the address's permits, then the origin the twin allows, from the cache of
    /// twins read lately when it has the twin, else from storage; or a <see cref="ChatFailedException"/>.
    /// </summary>
    public async Task<string> PreflightAsync(string twinId, string? origin, System.Net.IPAddress? clientAddress, CancellationToken cancellationToken)
    {
        limits.Acquire(ChatLimit.ClientAddress, ClientAddressKey.Of(clientAddress));
        if (origins.OriginsOf(twinId) is not null)
        {
            return origins.AllowedOrigin(twinId, origin) ?? throw OriginRefused();
        }

        var twin = await twins.FindAsync(twinId, cancellationToken).ConfigureAwait(false) ?? throw UnknownTwin(twinId);
        origins.Remember(twin);
        return AllowedOrigin(twin, origin);
    }

    /// <summary>The widget origin the twin allows for <paramref name="origin"/>, or a refusal; also answers the CORS preflight.</summary>
    public static string AllowedOrigin(TwinProfile twin, string? origin) =>
        WidgetOrigin.TryNormalise(origin, out var normalised) && twin.AllowedOrigins.Contains(normalised, StringComparer.Ordinal)
            ? normalised
            : throw OriginRefused();

    private static ChatFailedException OriginRefused() =>
        new(ChatErrorTypes.Forbidden, "This page's origin may not use this twin's widget.");

    // The span's input is the twin as the trace names it (the id only when known): the raw id is the caller's string.
    private Task<TwinProfile> LoadTwinAsync(string twinId, ChatAttempt attempt, CancellationToken cancellationToken) =>
        PipelineNode.RunAsync("load-twin", ObservationTypes.Span, new LoadTwinSpanInput(attempt.TwinId), async _ =>
            {
                var twin = await twins.FindAsync(twinId, cancellationToken).ConfigureAwait(false) ?? throw UnknownTwin(twinId);
                origins.Remember(twin);
                attempt.ConfirmTwin(twin.Id);
                return twin;
            },
            t => new LoadTwinSpanOutput(t.Id, t.Name));

    // Before storage: an id no twin could have is answered like an unknown twin without a read.
    private static void EnsureTwinIdValid(string twinId)
    {
        if (!TwinValidator.IsValidId(twinId))
        {
            throw UnknownTwin(twinId);
        }
    }

    // The message becomes the span's status message, so it does not repeat the caller's id (ChatAttempt.NameTwin).
    private static ChatFailedException UnknownTwin(string twinId) =>
        new(ChatErrorTypes.UnknownTwin, TwinValidator.IsValidId(twinId) ? "This twin does not exist." : "No twin can have this id.");

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
