using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Twin.Observability.Health;
using Twin.Observability.Langfuse;
using Twin.Testing.Fakes.Langfuse;
using Xunit;

namespace Twin.Observability.Tests.Health;

public sealed class LangfuseKeyProbeTests
{
    [Fact]
    public async Task The_keys_are_checked_once_a_minute_however_often_health_is_asked()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
        var probe = new LangfuseKeyProbe(Options.Create(new LangfuseOptions { BaseUrl = langfuse.BaseUrl, PublicKey = langfuse.PublicKey, SecretKey = langfuse.SecretKey }), time);
        using var client = new HttpClient();

        var first = await probe.StatusAsync(client, default, default);
        langfuse.Mode = FakeLangfuseMode.RefuseKeys;
        time.Advance(TimeSpan.FromSeconds(59));
        var cached = await probe.StatusAsync(client, default, default);
        time.Advance(TimeSpan.FromSeconds(2));
        var fresh = await probe.StatusAsync(client, default, default);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized), (first, cached, fresh));
        Assert.Equal(2, langfuse.RestRequests.Count(r => r.Path == "/api/public/projects"));
    }
}
