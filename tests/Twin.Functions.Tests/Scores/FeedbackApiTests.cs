using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Twin.Functions.Tests.EndToEnd;
using Twin.Observability.Ledger;
using Twin.Testing;
using Twin.Testing.Fakes.Langfuse;
using Xunit;

namespace Twin.Functions.Tests.Scores;

/// <summary>
/// User feedback end to end over the local host with the fake Langfuse: on one's own chat it becomes the
/// <c>user_feedback</c> score on the chat's root observation and on its ledger row, and counts in the metrics; a
/// second one replaces the first; someone else's chat is 404; the widget and share-link endpoints admit like their
/// chats; bad values are 400 with <c>errors</c>.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FeedbackApiTests : IAsyncLifetime
{
    private const string Site = "https://site.example";
    private FakeLangfuse _langfuse = null!;
    private LocalHostServer _server = null!;
    private HttpClient _admin = null!;
    private string _twinId = "";

    public async Task InitializeAsync()
    {
        _langfuse = await FakeLangfuse.StartAsync();
        _server = await TwinApp.StartAsync([("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString()), .. _langfuse.AppSettings()]);
        _admin = _server.CreateClient(TestKeys.Admin);
        _twinId = "fb-" + Guid.NewGuid().ToString("N")[..10];
        (await _admin.PostAsJsonAsync("/api/manage/twins", new { id = _twinId, name = "Fee", persona = "You are Fee.", knowledge = new[] { "I bake bread." }, allowedOrigins = new[] { Site } })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
        await _langfuse.DisposeAsync();
    }

    [Fact]
    public async Task Feedback_on_ones_own_chat_is_a_score_on_its_observation_and_ledger_row_and_a_second_replaces_it()
    {
        var (traceId, observationId) = await UserChatAsync("ann");

        var first = await SendAsync($"/api/chat/{_twinId}/feedback", new { traceId, observationId, value = 1, comment = "Spot on." }, Bearer("ann"));
        Assert.Equal("user_feedback", first.GetProperty("name").GetString());
        await Eventually.TrueAsync(() => Feedback(traceId).Count == 1, TimeSpan.FromSeconds(10), "the feedback score in Langfuse");
        var score = Assert.Single(Feedback(traceId));
        Assert.Equal(observationId, score.ObservationId);
        Assert.Equal(1, score.Value.GetDouble());
        Assert.Equal("Spot on.", score.Comment);
        Assert.Equal(1, (await RowAsync(traceId)).Scores["user_feedback"]);

        await SendAsync($"/api/chat/{_twinId}/feedback", new { traceId, observationId, value = -1 }, Bearer("ann"));
        var replaced = Assert.Single(Feedback(traceId));
        Assert.Equal(score.Id, replaced.Id);
        Assert.Equal(-1, replaced.Value.GetDouble());
        Assert.Equal(-1, (await RowAsync(traceId)).Scores["user_feedback"]);

        var range = $"from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"))}";
        var quality = await (await _admin.GetAsync($"/api/metrics/quality?{range}&twinId={_twinId}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("user_feedback", quality.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_on_someone_elses_chat_or_an_unknown_one_is_404()
    {
        var (traceId, observationId) = await UserChatAsync("ann");

        var other = await _server.CreateClient(null).SendAsync(ChatClient.Message($"/api/chat/{_twinId}/feedback", new { traceId, observationId, value = 1 }, Bearer("bob")));
        await ProblemAssert.IsProblemAsync(other, HttpStatusCode.NotFound);
        var unknown = await _server.CreateClient(null).SendAsync(ChatClient.Message($"/api/chat/{_twinId}/feedback", new { traceId = new string('a', 32), value = 1 }, Bearer("ann")));
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound);
        Assert.Empty(Feedback(traceId));
        var anonymous = await _server.CreateClient(null).SendAsync(ChatClient.Message($"/api/chat/{_twinId}/feedback", new { traceId, value = 1 }));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task The_widget_and_the_share_link_admit_feedback_like_their_chats()
    {
        using var client = _server.CreateClient(null);
        var chat = await client.SendAsync(ChatClient.Message($"/api/chat-widget/{_twinId}", new { message = "What do you bake?", visitorId = "visitor-0001" }, ("Origin", Site)));
        var body = await ChatClient.JsonAsync(chat);
        var (traceId, observationId) = (body.GetProperty("traceId").GetString()!, body.GetProperty("observationId").GetString()!);

        var mine = await client.SendAsync(ChatClient.Message($"/api/chat-widget/{_twinId}/feedback", new { traceId, observationId, value = 5, visitorId = "visitor-0001" }, ("Origin", Site)));
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal(Site, mine.Headers.GetValues("Access-Control-Allow-Origin").Single());
        await ProblemAssert.IsProblemAsync(await client.SendAsync(ChatClient.Message($"/api/chat-widget/{_twinId}/feedback", new { traceId, observationId, value = 1, visitorId = "visitor-0002" }, ("Origin", Site))), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await client.SendAsync(ChatClient.Message($"/api/chat-widget/{_twinId}/feedback", new { traceId, observationId, value = 1, visitorId = "visitor-0001" }, ("Origin", "https://evil.example"))), HttpStatusCode.Forbidden);

        var token = (await (await _admin.PostAsync($"/api/manage/twins/{_twinId}/share-tokens", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var shared = await ChatClient.JsonAsync(await client.SendAsync(ChatClient.Message($"/api/public/chat/{_twinId}/{token}", new { message = "What do you bake?" })));
        var viaLink = await client.SendAsync(ChatClient.Message($"/api/public/chat/{_twinId}/{token}/feedback", new { traceId = shared.GetProperty("traceId").GetString(), observationId = shared.GetProperty("observationId").GetString(), value = 0 }));
        Assert.Equal(HttpStatusCode.OK, viaLink.StatusCode);
        await ProblemAssert.IsProblemAsync(await client.SendAsync(ChatClient.Message($"/api/public/chat/{_twinId}/not-a-token/feedback", new { traceId, value = 0 })), HttpStatusCode.Unauthorized);
        Assert.Equal(5, (await RowAsync(traceId)).Scores["user_feedback"]);
    }

    [Fact]
    public async Task Bad_feedback_is_400_naming_each_field()
    {
        var (traceId, _) = await UserChatAsync("ann");

        var problem = await ProblemAssert.IsProblemAsync(
            await _server.CreateClient(null).SendAsync(ChatClient.Message($"/api/chat/{_twinId}/feedback", new { traceId = "nope", value = 7, comment = new string('x', 1001) }, Bearer("ann"))),
            HttpStatusCode.BadRequest);

        Assert.Equal(["comment", "traceId", "value"], ProblemAssert.ErrorFields(problem).Order(StringComparer.Ordinal));
        Assert.Empty(Feedback(traceId));
    }

    private async Task<(string TraceId, string ObservationId)> UserChatAsync(string user)
    {
        var response = await _server.CreateClient(null).SendAsync(ChatClient.Message($"/api/chat/{_twinId}", new { message = "What do you bake?" }, Bearer(user)));
        var body = await ChatClient.JsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return (body.GetProperty("traceId").GetString()!, body.GetProperty("observationId").GetString()!);
    }

    private async Task<JsonElement> SendAsync(string path, object body, (string, string) header)
    {
        var response = await _server.CreateClient(null).SendAsync(ChatClient.Message(path, body, header));
        var json = await ChatClient.JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToString());
        return json;
    }

    private List<FakeScore> Feedback(string traceId) => [.. _langfuse.ScoresOf(traceId).Where(s => s.Name == "user_feedback")];

    private async Task<LedgerEntry> RowAsync(string traceId) =>
        (await _server.Services.GetRequiredService<LedgerStore>().FindAsync(traceId, DateTimeOffset.UtcNow, default))!;

    private static (string, string) Bearer(string user) => ("Authorization", "Bearer " + TestJwt.Create(user));
}
