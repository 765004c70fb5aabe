using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Twins.Sharing;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.EndToEnd;

[Collection(TwinAppCollection.Name)]
public sealed class ShareTokensApiTests(TwinAppFixture app)
{
    private async Task<string> CreateTwinAsync()
    {
        var id = "s-" + Guid.NewGuid().ToString("N")[..12];
        var response = await app.Admin.PostAsJsonAsync("/api/manage/twins", new { id, name = "Share", persona = "p" });
        response.EnsureSuccessStatusCode();
        return id;
    }

    [Fact]
    public async Task A_token_is_shown_once_listed_without_secret_and_revocable()
    {
        var twinId = await CreateTwinAsync();
        var checker = app.Server.Services.GetRequiredService<ShareTokenService>();

        var created = await app.Admin.PostAsync($"/api/manage/twins/{twinId}/share-tokens", null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("no-store", created.Headers.CacheControl?.ToString());
        var issued = await created.Content.ReadFromJsonAsync<JsonElement>();
        var token = issued.GetProperty("token").GetString()!;
        var tokenId = issued.GetProperty("id").GetString()!;
        Assert.Equal($"{app.Server.BaseAddress.GetLeftPart(UriPartial.Authority)}/api/public/chat/{twinId}/{token}", issued.GetProperty("url").GetString());
        Assert.True(issued.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(29));
        Assert.Equal(ShareTokenStatus.Valid, await checker.CheckAsync(twinId, token, default));

        var listed = await app.Admin.GetStringAsync($"/api/manage/twins/{twinId}/share-tokens");
        Assert.Contains(tokenId, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(token, listed, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await app.Admin.DeleteAsync($"/api/manage/twins/{twinId}/share-tokens/{tokenId}")).StatusCode);
        Assert.Equal(ShareTokenStatus.Revoked, await checker.CheckAsync(twinId, token, default));
        var afterRevoke = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/manage/twins/{twinId}/share-tokens");
        Assert.NotEqual(JsonValueKind.Null, afterRevoke.GetProperty("items")[0].GetProperty("revokedAt").ValueKind);
    }

    [Fact]
    public async Task The_token_list_pages_like_the_twin_list()
    {
        var twinId = await CreateTwinAsync();
        var issued = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var created = await (await app.Admin.PostAsync($"/api/manage/twins/{twinId}/share-tokens", null)).Content.ReadFromJsonAsync<JsonElement>();
            issued.Add(created.GetProperty("id").GetString()!);
        }

        var first = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/manage/twins/{twinId}/share-tokens?limit=2");
        var token = first.GetProperty("continuationToken").GetString();
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        Assert.False(string.IsNullOrEmpty(token));
        var second = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/manage/twins/{twinId}/share-tokens?limit=2&continuationToken={Uri.EscapeDataString(token!)}");

        var listed = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(t => t.GetProperty("id").GetString()!).ToList();
        Assert.Equal(issued.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("continuationToken").ValueKind);
    }

    [Theory]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("continuationToken=garbage!", "continuationToken")]
    public async Task Bad_token_list_parameters_are_400(string query, string field)
    {
        var twinId = await CreateTwinAsync();

        var problem = await ProblemAssert.IsProblemAsync(await app.Admin.GetAsync($"/api/manage/twins/{twinId}/share-tokens?{query}"), HttpStatusCode.BadRequest);

        Assert.Equal([field], ProblemAssert.ErrorFields(problem));
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("localhost.evil.example")]
    [InlineData("127.0.0.1.evil.example")]
    [InlineData("10.0.0.1")]
    public async Task A_share_link_is_never_built_from_a_foreign_host(string host)
    {
        var twinId = await CreateTwinAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/manage/twins/{twinId}/share-tokens");
        request.Headers.Host = host;

        var response = await app.Admin.SendAsync(request);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["Host"], ProblemAssert.ErrorFields(problem));
        Assert.Contains("Twins:PublicBaseUrl", problem.GetProperty("errors").GetProperty("Host")[0].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(host, problem.ToString(), StringComparison.Ordinal);
        var listed = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/manage/twins/{twinId}/share-tokens");
        Assert.Equal(0, listed.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("127.0.0.2")]
    [InlineData("[::1]")]
    public async Task In_development_a_loopback_host_names_the_link(string host)
    {
        var twinId = await CreateTwinAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/manage/twins/{twinId}/share-tokens");
        request.Headers.Host = $"{host}:{app.Server.BaseAddress.Port}";

        var issued = await (await app.Admin.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.StartsWith($"http://{host}:{app.Server.BaseAddress.Port}/api/public/chat/{twinId}/tws_", issued.GetProperty("url").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Expiry_is_taken_from_the_body_and_checked()
    {
        var twinId = await CreateTwinAsync();
        var expiresAt = DateTimeOffset.UtcNow.AddDays(2);

        var created = await app.Admin.PostAsJsonAsync($"/api/manage/twins/{twinId}/share-tokens", new { expiresAt });
        var issued = await created.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(expiresAt.ToUnixTimeSeconds(), issued.GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeSeconds());
        var past = await ProblemAssert.IsProblemAsync(
            await app.Admin.PostAsJsonAsync($"/api/manage/twins/{twinId}/share-tokens", new { expiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) }),
            HttpStatusCode.BadRequest);
        Assert.Contains("expiresAt", ProblemAssert.ErrorFields(past));
    }

    [Fact]
    public async Task Tokens_for_a_missing_twin_or_token_are_404()
    {
        var twinId = await CreateTwinAsync();

        await ProblemAssert.IsProblemAsync(await app.Admin.PostAsync("/api/manage/twins/no-such-twin/share-tokens", null), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await app.Admin.DeleteAsync($"/api/manage/twins/{twinId}/share-tokens/ffffffffffffffff"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deleting_a_twin_invalidates_its_tokens()
    {
        var twinId = await CreateTwinAsync();
        var issued = await (await app.Admin.PostAsync($"/api/manage/twins/{twinId}/share-tokens", null)).Content.ReadFromJsonAsync<JsonElement>();

        await app.Admin.DeleteAsync($"/api/manage/twins/{twinId}");

        var checker = app.Server.Services.GetRequiredService<ShareTokenService>();
        Assert.Equal(ShareTokenStatus.Unknown, await checker.CheckAsync(twinId, issued.GetProperty("token").GetString(), default));
    }
}
