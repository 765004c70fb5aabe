using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Twin.Observability.Prompts;
using Xunit;

namespace Twin.Observability.Tests.Prompts;

public sealed class PromptCacheTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);
    private readonly FakeTimeProvider _time = new();
    private readonly LogRecorder _log = new();
    private readonly PromptCache _cache;
    private int _fetches;

    public PromptCacheTests() => _cache = new PromptCache(_time, _log.For<PromptCache>());

    private static PromptTemplate Version(int v) =>
        new("p", v, PromptKind.Text, $"v{v}", [], PromptConfig.Empty, ["production"], PromptSource.Langfuse);

    private Func<CancellationToken, Task<PromptTemplate?>> Returns(int version) => _ =>
    {
        Interlocked.Increment(ref _fetches);
        return Task.FromResult<PromptTemplate?>(Version(version));
    };

    [Fact]
    public async Task A_fresh_prompt_is_served_from_the_cache()
    {
        await _cache.GetAsync("k", Ttl, Returns(1), default);
        _time.Advance(TimeSpan.FromSeconds(59));

        var again = await _cache.GetAsync("k", Ttl, Returns(2), default);

        Assert.Equal(1, again!.Version);
        Assert.Equal(1, _fetches);
    }

    [Fact]
    public async Task A_stale_prompt_is_served_while_exactly_one_refresh_runs()
    {
        await _cache.GetAsync("k", Ttl, Returns(1), default);
        _time.Advance(Ttl);
        var refresh = new TaskCompletionSource<PromptTemplate?>();
        var refreshes = 0;
        Task<PromptTemplate?> SlowRefresh(CancellationToken _)
        {
            Interlocked.Increment(ref refreshes);
            return refresh.Task;
        }

        var whileRefreshing = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _cache.GetAsync("k", Ttl, SlowRefresh, default)));
        refresh.SetResult(Version(2));
        await Eventually(async () => (await _cache.GetAsync("k", Ttl, Returns(3), default))!.Version == 2);

        Assert.All(whileRefreshing, p => Assert.Equal(1, p!.Version));
        Assert.Equal(1, refreshes);
    }

    [Fact]
    public async Task Concurrent_misses_share_one_fetch()
    {
        var fetch = new TaskCompletionSource<PromptTemplate?>();
        var calls = 0;
        var waiting = Enumerable.Range(0, 10).Select(_ => _cache.GetAsync("k", Ttl, _ =>
        {
            Interlocked.Increment(ref calls);
            return fetch.Task;
        }, default)).ToList();

        fetch.SetResult(Version(7));
        var results = await Task.WhenAll(waiting);

        Assert.Equal(1, calls);
        Assert.All(results, p => Assert.Equal(7, p!.Version));
    }

    [Fact]
    public Task A_failed_refresh_keeps_the_last_good_prompt_and_is_not_retried_before_another_ttl() =>
        // Off xUnit's synchronization context, SetException below runs the refresh's continuation inline, so the
        // refresh has stored its outcome and left the in-flight table when SetException returns: no race with the
        // calls that follow (on the test's context it would finish on the thread pool, after the log line).
        Task.Run(FailedRefreshScenarioAsync);

    private async Task FailedRefreshScenarioAsync()
    {
        await _cache.GetAsync("k", Ttl, Returns(1), default);
        _time.Advance(Ttl);
        var refresh = new TaskCompletionSource<PromptTemplate?>();
        var refreshFailed = _log.WhenLogged(LogLevel.Warning, "prompt k failed");

        var stale = await _cache.GetAsync("k", Ttl, _ => refresh.Task, default);
        refresh.SetException(new HttpRequestException("down"));
        await refreshFailed.WaitAsync(TimeSpan.FromSeconds(10));
        var afterFailure = await _cache.GetAsync("k", Ttl, Returns(2), default);
        _time.Advance(Ttl);
        var afterAnotherTtl = await _cache.GetAsync("k", Ttl, Returns(3), default);

        Assert.Equal(1, stale!.Version);
        Assert.Equal(1, afterFailure!.Version);
        Assert.Equal(1, afterAnotherTtl!.Version);
        // The first Returns(1); none while the failure is fresh; Returns(3) once another TTL has passed.
        Assert.Equal(2, _fetches);
        Assert.Equal(1, _log.Count(LogLevel.Warning));
    }

    [Fact]
    public async Task A_failed_miss_is_remembered_for_a_ttl_so_a_broken_source_costs_one_fetch_per_period()
    {
        Task<PromptTemplate?> Fails(CancellationToken _)
        {
            Interlocked.Increment(ref _fetches);
            return Task.FromException<PromptTemplate?>(new HttpRequestException("down"));
        }

        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<PromptUnavailableException>(() => _cache.GetAsync("k", Ttl, Fails, default));
        }

        Assert.Equal(1, _fetches);
        _time.Advance(Ttl);
        Assert.Equal(7, (await _cache.GetAsync("k", Ttl, _ => Task.FromResult<PromptTemplate?>(Version(7)), default))!.Version);
    }

    [Fact]
    public async Task A_miss_whose_fetch_fails_throws_so_the_caller_can_fall_back()
    {
        var error = await Assert.ThrowsAsync<PromptUnavailableException>(() => _cache.GetAsync("k", Ttl, _ => Task.FromException<PromptTemplate?>(new HttpRequestException("down")), default));

        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task A_zero_ttl_fetches_every_time()
    {
        await _cache.GetAsync("k", TimeSpan.Zero, Returns(1), default);
        await _cache.GetAsync("k", TimeSpan.Zero, Returns(2), default);

        Assert.Equal(2, _fetches);
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100 && !await condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(await condition());
    }
}
