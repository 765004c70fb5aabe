using Microsoft.Extensions.Options;
using Twin.Observability.Chat;
using Twin.Observability.Security;
using Twin.Observability.Twins;
using Twin.Observability.Twins.Sharing;
using Twin.Testing;
using Xunit;

namespace Twin.Observability.Tests.Chat;

/// <summary>What admission refuses, with which error, and what it does not touch before refusing (the body, storage).</summary>
public sealed class ChatAdmissionTests
{
    private static readonly TwinProfile Twin = new("ada", "Ada", "I am Ada.", [], null, null, ["https://a.example"], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "e");

    [Theory]
    [InlineData(ShareTokenStatus.Unknown, ChatErrorTypes.Unauthorized, "This share link is not valid.")]
    [InlineData(ShareTokenStatus.Expired, ChatErrorTypes.Forbidden, "This share link has expired.")]
    [InlineData(ShareTokenStatus.Revoked, ChatErrorTypes.Forbidden, "This share link has been revoked.")]
    public async Task A_share_link_that_does_not_verify_is_refused_before_the_body_is_read(ShareTokenStatus status, string errorType, string message)
    {
        var world = new World { TokenStatus = status };

        var refused = await Assert.ThrowsAsync<ChatFailedException>(() => world.AdmitAsync(ChatChannel.Public, shareToken: "tws_x"));

        Assert.Equal((errorType, message), (refused.ErrorType, refused.Message));
        Assert.Equal(0, world.BodyReads);
        Assert.Equal(0, world.TwinReads);
    }

    [Fact]
    public async Task A_user_without_a_valid_credential_is_refused_before_the_body_or_the_twin_is_read()
    {
        var world = new World();

        var none = await Assert.ThrowsAsync<ChatFailedException>(() => world.AdmitAsync(ChatChannel.User));
        var wrong = await Assert.ThrowsAsync<ChatFailedException>(() => world.AdmitAsync(ChatChannel.User, credential: new ChatCredential(ChatCredentialKind.ApiKey, "nope")));
        var admin = await Assert.ThrowsAsync<ChatFailedException>(() => world.AdmitAsync(ChatChannel.User, credential: new ChatCredential(ChatCredentialKind.ApiKey, TestKeys.Admin)));

        Assert.Equal([ChatErrorTypes.Unauthorized, ChatErrorTypes.Unauthorized, ChatErrorTypes.Forbidden], new[] { none.ErrorType, wrong.ErrorType, admin.ErrorType });
        Assert.Equal((0, 0), (world.BodyReads, world.TwinReads));
    }

    [Fact]
    public async Task A_widget_request_without_a_usable_origin_is_refused_before_storage_is_read()
    {
        var world = new World();

        var refused = await Assert.ThrowsAsync<ChatFailedException>(() => world.AdmitAsync(ChatChannel.Widget, origin: "not a url"));

        Assert.Equal(ChatErrorTypes.Forbidden, refused.ErrorType);
        Assert.Equal(0, world.TwinReads);
    }

    [Fact]
    public async Task A_widget_request_over_the_address_limit_reads_neither_body_nor_twin_and_keeps_the_cached_cors_origin()
    {
        var world = new World();
        for (var i = 0; i < World.AddressLimit; i++)
        {
            await world.AdmitAsync(ChatChannel.Widget, origin: "https://a.example");
        }

        var (bodies, reads) = (world.BodyReads, world.TwinReads);
        var attempt = new ChatAttempt(new Twin.Observability.Tracing.TraceScope { Name = "chat-widget", Environment = "test" });

        var refused = await Assert.ThrowsAsync<ChatFailedException>(() => world.Admission.AdmitAsync(world.Request(ChatChannel.Widget, origin: "https://a.example"), attempt, default));

        Assert.Equal(ChatErrorTypes.RateLimited, refused.ErrorType);
        Assert.Equal((bodies, reads), (world.BodyReads, world.TwinReads));
        Assert.Equal("https://a.example", attempt.CorsOrigin);
    }

    [Theory]
    [InlineData(ChatChannel.Widget)]
    [InlineData(ChatChannel.Public)]
    public async Task An_id_no_twin_can_have_is_refused_as_unknown_before_storage_without_echoing_it(ChatChannel channel)
    {
        var world = new World();
        var attempt = new ChatAttempt(new Twin.Observability.Tracing.TraceScope { Name = "t", Environment = "test" });

        var refused = await Assert.ThrowsAsync<ChatFailedException>(() => world.Admission.AdmitAsync(world.Request(channel, origin: "https://a.example", shareToken: "tws_x") with { TwinId = "Robert'); DROP" }, attempt, default));

        Assert.Equal(ChatErrorTypes.UnknownTwin, refused.ErrorType);
        Assert.Equal((0, 0), (world.TwinReads, world.TokenReads));
        Assert.DoesNotContain("Robert", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admitted_chat_carries_its_caller_twin_and_cors_origin()
    {
        var world = new World();
        var attempt = new ChatAttempt(new Twin.Observability.Tracing.TraceScope { Name = "chat-widget", Environment = "test" });

        var admitted = await world.Admission.AdmitAsync(world.Request(ChatChannel.Widget, origin: "https://A.example/"), attempt, default);

        Assert.Equal((ChatChannel.Widget, "visitor-0001", "ada"), (admitted.Caller.Channel, admitted.Caller.UserId, admitted.Twin.Id));
        Assert.Equal(("https://a.example", "visitor-0001"), (attempt.CorsOrigin, attempt.UserId));
        Assert.Equal(admitted.ConversationId, attempt.ConversationId);
    }

    [Fact]
    public void A_request_shown_in_a_log_or_dump_never_shows_its_credential_or_share_token()
    {
        var request = new World().Request(ChatChannel.User, new ChatCredential(ChatCredentialKind.Bearer, "eyJ.secret.jwt"), shareToken: "tws_secret");

        Assert.DoesNotContain("secret", request.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", request.Credential!.ToString(), StringComparison.Ordinal);
        Assert.Contains("ada", request.ToString(), StringComparison.Ordinal);
    }

    private sealed class World : ITwinLookup, IShareTokenVerifier
    {
        public World()
        {
            var auth = Options.Create(new AuthOptions
            {
                ApiKeys =
                [
                    new ApiKeyOptions { Name = "admin", Role = ApiKeyRole.Admin, Hash = ApiKeyHash.Compute(TestKeys.Admin) },
                    new ApiKeyOptions { Name = "user", Role = ApiKeyRole.User, UserId = "u1", Hash = ApiKeyHash.Compute(TestKeys.User) },
                ],
            });
            Admission = new ChatAdmission(
                new ChatUserAuthenticator(new ApiKeyAuthenticator(auth), new BearerTokenValidator(auth)),
                this,
                this,
                new ChatRateLimiter(Options.Create(new ChatRateLimitOptions { ClientAddressPerMinute = AddressLimit })),
                Origins,
                Options.Create(new TwinChatOptions()));
        }

        public const int AddressLimit = 2;

        public ChatAdmission Admission { get; }

        public TwinOriginCache Origins { get; } = new(TimeProvider.System);

        public ShareTokenStatus TokenStatus { get; init; } = ShareTokenStatus.Valid;

        public int BodyReads { get; private set; }

        public int TwinReads { get; private set; }

        public Task<AdmittedChat> AdmitAsync(ChatChannel channel, ChatCredential? credential = null, string? origin = null, string? shareToken = null) =>
            Admission.AdmitAsync(Request(channel, credential, origin, shareToken), new ChatAttempt(new Twin.Observability.Tracing.TraceScope { Name = "t", Environment = "test" }), default);

        public ChatRequest Request(ChatChannel channel, ChatCredential? credential = null, string? origin = null, string? shareToken = null) => new()
        {
            Channel = channel,
            TwinId = Twin.Id,
            Credential = credential,
            Origin = origin,
            ShareToken = shareToken,
            ReadBodyAsync = _ =>
            {
                BodyReads++;
                return Task.FromResult(new ChatInput { Message = "hi", VisitorId = "visitor-0001" });
            },
        };

        public Task<TwinProfile?> FindAsync(string id, CancellationToken cancellationToken)
        {
            // The storage read a real lookup makes; an id no twin can have would be answered without one.
            TwinReads++;
            return Task.FromResult<TwinProfile?>(id == Twin.Id ? Twin : null);
        }

        public int TokenReads { get; private set; }

        public Task<(ShareTokenStatus Status, string? TokenId)> VerifyAsync(string twinId, string? token, CancellationToken cancellationToken)
        {
            TokenReads++;
            return Task.FromResult<(ShareTokenStatus, string?)>((TokenStatus, TokenStatus == ShareTokenStatus.Unknown ? null : "tok1"));
        }
    }
}
