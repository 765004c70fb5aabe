using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.EndToEnd;

[Collection(TwinAppCollection.Name)]
public sealed class TwinsApiTests(TwinAppFixture app)
{
    private static string NewId() => "t-" + Guid.NewGuid().ToString("N")[..12];

    private static object TwinBody(string id, string name = "Grace") => new
    {
        id,
        name,
        persona = "I am Grace, I speak plainly.",
        knowledge = new[] { "I wrote the first compiler.", "I like nanoseconds." },
        model = "gpt-4o-mini",
        temperature = 0.3,
        allowedOrigins = new[] { "https://Example.com/" },
    };

    [Fact]
    public async Task A_twin_goes_through_create_read_replace_delete()
    {
        var id = NewId();

        var created = await app.Admin.PostAsJsonAsync("/api/manage/twins", TwinBody(id));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/manage/twins/{id}", created.Headers.Location?.OriginalString);
        var twin = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("https://example.com", twin.GetProperty("allowedOrigins")[0].GetString());
        Assert.Equal(2, twin.GetProperty("knowledge").GetArrayLength());

        var read = await app.Admin.GetAsync($"/api/manage/twins/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.NotNull(read.Headers.ETag);
        Assert.Equal("Grace", (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());

        var replaced = await app.Admin.PutAsJsonAsync($"/api/manage/twins/{id}", TwinBody(id, "Grace Hopper"));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var after = await replaced.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Grace Hopper", after.GetProperty("name").GetString());
        Assert.Equal(twin.GetProperty("createdAt").GetDateTimeOffset(), after.GetProperty("createdAt").GetDateTimeOffset());

        Assert.Equal(HttpStatusCode.NoContent, (await app.Admin.DeleteAsync($"/api/manage/twins/{id}")).StatusCode);
        await ProblemAssert.IsProblemAsync(await app.Admin.GetAsync($"/api/manage/twins/{id}"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await app.Admin.DeleteAsync($"/api/manage/twins/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_demo_twin_is_seeded()
    {
        var demo = await app.Admin.GetFromJsonAsync<JsonElement>("/api/manage/twins/demo");

        Assert.Equal("demo", demo.GetProperty("id").GetString());
        Assert.True(demo.GetProperty("knowledge").GetArrayLength() > 0);
    }

    [Fact]
    public async Task Creating_an_existing_id_is_a_conflict()
    {
        var id = NewId();
        await app.Admin.PostAsJsonAsync("/api/manage/twins", TwinBody(id));

        await ProblemAssert.IsProblemAsync(await app.Admin.PostAsJsonAsync("/api/manage/twins", TwinBody(id)), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_replace_with_a_stale_if_match_is_refused_with_412()
    {
        var id = NewId();
        var created = await app.Admin.PostAsJsonAsync("/api/manage/twins", TwinBody(id));
        var firstETag = created.Headers.ETag!.ToString();
        await app.Admin.PutAsJsonAsync($"/api/manage/twins/{id}", TwinBody(id, "Second"));

        using var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/manage/twins/{id}") { Content = JsonContent.Create(TwinBody(id, "Third")) };
        stale.Headers.TryAddWithoutValidation("If-Match", firstETag);
        await ProblemAssert.IsProblemAsync(await app.Admin.SendAsync(stale), HttpStatusCode.PreconditionFailed);

        var current = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/manage/twins/{id}");
        Assert.Equal("Second", current.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("\"garbage\"")]
    [InlineData("garbage")]
    [InlineData("W/\"garbage\"")]
    [InlineData("\"a\", \"b\"")]
    public async Task A_malformed_or_foreign_if_match_is_412_on_replace_and_delete(string ifMatch)
    {
        var id = NewId();
        (await app.Admin.PostAsJsonAsync("/api/manage/twins", TwinBody(id))).EnsureSuccessStatusCode();

        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/manage/twins/{id}") { Content = JsonContent.Create(TwinBody(id, "Changed")) };
        put.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        await ProblemAssert.IsProblemAsync(await app.Admin.SendAsync(put), HttpStatusCode.PreconditionFailed, "PUT");
        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/manage/twins/{id}");
        delete.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        await ProblemAssert.IsProblemAsync(await app.Admin.SendAsync(delete), HttpStatusCode.PreconditionFailed, "DELETE");

        var current = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/manage/twins/{id}");
        Assert.Equal("Grace", current.GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_current_if_match_or_a_star_lets_the_change_through()
    {
        var id = NewId();
        var created = await app.Admin.PostAsJsonAsync("/api/manage/twins", TwinBody(id));

        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/manage/twins/{id}") { Content = JsonContent.Create(TwinBody(id, "Second")) };
        put.Headers.TryAddWithoutValidation("If-Match", created.Headers.ETag!.ToString());
        var replaced = await app.Admin.SendAsync(put);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.NotEqual(created.Headers.ETag, replaced.Headers.ETag);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/manage/twins/{id}");
        delete.Headers.TryAddWithoutValidation("If-Match", "*");
        Assert.Equal(HttpStatusCode.NoContent, (await app.Admin.SendAsync(delete)).StatusCode);
    }

    [Fact]
    public async Task Concurrent_replaces_without_if_match_all_succeed_and_the_last_writer_wins()
    {
        var id = NewId();
        (await app.Admin.PostAsJsonAsync("/api/manage/twins", TwinBody(id))).EnsureSuccessStatusCode();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => app.Admin.PutAsJsonAsync($"/api/manage/twins/{id}", TwinBody(id, $"Writer {i}"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var name = (await app.Admin.GetFromJsonAsync<JsonElement>($"/api/manage/twins/{id}")).GetProperty("name").GetString();
        Assert.Matches("^Writer [0-9]$", name);
    }

    [Fact]
    public async Task Tampered_or_foreign_continuation_tokens_are_400_like_garbage()
    {
        for (var i = 0; i < 3; i++)
        {
            await app.Admin.PostAsJsonAsync("/api/manage/twins", TwinBody(NewId()));
        }

        var first = await app.Admin.GetFromJsonAsync<JsonElement>("/api/manage/twins?limit=1");
        var token = first.GetProperty("continuationToken").GetString()!;
        var decoded = System.Buffers.Text.Base64Url.DecodeFromChars(token);
        var flipped = (byte[])decoded.Clone();
        flipped[^1] = (byte)(flipped[^1] == (byte)'A' ? 'B' : 'A');
        var twinId = NewId();
        (await app.Admin.PostAsJsonAsync("/api/manage/twins", TwinBody(twinId))).EnsureSuccessStatusCode();
        for (var i = 0; i < 2; i++)
        {
            (await app.Admin.PostAsync($"/api/manage/twins/{twinId}/share-tokens", null)).EnsureSuccessStatusCode();
        }

        var shareTokens = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/manage/twins/{twinId}/share-tokens?limit=1");
        var foreign = shareTokens.GetProperty("continuationToken").GetString()!;

        foreach (var tampered in new[]
        {
            System.Buffers.Text.Base64Url.EncodeToString("t1:garbage"u8),
            System.Buffers.Text.Base64Url.EncodeToString("t1:garbage garbage"u8),
            System.Buffers.Text.Base64Url.EncodeToString(flipped),
            foreign,
        })
        {
            var problem = await ProblemAssert.IsProblemAsync(
                await app.Admin.GetAsync($"/api/manage/twins?limit=1&continuationToken={Uri.EscapeDataString(tampered)}"), HttpStatusCode.BadRequest, tampered);
            Assert.Equal(["continuationToken"], ProblemAssert.ErrorFields(problem));
        }

        Assert.Equal(HttpStatusCode.OK, (await app.Admin.GetAsync($"/api/manage/twins?limit=1&continuationToken={Uri.EscapeDataString(token)}")).StatusCode);
    }

    [Fact]
    public async Task A_utf8_byte_order_mark_before_the_json_is_accepted()
    {
        var id = NewId();
        var json = JsonSerializer.SerializeToUtf8Bytes(TwinBody(id), JsonSerializerOptions.Web);
        using var content = new ByteArrayContent([0xEF, 0xBB, 0xBF, .. json]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var created = await app.Admin.PostAsync("/api/manage/twins", content);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public async Task Invalid_utf8_in_the_body_is_reported_as_such(byte[] invalid)
    {
        byte[] body = [.. "{\"id\":\"u8\",\"name\":\""u8, .. invalid, .. "\",\"persona\":\"p\"}"u8];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var problem = await ProblemAssert.IsProblemAsync(await app.Admin.PostAsync("/api/manage/twins", content), HttpStatusCode.BadRequest);

        Assert.Equal(["body"], ProblemAssert.ErrorFields(problem));
        Assert.Contains("is not valid UTF-8", problem.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_pages_with_a_continuation_token()
    {
        for (var i = 0; i < 3; i++)
        {
            await app.Admin.PostAsJsonAsync("/api/manage/twins", TwinBody(NewId()));
        }

        var first = await app.Admin.GetFromJsonAsync<JsonElement>("/api/manage/twins?limit=2");
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        var token = first.GetProperty("continuationToken").GetString();
        Assert.False(string.IsNullOrEmpty(token));

        var second = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/manage/twins?limit=2&continuationToken={Uri.EscapeDataString(token!)}");
        var firstIds = first.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString());
        var secondIds = second.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()).ToList();
        Assert.NotEmpty(secondIds);
        Assert.Empty(firstIds.Intersect(secondIds));
    }

    [Theory]
    [InlineData("{\"id\": \"x\", ")]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    [InlineData("null")]
    public async Task Malformed_json_is_a_400_problem(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        var problem = await ProblemAssert.IsProblemAsync(await app.Admin.PostAsync("/api/manage/twins", content), HttpStatusCode.BadRequest);

        Assert.Contains("body", ProblemAssert.ErrorFields(problem));
    }

    [Theory]
    [InlineData("{\"id\":\"wt\",\"name\":42,\"persona\":\"p\"}", "name")]
    [InlineData("{\"id\":\"wt\",\"name\":\"n\",\"persona\":\"p\",\"knowledge\":\"one string\"}", "knowledge")]
    [InlineData("{\"id\":\"wt\",\"name\":\"n\",\"persona\":\"p\",\"temperature\":\"hot\"}", "temperature")]
    [InlineData("{\"id\":\"wt\",\"name\":\"n\",\"persona\":\"p\",\"allowedOrigins\":{\"a\":1}}", "allowedOrigins")]
    public async Task Wrong_types_name_the_field(string body, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        var problem = await ProblemAssert.IsProblemAsync(await app.Admin.PostAsync("/api/manage/twins", content), HttpStatusCode.BadRequest);

        Assert.Contains(field, ProblemAssert.ErrorFields(problem));
    }

    [Fact]
    public async Task Missing_fields_are_all_reported()
    {
        var problem = await ProblemAssert.IsProblemAsync(await app.Admin.PostAsJsonAsync("/api/manage/twins", new { }), HttpStatusCode.BadRequest);

        Assert.Equal(["id", "name", "persona"], ProblemAssert.ErrorFields(problem).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_oversized_body_is_413()
    {
        var huge = new string('k', 2_000_000);
        using var content = new StringContent($"{{\"id\":\"big\",\"name\":\"n\",\"persona\":\"{huge}\"}}", Encoding.UTF8, "application/json");

        await ProblemAssert.IsProblemAsync(await app.Admin.PostAsync("/api/manage/twins", content), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        using var content = new StringContent("id=x", Encoding.UTF8, "application/x-www-form-urlencoded");

        await ProblemAssert.IsProblemAsync(await app.Admin.PostAsync("/api/manage/twins", content), HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("UPPER")]
    [InlineData("x'%20or%20true")]
    [InlineData("x'%20or%20PartitionKey%20ne%20'")]
    [InlineData("has%20space")]
    public async Task Invalid_ids_are_400_on_every_item_route(string id)
    {
        await ProblemAssert.IsProblemAsync(await app.Admin.GetAsync($"/api/manage/twins/{id}"), HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblemAsync(await app.Admin.PutAsJsonAsync($"/api/manage/twins/{id}", TwinBody("x")), HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblemAsync(await app.Admin.DeleteAsync($"/api/manage/twins/{id}"), HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblemAsync(await app.Admin.PostAsync($"/api/manage/twins/{id}/share-tokens", null), HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=abc")]
    [InlineData("continuationToken=garbage!")]
    public async Task Bad_list_parameters_are_400(string query)
    {
        await ProblemAssert.IsProblemAsync(await app.Admin.GetAsync($"/api/manage/twins?{query}"), HttpStatusCode.BadRequest);
    }
}
