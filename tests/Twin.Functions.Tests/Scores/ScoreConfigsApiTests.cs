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
/// User-defined scores end to end with the fake Langfuse: configs are checked, mirrored to Langfuse's score configs,
/// updated and archived; scores posted from outside are checked against their config (range, category, boolean) and
/// land on the chat's ledger row and in Langfuse, idempotently by id.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ScoreConfigsApiTests : IAsyncLifetime
{
    private FakeLangfuse _langfuse = null!;
    private LocalHostServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _langfuse = await FakeLangfuse.StartAsync();
        _server = await TwinApp.StartAsync([("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString()), .. _langfuse.AppSettings()]);
        _admin = _server.CreateClient(TestKeys.Admin);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
        await _langfuse.DisposeAsync();
    }

    [Fact]
    public async Task Configs_are_checked_mirrored_to_Langfuse_updated_and_archived()
    {
        var created = await JsonAsync(await _admin.PostAsJsonAsync("/api/manage/scores/configs", new { name = "conversion", dataType = "numeric", min = 0, max = 100, description = "Order value" }), HttpStatusCode.Created);
        var langfuseId = created.GetProperty("langfuseId").GetString();
        var mirrored = Assert.Single(_langfuse.ScoreConfigs, c => c.GetProperty("name").GetString() == "conversion");
        Assert.Equal(langfuseId, mirrored.GetProperty("id").GetString());
        Assert.Equal(("NUMERIC", 100.0), (mirrored.GetProperty("dataType").GetString(), mirrored.GetProperty("maxValue").GetDouble()));

        await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/scores/configs", new { name = "conversion", dataType = "numeric" }), HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/scores/configs", new { name = "relevance", dataType = "numeric" }), HttpStatusCode.Conflict);
        var invalid = await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/scores/configs", new { name = "Bad Name", dataType = "categorical", min = 2, categories = new[] { new { label = "only", value = 1 } } }), HttpStatusCode.BadRequest);
        Assert.Superset(new HashSet<string> { "name", "min", "categories" }, ProblemAssert.ErrorFields(invalid).ToHashSet());

        var updated = await JsonAsync(await _admin.PutAsJsonAsync("/api/manage/scores/configs/conversion", new { dataType = "numeric", min = 0, max = 500 }), HttpStatusCode.OK);
        Assert.Equal(500, updated.GetProperty("max").GetDouble());
        Assert.Equal(500, Assert.Single(_langfuse.ScoreConfigs, c => c.GetProperty("name").GetString() == "conversion").GetProperty("maxValue").GetDouble());
        await ProblemAssert.IsProblemAsync(await _admin.PutAsJsonAsync("/api/manage/scores/configs/conversion", new { dataType = "boolean" }), HttpStatusCode.BadRequest);

        var list = await JsonAsync(await _admin.GetAsync("/api/manage/scores/configs"), HttpStatusCode.OK);
        var names = list.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Contains("user_feedback", names);
        Assert.Contains("conversion", names);

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync("/api/manage/scores/configs/conversion")).StatusCode);
        Assert.True(Assert.Single(_langfuse.ScoreConfigs, c => c.GetProperty("name").GetString() == "conversion").GetProperty("isArchived").GetBoolean());
        await ProblemAssert.IsProblemAsync(await _admin.DeleteAsync("/api/manage/scores/configs/conversion"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Scores_from_outside_are_checked_against_their_config_and_recorded_on_the_chat()
    {
        await JsonAsync(await _admin.PostAsJsonAsync("/api/manage/scores/configs", new { name = "review", dataType = "categorical", categories = new[] { new { label = "good", value = 1 }, new { label = "bad", value = 0 } } }), HttpStatusCode.Created);
        await JsonAsync(await _admin.PostAsJsonAsync("/api/manage/scores/configs", new { name = "converted", dataType = "boolean" }), HttpStatusCode.Created);
        var chat = await ChatClient.JsonAsync(await _server.CreateClient(TestKeys.User).SendAsync(ChatClient.Message("/api/chat/demo", new { message = "What do you bake?" })));
        var (traceId, observationId) = (chat.GetProperty("traceId").GetString()!, chat.GetProperty("observationId").GetString()!);

        var review = await JsonAsync(await _admin.PostAsJsonAsync("/api/manage/scores", new { traceId, observationId, name = "review", value = "good", comment = "human review" }), HttpStatusCode.OK);
        await JsonAsync(await _admin.PostAsJsonAsync("/api/manage/scores", new { traceId, name = "converted", value = true, id = "order-42" }), HttpStatusCode.OK);
        await JsonAsync(await _admin.PostAsJsonAsync("/api/manage/scores", new { traceId, name = "converted", value = false, id = "order-42" }), HttpStatusCode.OK);

        Assert.Equal("good", review.GetProperty("value").GetString());
        var scores = _langfuse.ScoresOf(traceId);
        var reviewScore = Assert.Single(scores, s => s.Name == "review");
        Assert.Equal(("CATEGORICAL", "good", observationId), (reviewScore.DataType, reviewScore.Value.GetString(), reviewScore.ObservationId));
        Assert.NotNull(reviewScore.ConfigId);
        var converted = Assert.Single(scores, s => s.Name == "converted");
        Assert.Equal(("order-42", "BOOLEAN", 0.0), (converted.Id, converted.DataType, converted.Value.GetDouble()));
        var row = (await _server.Services.GetRequiredService<LedgerStore>().FindAsync(traceId, DateTimeOffset.UtcNow, default))!;
        Assert.Equal((1.0, 0.0), (row.Scores["review"], row.Scores["converted"]));

        var badCategory = await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/scores", new { traceId, name = "review", value = "meh" }), HttpStatusCode.BadRequest);
        Assert.Contains("value", ProblemAssert.ErrorFields(badCategory));
        var outOfRange = await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/scores", new { traceId, name = "relevance", value = 1.5 }), HttpStatusCode.BadRequest);
        Assert.Contains("value", ProblemAssert.ErrorFields(outOfRange));
        var unknown = await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/scores", new { traceId, name = "nothing_like_it", value = 1 }), HttpStatusCode.BadRequest);
        Assert.Contains("name", ProblemAssert.ErrorFields(unknown));
        await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/scores", new { traceId = new string('b', 32), name = "converted", value = true }), HttpStatusCode.NotFound);
        using var anonymous = _server.CreateClient(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/manage/scores", new { traceId, name = "converted", value = true })).StatusCode);
    }

    private static Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected) => ApiResponses.JsonAsync(response, expected);
}
