using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Twin.Observability.Langfuse;
using Twin.Observability.Prompts;
using Twin.Testing.Fakes.Langfuse;
using Twin.Observability.Features;
using Twin.Observability.Tests.Features;
using Xunit;

namespace Twin.Observability.Tests.Prompts;

/// <summary>The prompt service against Langfuse's prompt API (the fake, over loopback), with its cache and fallbacks.</summary>
public sealed class PromptServiceTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private readonly LogRecorder _log = new();
    private FakeLangfuse _langfuse = null!;
    private ServiceProvider _services = null!;
    private PromptService _prompts = null!;

    public async Task InitializeAsync()
    {
        _langfuse = await FakeLangfuse.StartAsync();
        var langfuse = new LangfuseOptions { BaseUrl = _langfuse.BaseUrl, PublicKey = _langfuse.PublicKey, SecretKey = _langfuse.SecretKey };
        _services = new ServiceCollection().AddLangfuseHttp(langfuse, TimeSpan.FromSeconds(2)).BuildServiceProvider();
        _prompts = new PromptService(
            new LangfusePromptClient(_services.GetRequiredService<IHttpClientFactory>()),
            new PromptCache(_time, _log.For<PromptCache>()),
            Options.Create(new PromptOptions { FetchTimeoutSeconds = 2 }),
            Options.Create(langfuse),
            TestFeatures.AllOn,
            _log.For<PromptService>());
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _langfuse.DisposeAsync();
    }

    [Fact]
    public async Task A_label_or_a_version_picks_the_prompt_and_its_config()
    {
        _langfuse.AddPrompt("twin-system", 1, "v1 {{twin_name}}", ["staging"]);
        _langfuse.AddPrompt("twin-system", 2, "v2 {{twin_name}}", ["production"], new { model = "gpt-4o-mini", temperature = 0.2 });

        var production = await _prompts.GetAsync("twin-system", null, null, default);
        var staging = await _prompts.GetAsync("twin-system", "staging", null, default);
        var first = await _prompts.GetAsync("twin-system", null, 1, default);

        Assert.Equal((2, "v2 {{twin_name}}", PromptSource.Langfuse), (production.Version!.Value, production.Text, production.Source));
        Assert.Equal(new PromptConfig("gpt-4o-mini", 0.2), production.Config);
        Assert.Equal(1, staging.Version);
        Assert.Equal(1, first.Version);
    }

    [Fact]
    public async Task A_chat_prompt_arrives_as_its_messages()
    {
        _langfuse.AddPrompt("twin-system", 4, new[] { new { role = "system", content = "You are {{twin_name}}." }, new { role = "assistant", content = "Hello!" } }, ["production"]);

        var prompt = await _prompts.GetAsync("twin-system", null, null, default);

        Assert.Equal(PromptKind.Chat, prompt.Kind);
        Assert.Equal([new PromptMessage("system", "You are {{twin_name}}."), new PromptMessage("assistant", "Hello!")], prompt.Messages);
    }

    [Fact]
    public async Task A_prompt_langfuse_lacks_falls_back_to_the_built_in_one_and_the_miss_is_cached()
    {
        var first = await _prompts.GetAsync("twin-system", null, null, default);
        var second = await _prompts.GetAsync("twin-system", null, null, default);

        Assert.Equal(PromptSource.BuiltIn, first.Source);
        Assert.Null(first.Version);
        Assert.Equal(PromptSource.BuiltIn, second.Source);
        Assert.Equal(1, _langfuse.PromptFetchCount("twin-system"));
        Assert.Null(await _prompts.FindAsync("no-such-prompt", null, null, default));
    }

    [Fact]
    public async Task When_langfuse_goes_down_the_last_good_prompt_is_served_and_a_never_fetched_one_falls_back()
    {
        _langfuse.AddPrompt("twin-system", 2, "v2", ["production"]);
        await _prompts.GetAsync("twin-system", null, null, default);
        _langfuse.Mode = FakeLangfuseMode.Fail500;
        _time.Advance(TimeSpan.FromMinutes(5));

        var stale = await _prompts.GetAsync("twin-system", null, null, default);
        var neverFetched = await _prompts.GetAsync("twin-system", "staging", null, default);

        Assert.Equal(2, stale.Version);
        Assert.Equal(PromptSource.BuiltIn, neverFetched.Source);
        await Assert.ThrowsAsync<LangfuseApiException>(() => _prompts.FindAsync("only-in-langfuse", null, null, default));
    }

    [Fact]
    public async Task Concurrent_first_requests_fetch_the_prompt_once()
    {
        _langfuse.AddPrompt("twin-system", 2, "v2", ["production"]);

        var prompts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _prompts.GetAsync("twin-system", null, null, default)));

        Assert.All(prompts, p => Assert.Equal(2, p.Version));
        Assert.Equal(1, _langfuse.PromptFetchCount("twin-system"));
    }

    [Fact]
    public async Task A_hanging_langfuse_falls_back_to_the_built_in_prompt_instead_of_failing()
    {
        _langfuse.Mode = FakeLangfuseMode.Hang;

        var prompt = await _prompts.GetAsync("twin-system", null, null, default);
        var listed = await _prompts.ListAsync(default);

        Assert.Equal(PromptSource.BuiltIn, prompt.Source);
        Assert.Contains(listed, p => p.Name == "twin-system" && p.Source == PromptSource.BuiltIn);
        _langfuse.Mode = FakeLangfuseMode.Normal;
    }

    [Fact]
    public async Task The_playground_finds_a_built_in_prompt_only_for_the_default_label()
    {
        _langfuse.AddPrompt("twin-system", 2, "v2", ["production"]);

        Assert.Equal(2, (await _prompts.FindAsync("twin-system", null, null, default))!.Version);
        Assert.Null(await _prompts.FindAsync("twin-system", null, 99, default));
        Assert.Null(await _prompts.FindAsync("twin-system", "no-such-label", null, default));
    }

    public static TheoryData<object> MalformedPrompts => new()
    {
        new { name = "twin-system", version = 3, type = "text", prompt = 42, labels = new[] { "production" } },
        new { name = "twin-system", type = "text", prompt = "no version", labels = new[] { "production" } },
        new { name = "twin-system", version = "3", type = "text", prompt = "version is a string" },
        new { name = "twin-system", version = 3, type = "chat", prompt = new[] { new { content = "no role" } } },
        new { name = "twin-system", version = 3, type = "chat", prompt = new object[] { new { role = "system", content = 7 } } },
        new { name = "twin-system", version = 3, type = "chat", prompt = "a chat prompt that is a string" },
        new { name = "twin-system", version = 3, type = "text", prompt = "labels are not strings", labels = new object[] { 1 } },
        new { version = 3, type = "text", prompt = "no name" },
        new[] { "an", "array" },
    };

    [Theory]
    [MemberData(nameof(MalformedPrompts))]
    public async Task A_prompt_of_the_wrong_shape_falls_back_to_the_built_in_one_and_is_logged_once_per_cache_period(object malformed)
    {
        _langfuse.ServeMalformedPrompt("twin-system", malformed);

        var prompts = new List<PromptTemplate>();
        for (var i = 0; i < 5; i++)
        {
            prompts.Add(await _prompts.GetAsync("twin-system", null, null, default));
        }

        Assert.All(prompts, p => Assert.Equal(PromptSource.BuiltIn, p.Source));
        Assert.Equal(1, _langfuse.PromptFetchCount("twin-system"));
        Assert.Equal(1, _log.Count(LogLevel.Warning));

        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(PromptSource.BuiltIn, (await _prompts.GetAsync("twin-system", null, null, default)).Source);
        Assert.Equal(PromptSource.BuiltIn, (await _prompts.GetAsync("twin-system", null, null, default)).Source);
        Assert.Equal(2, _langfuse.PromptFetchCount("twin-system"));
        Assert.Equal(2, _log.Count(LogLevel.Warning));
    }

    [Fact]
    public async Task The_playground_shows_a_malformed_prompt_as_a_langfuse_failure_not_a_crash()
    {
        _langfuse.ServeMalformedPrompt("only-in-langfuse", new { name = "only-in-langfuse", version = 1, type = "text", prompt = 42 });

        await Assert.ThrowsAsync<LangfuseApiException>(() => _prompts.FindAsync("only-in-langfuse", null, null, default));
    }

    [Fact]
    public async Task With_prompt_management_off_the_built_in_prompt_is_used_and_langfuse_is_never_asked()
    {
        _langfuse.AddPrompt("twin-system", 2, "from Langfuse {{twin_name}}", ["production"]);
        var langfuse = new LangfuseOptions { BaseUrl = _langfuse.BaseUrl, PublicKey = _langfuse.PublicKey, SecretKey = _langfuse.SecretKey };
        var rollout = new PromptService(
            new LangfusePromptClient(_services.GetRequiredService<IHttpClientFactory>()),
            new PromptCache(_time, NullLogger<PromptCache>.Instance),
            Options.Create(new PromptOptions()),
            Options.Create(langfuse),
            TestFeatures.Off(FeatureFlags.PromptManagement),
            NullLogger<PromptService>.Instance);

        Assert.Equal(PromptSource.BuiltIn, (await rollout.GetAsync("twin-system", null, null, default)).Source);
        Assert.Equal(PromptSource.BuiltIn, (await rollout.FindAsync("twin-system", null, null, default))!.Source);
        Assert.Equal(0, _langfuse.PromptFetchCount("twin-system"));
        // The positive control: the same service with the flag on asks Langfuse (its answer may come after the fetch
        // timeout on a loaded machine; the request is what counts here).
        await _prompts.GetAsync("twin-system", null, null, default);
        Assert.True(_langfuse.PromptFetchCount("twin-system") > 0);
    }

    [Fact]
    public async Task With_langfuse_off_the_built_in_prompt_stands_only_for_the_default_label_and_no_version()
    {
        var offline = new PromptService(
            new LangfusePromptClient(_services.GetRequiredService<IHttpClientFactory>()),
            new PromptCache(_time, NullLogger<PromptCache>.Instance),
            Options.Create(new PromptOptions()),
            Options.Create(new LangfuseOptions()),
            TestFeatures.AllOn,
            NullLogger<PromptService>.Instance);

        Assert.Equal(PromptSource.BuiltIn, (await offline.FindAsync("twin-system", null, null, default))!.Source);
        Assert.Equal(PromptSource.BuiltIn, (await offline.FindAsync("twin-system", "production", null, default))!.Source);
        Assert.Null(await offline.FindAsync("twin-system", "staging", null, default));
        Assert.Null(await offline.FindAsync("twin-system", null, 1, default));
        Assert.Null(await offline.FindAsync("no-such-prompt", null, null, default));
    }
}
