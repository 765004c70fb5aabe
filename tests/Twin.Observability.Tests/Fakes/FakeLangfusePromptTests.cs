using System.Net;
using System.Text.Json;
using Twin.Testing.Fakes.Langfuse;
using Xunit;

namespace Twin.Observability.Tests.Fakes;

/// <summary>The fake's prompt management on the wire: fetch by label, version and default label, labels, the list.</summary>
public sealed class FakeLangfusePromptTests
{
    [Fact]
    public async Task A_prompt_is_fetched_by_the_production_label_by_default_or_by_label_or_version()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.AddPrompt("greeting", 1, "Hello v1", ["production"]);
        langfuse.AddPrompt("greeting", 2, "Hello {{name}} v2", ["staging"], config: new { temperature = 0.2 });
        using var http = LangfuseRestClient.Authorized(langfuse);

        var byDefault = await GetOkAsync(http, langfuse, "/api/public/v2/prompts/greeting");
        var byLabel = await GetOkAsync(http, langfuse, "/api/public/v2/prompts/greeting?label=staging");
        var byVersion = await GetOkAsync(http, langfuse, "/api/public/v2/prompts/greeting?version=1");
        var latest = await GetOkAsync(http, langfuse, "/api/public/v2/prompts/greeting?label=latest");

        Assert.Equal((1, "Hello v1", "text"), (byDefault.GetProperty("version").GetInt32(), byDefault.GetProperty("prompt").GetString(), byDefault.GetProperty("type").GetString()));
        Assert.Equal(JsonValueKind.Object, byDefault.GetProperty("config").ValueKind);
        Assert.Equal(2, byLabel.GetProperty("version").GetInt32());
        Assert.Equal(0.2, byLabel.GetProperty("config").GetProperty("temperature").GetDouble());
        Assert.Equal(["staging", "latest"], Strings(byLabel.GetProperty("labels")));
        Assert.Equal("Hello v1", byVersion.GetProperty("prompt").GetString());
        Assert.Equal(["production"], Strings(byVersion.GetProperty("labels")));
        Assert.Equal(2, latest.GetProperty("version").GetInt32());
        Assert.Equal(4, langfuse.PromptFetchCount("greeting"));
        Assert.Equal(0, langfuse.PromptFetchCount("other"));
    }

    [Fact]
    public async Task A_chat_prompt_returns_its_messages()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.AddPrompt("twin-system", 3, new[] { new { role = "system", content = "You are {{name}}." }, new { role = "user", content = "{{question}}" } }, ["production"]);
        using var http = LangfuseRestClient.Authorized(langfuse);

        var prompt = await GetOkAsync(http, langfuse, "/api/public/v2/prompts/twin-system");

        Assert.Equal("chat", prompt.GetProperty("type").GetString());
        Assert.Equal(3, prompt.GetProperty("version").GetInt32());
        var messages = prompt.GetProperty("prompt").EnumerateArray().Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString())).ToList();
        Assert.Equal([("system", "You are {{name}}."), ("user", "{{question}}")], messages);
    }

    [Fact]
    public async Task A_folder_name_is_found_when_url_encoded()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.AddPrompt("twins/ada", 1, "Ada", ["production"]);
        using var http = LangfuseRestClient.Authorized(langfuse);

        var prompt = await GetOkAsync(http, langfuse, "/api/public/v2/prompts/" + Uri.EscapeDataString("twins/ada"));

        Assert.Equal("twins/ada", prompt.GetProperty("name").GetString());
        Assert.Equal(1, langfuse.PromptFetchCount("twins/ada"));
    }

    [Theory]
    [InlineData("/api/public/v2/prompts/missing", "Prompt not found: 'missing' with label 'production'")]
    [InlineData("/api/public/v2/prompts/greeting?label=staging", "Prompt not found: 'greeting' with label 'staging'")]
    [InlineData("/api/public/v2/prompts/greeting?version=2", "Prompt not found: 'greeting' with version 2")]
    public async Task An_unknown_prompt_label_or_version_is_404_with_a_message(string pathAndQuery, string message)
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.AddPrompt("greeting", 1, "Hello", ["production"]);
        using var http = LangfuseRestClient.Authorized(langfuse);

        using var response = await http.GetAsync(langfuse, pathAndQuery);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(message, (await response.JsonAsync()).GetProperty("message").GetString());
        Assert.Empty(langfuse.SchemaViolations);
    }

    [Fact]
    public async Task A_version_that_is_not_a_number_is_400_and_a_violation()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.AddPrompt("greeting", 1, "Hello", ["production"]);
        using var http = LangfuseRestClient.Authorized(langfuse);

        using var response = await http.GetAsync(langfuse, "/api/public/v2/prompts/greeting?version=latest");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Invalid request data", (await response.JsonAsync()).GetProperty("message").GetString());
        Assert.Contains("version", Assert.Single(Assert.Single(langfuse.TakeSchemaViolations()).Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assigning_a_label_moves_it_from_the_version_that_had_it()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.AddPrompt("greeting", 1, "one", ["production", "stable"]);
        using var http = LangfuseRestClient.Authorized(langfuse);
        Assert.Equal(1, (await GetOkAsync(http, langfuse, "/api/public/v2/prompts/greeting")).GetProperty("version").GetInt32());

        langfuse.AddPrompt("greeting", 2, "two", ["production"]);

        Assert.Equal(2, (await GetOkAsync(http, langfuse, "/api/public/v2/prompts/greeting")).GetProperty("version").GetInt32());
        Assert.Equal(["stable"], Strings((await GetOkAsync(http, langfuse, "/api/public/v2/prompts/greeting?version=1")).GetProperty("labels")));

        // Rolling back, as Langfuse's relabel does.
        langfuse.SetPromptLabels("greeting", 1, ["production"]);

        Assert.Equal("one", (await GetOkAsync(http, langfuse, "/api/public/v2/prompts/greeting")).GetProperty("prompt").GetString());
        Assert.Equal(["latest"], Strings((await GetOkAsync(http, langfuse, "/api/public/v2/prompts/greeting?version=2")).GetProperty("labels")));
        Assert.Equal(["production"], langfuse.Prompts[0].Labels);
        Assert.Equal(["latest"], langfuse.Prompts[1].Labels);
    }

    [Fact]
    public async Task The_list_groups_versions_by_name_filters_and_pages()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.AddPrompt("b-chat", 1, new[] { new { role = "system", content = "x" } }, ["production"], tags: ["twin"]);
        langfuse.AddPrompt("a-text", 1, "v1", ["production"], config: new { model = "old" });
        langfuse.AddPrompt("a-text", 2, "v2", ["staging"], config: new { model = "new" });
        langfuse.AddPrompt("c-text", 1, "c", ["staging"]);
        using var http = LangfuseRestClient.Authorized(langfuse);

        var all = await GetOkAsync(http, langfuse, "/api/public/v2/prompts");
        var production = await GetOkAsync(http, langfuse, "/api/public/v2/prompts?label=production");
        var secondPage = await GetOkAsync(http, langfuse, "/api/public/v2/prompts?limit=2&page=2");
        var byName = await GetOkAsync(http, langfuse, "/api/public/v2/prompts?name=a-text");
        var byTag = await GetOkAsync(http, langfuse, "/api/public/v2/prompts?tag=twin");

        Assert.Equal(["a-text", "b-chat", "c-text"], all.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        var text = all.GetProperty("data")[0];
        Assert.Equal([1, 2], text.GetProperty("versions").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(["production", "staging", "latest"], Strings(text.GetProperty("labels")));
        Assert.Equal("new", text.GetProperty("lastConfig").GetProperty("model").GetString());
        Assert.Equal("chat", all.GetProperty("data")[1].GetProperty("type").GetString());
        Assert.Equal(["twin"], Strings(all.GetProperty("data")[1].GetProperty("tags")));
        Assert.Equal(3, all.GetProperty("meta").GetProperty("totalItems").GetInt32());

        // A filter narrows the versions, and lastConfig is the newest matching version's.
        var productionText = Assert.Single(production.GetProperty("data").EnumerateArray(), p => p.GetProperty("name").GetString() == "a-text");
        Assert.Equal([1], productionText.GetProperty("versions").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal("old", productionText.GetProperty("lastConfig").GetProperty("model").GetString());
        Assert.Equal(2, production.GetProperty("data").GetArrayLength());

        Assert.Equal("c-text", Assert.Single(secondPage.GetProperty("data").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal((2, 2, 3, 2), Meta(secondPage));
        Assert.Equal("a-text", Assert.Single(byName.GetProperty("data").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("b-chat", Assert.Single(byTag.GetProperty("data").EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Seeding_refuses_what_Langfuse_could_not_hold()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.AddPrompt("greeting", 1, "Hello");

        Assert.Throws<ArgumentException>(() => langfuse.AddPrompt("greeting", 1, "again"));
        Assert.Throws<ArgumentException>(() => langfuse.AddPrompt("greeting", 2, "Hello", ["latest"]));
        Assert.Throws<ArgumentException>(() => langfuse.AddPrompt("greeting", 3, 42));
        // A chat message needs content: checked against the spec's Prompt schema.
        var error = Assert.Throws<ArgumentException>(() => langfuse.AddPrompt("chat", 1, new[] { new { role = "system" } }));
        Assert.Contains("content", error.Message, StringComparison.Ordinal);
        Assert.Single(langfuse.Prompts);
    }

    private static async Task<JsonElement> GetOkAsync(HttpClient http, FakeLangfuse langfuse, string pathAndQuery)
    {
        using var response = await http.GetAsync(langfuse, pathAndQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static (int Page, int Limit, int TotalItems, int TotalPages) Meta(JsonElement list)
    {
        var meta = list.GetProperty("meta");
        return (meta.GetProperty("page").GetInt32(), meta.GetProperty("limit").GetInt32(), meta.GetProperty("totalItems").GetInt32(), meta.GetProperty("totalPages").GetInt32());
    }
}
