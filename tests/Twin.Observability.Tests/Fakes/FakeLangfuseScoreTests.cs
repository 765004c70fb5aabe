using System.Net;
using System.Text.Json;
using Twin.Testing.Fakes.Langfuse;
using Xunit;

namespace Twin.Observability.Tests.Fakes;

/// <summary>The fake's <c>POST /api/public/scores</c>: upsert by id, and the bodies Langfuse refuses.</summary>
public sealed class FakeLangfuseScoreTests
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";

    [Fact]
    public async Task The_same_id_posted_twice_leaves_one_score_with_the_last_value()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var http = LangfuseRestClient.Authorized(langfuse);

        using var first = await http.PostJsonAsync(langfuse, FakeLangfuse.ScoresPath, $$"""{"id":"s-1","traceId":"{{TraceId}}","name":"faithfulness","value":0.4,"dataType":"NUMERIC"}""");
        using var second = await http.PostJsonAsync(langfuse, FakeLangfuse.ScoresPath, $$$"""{"id":"s-1","traceId":"{{{TraceId}}}","name":"faithfulness","value":0.9,"comment":"re-judged","metadata":{"judge":"gpt"}}""");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("s-1", (await second.JsonAsync()).GetProperty("id").GetString());
        var score = Assert.Single(langfuse.Scores);
        Assert.Equal(("s-1", "faithfulness", 0.9, "re-judged"), (score.Id, score.Name, score.NumericValue, score.Comment));
        Assert.Null(score.DataType);
        Assert.Equal("gpt", score.Metadata?.GetProperty("judge").GetString());
        Assert.Equal(2, langfuse.ScorePostCount);
        Assert.Equal(score, Assert.Single(langfuse.ScoresOf(TraceId.ToUpperInvariant())));
    }

    [Fact]
    public async Task Without_an_id_the_server_generates_a_uuid_and_each_post_is_a_new_score()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var http = LangfuseRestClient.Authorized(langfuse);
        const string body = """{"sessionId":"chat-1","name":"verdict","value":"pass","dataType":"CATEGORICAL","environment":"ci"}""";

        using var first = await http.PostJsonAsync(langfuse, FakeLangfuse.ScoresPath, body);
        using var second = await http.PostJsonAsync(langfuse, FakeLangfuse.ScoresPath, body);

        var id = (await first.JsonAsync()).GetProperty("id").GetString();
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal([id, (await second.JsonAsync()).GetProperty("id").GetString()], langfuse.Scores.Select(s => s.Id));
        Assert.All(langfuse.Scores, s => Assert.Equal(("pass", "chat-1", "ci"), (s.StringValue, s.SessionId, s.Environment)));
    }

    [Theory]
    [InlineData("""{"traceId":"t","value":1}""", "name")]
    [InlineData("""{"traceId":"t","name":"x"}""", "value")]
    [InlineData("""{"traceId":"t","name":"x","value":{"score":1}}""", "/value")]
    [InlineData("""{"traceId":"t","name":"x","value":true}""", "/value")]
    [InlineData("""{"traceId":"t","name":"x","value":1,"dataType":"PERCENT"}""", "/dataType")]
    [InlineData("""{"traceId":7,"name":"x","value":1}""", "/traceId")]
    [InlineData("""{"traceId":"t","name":"x","value":1,"metadata":"not an object"}""", "/metadata")]
    public async Task A_body_that_breaks_the_spec_is_400_and_a_violation(string body, string mentioned)
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var http = LangfuseRestClient.Authorized(langfuse);

        using var response = await http.PostJsonAsync(langfuse, FakeLangfuse.ScoresPath, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var answer = await response.JsonAsync();
        Assert.Equal("Invalid request data", answer.GetProperty("message").GetString());
        Assert.NotEqual(0, answer.GetProperty("error").GetArrayLength());
        var violation = Assert.Single(langfuse.TakeSchemaViolations());
        Assert.Equal(("POST", FakeLangfuse.ScoresPath, body), (violation.Method, violation.Path, violation.Body));
        Assert.Contains(violation.Errors, e => e.Contains(mentioned, StringComparison.Ordinal));
        Assert.Empty(langfuse.Scores);
        Assert.Equal(400, Assert.Single(langfuse.RestRequests).StatusCode);
    }

    [Theory]
    [InlineData("""{"traceId":"t","name":"x","value":2,"dataType":"BOOLEAN"}""", "BOOLEAN")]
    [InlineData("""{"traceId":"t","name":"x","value":"good","dataType":"NUMERIC"}""", "NUMERIC")]
    [InlineData("""{"traceId":"t","name":"x","value":0.5,"dataType":"CATEGORICAL"}""", "CATEGORICAL")]
    [InlineData("""{"traceId":"t","name":"x","value":"","dataType":"TEXT"}""", "TEXT")]
    [InlineData("""{"name":"x","value":1}""", "exactly one of")]
    [InlineData("""{"traceId":"t","sessionId":"s","name":"x","value":1}""", "exactly one of")]
    [InlineData("""{"sessionId":"s","observationId":"o","name":"x","value":1}""", "observationId requires traceId")]
    [InlineData("""{"traceId":"t","name":"","value":1}""", "name must not be empty")]
    [InlineData("""{"traceId":"t","name":"x","value":1,"environment":"Prod"}""", "environment")]
    [InlineData("""{"traceId":"t","name":"x","value":1,"environment":"langfuse-x"}""", "environment")]
    public async Task A_body_that_breaks_Langfuses_score_rules_is_400_and_a_violation(string body, string mentioned)
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var http = LangfuseRestClient.Authorized(langfuse);

        using var response = await http.PostJsonAsync(langfuse, FakeLangfuse.ScoresPath, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(Assert.Single(langfuse.TakeSchemaViolations()).Errors, e => e.Contains(mentioned, StringComparison.Ordinal));
        Assert.Empty(langfuse.Scores);
    }

    [Theory]
    [InlineData("""{"traceId":"t","observationId":"o","name":"x","value":1,"dataType":"BOOLEAN"}""")]
    [InlineData("""{"datasetRunId":"r","name":"x","value":"a fine answer","dataType":"TEXT","comment":null,"metadata":null,"dataType":null}""")]
    [InlineData("""{"traceId":"t","name":"x","value":3.5,"dataType":null,"source":null,"environment":"my-env_2","unknownField":true}""")]
    public async Task Nullable_fields_may_be_null_and_extra_fields_pass_as_the_spec_allows(string body)
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var http = LangfuseRestClient.Authorized(langfuse);

        using var response = await http.PostJsonAsync(langfuse, FakeLangfuse.ScoresPath, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(langfuse.Scores);
        Assert.Equal(JsonValueKind.String, (await response.JsonAsync()).GetProperty("id").ValueKind);
    }
}
