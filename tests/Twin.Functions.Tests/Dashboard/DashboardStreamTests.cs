using System.Net;
using System.Text.Json;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.Dashboard;

/// <summary>The app with a one-second dashboard stream, on an Azurite account of its own.</summary>
public sealed class DashboardStreamFixture : IAsyncLifetime
{
    public LocalHostServer Server { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public HttpClient User { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TwinApp.StartAsync(
            ("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString()),
            ("Dashboard:StreamIntervalSeconds", "1"),
            ("Dashboard:StreamMaxSeconds", "120"));
        Admin = Server.CreateClient(TestKeys.Admin);
        User = Server.CreateClient(TestKeys.User);
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        User?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}

/// <summary>
/// <c>GET /api/dashboard/stream</c> over the local host, read as a browser reads it: a snapshot first, new chats in
/// later events, and resuming with <c>Last-Event-ID</c> sends nothing twice. Every read has a deadline.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DashboardStreamTests(DashboardStreamFixture app) : IClassFixture<DashboardStreamFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Anonymous_callers_are_refused_and_users_are_not_admins()
    {
        using var anonymous = app.Server.CreateClient(null);
        using var cts = new CancellationTokenSource(Deadline);
        using (var refused = await SseReader.OpenAsync(anonymous, "/api/dashboard/stream", null, cts.Token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.Response.StatusCode);
        }

        using var forbidden = await SseReader.OpenAsync(app.User, "/api/dashboard/stream", null, cts.Token);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Response.StatusCode);
    }

    [Fact]
    public async Task A_bad_hours_value_is_a_validation_problem_before_any_event()
    {
        using var cts = new CancellationTokenSource(Deadline);
        using var stream = await SseReader.OpenAsync(app.Admin, "/api/dashboard/stream?hours=0", null, cts.Token);
        Assert.Equal(HttpStatusCode.BadRequest, stream.Response.StatusCode);
        Assert.Equal("application/problem+json", stream.Response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_first_event_is_a_snapshot_and_a_chat_sent_after_connecting_appears_in_a_later_event()
    {
        using var cts = new CancellationTokenSource(Deadline);
        var twinId = await DashboardChats.CreateTwinAsync(app.Admin);
        var before = await DashboardChats.ChatAsync(app.User, twinId, 2);

        using var stream = await SseReader.OpenAsync(app.Admin, $"/api/dashboard/stream?twinId={twinId}&hours=1", null, cts.Token);
        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        var snapshot = await stream.NextAsync(cts.Token);
        Assert.NotNull(snapshot);
        Assert.Equal("snapshot", snapshot.Type);
        Assert.False(string.IsNullOrEmpty(snapshot.Id));
        Assert.Equal([before[1], before[0]], snapshot.TraceIds);
        Assert.Equal(2, snapshot.Json.GetProperty("overview").GetProperty("requests").GetProperty("value").GetDouble());
        Assert.Equal(JsonValueKind.Array, snapshot.Json.GetProperty("alerts").GetProperty("data").ValueKind);

        var after = (await DashboardChats.ChatAsync(app.User, twinId, 1))[0];
        var events = await stream.UntilAsync(e => e.TraceIds.Contains(after), cts.Token);
        Assert.All(events, e => Assert.Equal("update", e.Type));
        Assert.DoesNotContain(events.SelectMany(e => e.TraceIds), before.Contains);
        Assert.Equal(3, events[^1].Json.GetProperty("overview").GetProperty("requests").GetProperty("value").GetDouble());

        // Later events do not send it again.
        var later = await stream.NextAsync(cts.Token);
        Assert.NotNull(later);
        Assert.Empty(later.TraceIds);
    }

    [Fact]
    public async Task Reconnecting_with_the_last_event_id_resumes_without_resending_traces()
    {
        using var cts = new CancellationTokenSource(Deadline);
        var twinId = await DashboardChats.CreateTwinAsync(app.Admin);
        var path = $"/api/dashboard/stream?twinId={twinId}&hours=1";
        string first;
        string? lastId;
        var sent = new List<string>();
        using (var stream = await SseReader.OpenAsync(app.Admin, path, null, cts.Token))
        {
            Assert.Equal("snapshot", (await stream.NextAsync(cts.Token))?.Type);
            first = (await DashboardChats.ChatAsync(app.User, twinId, 1))[0];
            var events = await stream.UntilAsync(e => e.TraceIds.Contains(first), cts.Token);
            sent.AddRange(events.SelectMany(e => e.TraceIds));
            lastId = events[^1].Id;
        }

        Assert.Equal([first], sent);
        Assert.False(string.IsNullOrEmpty(lastId));
        // Sent while no stream was open: the resumed stream owes it.
        var missed = (await DashboardChats.ChatAsync(app.User, twinId, 1))[0];

        using (var resumed = await SseReader.OpenAsync(app.Admin, path, lastId, cts.Token))
        {
            Assert.Equal(HttpStatusCode.OK, resumed.Response.StatusCode);
            var events = await resumed.UntilAsync(e => e.TraceIds.Contains(missed), cts.Token);
            events = [.. events, (await resumed.NextAsync(cts.Token))!];
            Assert.All(events, e => Assert.Equal("update", e.Type));
            Assert.Equal([missed], events.SelectMany(e => e.TraceIds));
        }

        // A cursor that is not one of ours starts afresh: a snapshot with both chats.
        using var fresh = await SseReader.OpenAsync(app.Admin, path, "not-a-cursor", cts.Token);
        var snapshot = await fresh.NextAsync(cts.Token);
        Assert.Equal("snapshot", snapshot?.Type);
        Assert.Equal([missed, first], snapshot!.TraceIds);
    }

}

/// <summary>A stream that may last two seconds: it ends itself with a reconnect hint, and the client gets every event before.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DashboardStreamEndTests : IAsyncLifetime
{
    private LocalHostServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await TwinApp.StartAsync(
            ("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString()),
            ("Dashboard:StreamIntervalSeconds", "1"),
            ("Dashboard:StreamMaxSeconds", "2"));

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_stream_past_its_maximum_ends_with_a_retry_hint_and_the_cursor()
    {
        using var admin = _server.CreateClient(TestKeys.Admin);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stream = await SseReader.OpenAsync(admin, "/api/dashboard/stream", null, cts.Token);
        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        var events = new List<SseEvent>();
        while (await stream.NextAsync(cts.Token) is { } next)
        {
            events.Add(next);
        }

        // How many updates fit in two seconds depends on the machine's load; the shape does not.
        Assert.Equal("snapshot", events[0].Type);
        Assert.All(events[1..^1], e => Assert.Equal("update", e.Type));
        var end = events[^1];
        Assert.Equal("end", end.Type);
        Assert.Equal(1000, end.Retry);
        Assert.Equal(events[^2].Id, end.Id);
        Assert.Equal(1, events.Count(e => e.Type == "end"));
    }
}
