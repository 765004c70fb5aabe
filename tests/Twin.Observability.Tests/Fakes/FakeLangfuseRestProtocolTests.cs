using System.Net;
using System.Text;
using Twin.Testing;
using Twin.Testing.Fakes.Langfuse;
using Xunit;

namespace Twin.Observability.Tests.Fakes;

/// <summary>What every REST route of the fake shares: Basic auth, failure modes, the request log, and violations failing the test.</summary>
public sealed class FakeLangfuseRestProtocolTests
{
    private const string Score = """{"traceId":"t","name":"x","value":1}""";

    public static TheoryData<string, string> Routes => new()
    {
        { "GET", "/api/public/v2/prompts/greeting" },
        { "GET", "/api/public/v2/prompts" },
        { "POST", FakeLangfuse.ScoresPath },
        { "POST", FakeLangfuse.DatasetsPath },
        { "GET", "/api/public/v2/datasets/a" },
        { "GET", FakeLangfuse.DatasetsPath },
        { "POST", FakeLangfuse.DatasetItemsPath },
        { "GET", FakeLangfuse.DatasetItemsPath },
        { "GET", "/api/public/dataset-items/item-1" },
        { "GET", FakeLangfuse.ProjectsPath },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_route_answers_401_without_or_with_wrong_credentials(string method, string path)
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var anonymous = new HttpClient();
        using var wrong = new HttpClient();
        wrong.DefaultRequestHeaders.Add("Authorization", FakeLangfuse.BasicAuthorizationFor(langfuse.PublicKey, "sk-lf-wrong"));

        using var withoutAuth = await SendAsync(anonymous, langfuse, method, path);
        using var withWrongAuth = await SendAsync(wrong, langfuse, method, path);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutAuth.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withWrongAuth.StatusCode);
        Assert.Equal("Basic", withoutAuth.Headers.WwwAuthenticate.Single().Scheme);
        Assert.NotNull((await withoutAuth.JsonAsync()).GetProperty("message").GetString());
        Assert.All(langfuse.RestRequests, r => Assert.Equal((method, path, 401, false), (r.Method, r.Path, r.StatusCode, r.AuthAccepted)));
        Assert.Equal(2, langfuse.RestRequests.Count);
        Assert.Empty(langfuse.Scores);
        Assert.Empty(langfuse.Datasets);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Fail500_answers_every_route_500_and_stores_nothing(string method, string path)
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.AddPrompt("greeting", 1, "Hello", ["production"]);
        langfuse.Mode = FakeLangfuseMode.Fail500;
        using var http = LangfuseRestClient.Authorized(langfuse);

        using var response = await SendAsync(http, langfuse, method, path);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("Internal Server Error", (await response.JsonAsync()).GetProperty("message").GetString());
        Assert.Equal(FakeLangfuseMode.Fail500, Assert.Single(langfuse.RestRequests).Mode);
        Assert.Empty(langfuse.Scores);
        Assert.Empty(langfuse.Datasets);
    }

    [Fact]
    public async Task After_an_outage_the_same_post_succeeds_and_both_posts_are_counted()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var http = LangfuseRestClient.Authorized(langfuse);

        langfuse.Mode = FakeLangfuseMode.Fail500;
        using (var failed = await http.PostJsonAsync(langfuse, FakeLangfuse.ScoresPath, Score))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        langfuse.Mode = FakeLangfuseMode.Normal;
        using (var ok = await http.PostJsonAsync(langfuse, FakeLangfuse.ScoresPath, Score))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        Assert.Single(langfuse.Scores);
        Assert.Equal(2, langfuse.ScorePostCount);
        Assert.Equal([500, 200], langfuse.RestRequests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Hang_holds_a_prompt_fetch_until_the_client_gives_up_and_still_counts_it()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.AddPrompt("greeting", 1, "Hello", ["production"]);
        langfuse.Mode = FakeLangfuseMode.Hang;
        using var http = LangfuseRestClient.Authorized(langfuse);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => http.GetAsync(langfuse.BaseUrl + "/api/public/v2/prompts/greeting", giveUp.Token));

        Assert.Equal(1, langfuse.PromptFetchCount("greeting"));
        Assert.Equal(FakeLangfuseMode.Hang, Assert.Single(langfuse.RestRequests).Mode);
    }

    [Fact]
    public async Task A_post_that_is_not_json_is_400_and_a_violation()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var http = LangfuseRestClient.Authorized(langfuse);

        using var wrongType = await http.PostAsync(langfuse.BaseUrl + FakeLangfuse.ScoresPath, new StringContent(Score, Encoding.UTF8, "text/plain"));
        using var broken = await http.PostJsonAsync(langfuse, FakeLangfuse.ScoresPath, """{"name":""");

        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        var violations = langfuse.TakeSchemaViolations();
        Assert.Contains("Content-Type", Assert.Single(violations[0].Errors), StringComparison.Ordinal);
        Assert.Contains("not JSON", Assert.Single(violations[1].Errors), StringComparison.Ordinal);
        Assert.Empty(langfuse.Scores);
    }

    [Theory]
    [InlineData("/api/public/v2/prompts?limit=0")]
    [InlineData("/api/public/v2/prompts?limit=101")]
    [InlineData("/api/public/v2/datasets?page=0")]
    [InlineData("/api/public/dataset-items?page=x")]
    public async Task Paging_outside_Langfuses_bounds_is_400_and_a_violation(string pathAndQuery)
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var http = LangfuseRestClient.Authorized(langfuse);

        using var response = await http.GetAsync(langfuse, pathAndQuery);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(pathAndQuery, Assert.Single(langfuse.TakeSchemaViolations()).Path);
    }

    [Fact]
    public async Task Disposing_with_a_violation_not_taken_throws_and_names_it_but_still_stops_the_server()
    {
        var langfuse = await FakeLangfuse.StartAsync();
        using var http = LangfuseRestClient.Authorized(langfuse);
        using (var response = await http.PostJsonAsync(langfuse, FakeLangfuse.ScoresPath, """{"traceId":"t","value":1}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        var error = await Assert.ThrowsAsync<LangfuseSchemaViolationException>(async () => await langfuse.DisposeAsync());

        var violation = Assert.Single(error.Violations);
        Assert.Equal(FakeLangfuse.ScoresPath, violation.Path);
        Assert.Contains(FakeLangfuse.ScoresPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("name", error.Message, StringComparison.Ordinal);
        Assert.Contains("""{"traceId":"t","value":1}""", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync(langfuse.BaseUrl + "/api/public/v2/prompts"));
    }

    [Fact]
    public async Task Disposing_after_the_violations_were_taken_does_not_throw()
    {
        var langfuse = await FakeLangfuse.StartAsync();
        using var http = LangfuseRestClient.Authorized(langfuse);
        using (await http.PostJsonAsync(langfuse, FakeLangfuse.ScoresPath, "{}"))
        {
        }

        Assert.Single(langfuse.TakeSchemaViolations());
        Assert.Empty(langfuse.SchemaViolations);
        await langfuse.DisposeAsync();
    }

    [Fact]
    public async Task Concurrent_score_posts_are_all_stored()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var http = LangfuseRestClient.Authorized(langfuse);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var response = await http.PostJsonAsync(langfuse, FakeLangfuse.ScoresPath, $$"""{"id":"s-{{i % 10}}","traceId":"t","name":"x","value":{{i}}}""");
            response.EnsureSuccessStatusCode();
        }));

        Assert.Equal(10, langfuse.Scores.Count);
        Assert.Equal(20, langfuse.ScorePostCount);
        await Eventually.TrueAsync(() => langfuse.RestRequests.Count == 20, TimeSpan.FromSeconds(5));
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, FakeLangfuse langfuse, string method, string path) => method == "POST"
        ? http.PostJsonAsync(langfuse, path, path == FakeLangfuse.ScoresPath ? Score : """{"name":"a","datasetName":"a"}""")
        : http.GetAsync(langfuse, path);
}
