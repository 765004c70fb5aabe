using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Twin.Observability.Alerts;
using Twin.Observability.Alerts.Channels;
using Twin.Testing.Logging;
using Xunit;
using static Twin.Observability.Tests.Alerts.Channels.AlertSamples;

namespace Twin.Observability.Tests.Alerts.Channels;

public sealed class AlertSenderTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 6, 30, TimeSpan.Zero);

    // Every send must come back well within this, whatever the receiver does.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly RecordingLoggerProvider _logs = new();
    private AlertReceiver _receiver = null!;
    private ServiceProvider? _services;

    public void Dispose() => _logs.Dispose();

    public async Task InitializeAsync() => _receiver = await AlertReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await _receiver.DisposeAsync();
    }

    /// <summary>The sender as the app wires it: AddAlertChannels, and the "alerts" client (here with a plain primary handler) with AddAlertResilience.</summary>
    private IAlertSender Sender(int maxAttempts = 3, int attemptTimeoutMs = 5000, int maxDelayMs = 200)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Alerts:Send:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Alerts:Send:AttemptTimeoutMilliseconds"] = attemptTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Alerts:Send:BaseDelayMilliseconds"] = "20",
            ["Alerts:Send:MaxDelayMilliseconds"] = maxDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        // Fixed "now" for the webhook timestamp; timers stay real, so back-off and timeouts really elapse.
        services.AddSingleton<TimeProvider>(new FixedNow(Now));
        services.AddAlertChannels(configuration);
        services.AddHttpClient(AlertSender.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false })
            .AddAlertResilience();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return _services.GetRequiredService<IAlertSender>();
    }

    private static async Task<AlertSendResult> WithinDeadline(Task<AlertSendResult> send)
    {
        var finished = await Task.WhenAny(send, Task.Delay(Deadline));
        Assert.True(finished == send, $"The send did not return within {Deadline.TotalSeconds} s.");
        return await send;
    }

    private AlertDelivery Webhook(string? secret = "s3cr3t") => new(AlertChannelType.Webhook, new Uri(_receiver.BaseUrl + "/hooks/alerts"), secret, null);

    [Fact]
    public async Task A_signed_webhook_is_posted_as_json_and_its_body_is_the_signed_bytes()
    {
        var sender = Sender();
        var notification = Notification();

        var result = await WithinDeadline(sender.SendAsync(Webhook(), notification, CancellationToken.None));

        Assert.Equal(new AlertSendResult(AlertChannelType.Webhook, _receiver.BaseUrl + "/hooks/alerts", true, 1, 200, null), result);
        var request = Assert.Single(_receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hooks/alerts", request.Path);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal(AlertSender.Serialize(WebhookPayload.Build(notification)), request.Body);
        Assert.Equal("ntf_01", request.Headers["webhook-id"]);
        Assert.Equal(Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), request.Headers["webhook-timestamp"]);
        // Verified over the bytes received, by the test's own HMAC.
        Assert.True(IndependentWebhookVerifier.StandardValid("s3cr3t", request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Body, request.Headers["webhook-signature"]));
        Assert.True(IndependentWebhookVerifier.AliasValid("s3cr3t", request.Body, request.Headers["X-Twin-Signature"], out var t));
        Assert.Equal(request.Headers["webhook-timestamp"], t);
        Assert.Equal("alert.firing", JsonNode.Parse(request.Body)!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_webhook_without_a_secret_is_sent_unsigned_with_its_id()
    {
        var result = await WithinDeadline(Sender().SendAsync(Webhook(secret: null), Notification(), CancellationToken.None));

        Assert.True(result.Delivered);
        var request = Assert.Single(_receiver.Requests);
        Assert.Equal("ntf_01", request.Headers["webhook-id"]);
        Assert.False(request.Headers.ContainsKey("webhook-signature"));
        Assert.False(request.Headers.ContainsKey("X-Twin-Signature"));
    }

    [Fact]
    public async Task Two_503s_then_200_is_delivered_on_the_third_attempt_with_one_id_and_signature()
    {
        _receiver.Respond = n => n <= 2 ? 503 : 200;

        var result = await WithinDeadline(Sender().SendAsync(Webhook("whsec_" + Convert.ToBase64String("0123456789abcdef0123"u8.ToArray())), Notification(), CancellationToken.None));

        Assert.True(result.Delivered);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(200, result.StatusCode);
        Assert.Null(result.Error);
        var requests = _receiver.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Single(requests.Select(r => r.Headers["webhook-id"]).Distinct());
        Assert.Single(requests.Select(r => r.Headers["webhook-timestamp"]).Distinct());
        Assert.Single(requests.Select(r => r.Headers["webhook-signature"]).Distinct());
        Assert.Single(requests.Select(r => Convert.ToBase64String(r.Body)).Distinct());
        Assert.All(requests, r => Assert.True(IndependentWebhookVerifier.StandardValid("whsec_" + Convert.ToBase64String("0123456789abcdef0123"u8.ToArray()), r.Headers["webhook-id"], r.Headers["webhook-timestamp"], r.Body, r.Headers["webhook-signature"])));
    }

    [Fact]
    public async Task A_400_is_not_retried()
    {
        _receiver.Respond = _ => 400;

        var result = await WithinDeadline(Sender().SendAsync(Webhook(), Notification(), CancellationToken.None));

        Assert.False(result.Delivered);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(400, result.StatusCode);
        Assert.Equal("HTTP 400", result.Error);
        Assert.Single(_receiver.Requests);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(408)]
    [InlineData(429)]
    public async Task A_retryable_status_every_time_stops_after_max_attempts(int status)
    {
        _receiver.Respond = _ => status;
        // A Retry-After of a minute is capped at the options' 200 ms, or this would not return in time.
        _receiver.RetryAfterSeconds = 60;

        var stopwatch = Stopwatch.StartNew();
        var result = await WithinDeadline(Sender(maxAttempts: 4).SendAsync(Webhook(), Notification(), CancellationToken.None));

        Assert.False(result.Delivered);
        Assert.Equal(4, result.Attempts);
        Assert.Equal(status, result.StatusCode);
        Assert.Equal(4, _receiver.Requests.Count);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task One_attempt_means_no_retry()
    {
        _receiver.Respond = _ => 503;

        var result = await WithinDeadline(Sender(maxAttempts: 1).SendAsync(Webhook(), Notification(), CancellationToken.None));

        Assert.Equal((false, 1, 503), (result.Delivered, result.Attempts, result.StatusCode));
        Assert.Single(_receiver.Requests);
    }

    [Fact]
    public async Task A_hanging_receiver_times_out_each_attempt_and_the_send_returns()
    {
        _receiver.Respond = _ => 0;

        var stopwatch = Stopwatch.StartNew();
        var result = await WithinDeadline(Sender(maxAttempts: 2, attemptTimeoutMs: 300).SendAsync(Webhook(), Notification(), CancellationToken.None));

        Assert.False(result.Delivered);
        Assert.Equal(2, result.Attempts);
        Assert.Null(result.StatusCode);
        Assert.Contains("Timeout", result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(600), $"took {stopwatch.Elapsed}");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        Assert.Equal(2, _receiver.Requests.Count);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_and_reported_without_throwing()
    {
        // A port that was free a moment ago and has nothing listening now.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        socket.Close();
        var delivery = new AlertDelivery(AlertChannelType.Slack, new Uri($"http://127.0.0.1:{port}/services/T1/B2/tok3n"), null, null);

        var result = await WithinDeadline(Sender().SendAsync(delivery, Notification(), CancellationToken.None));

        Assert.False(result.Delivered);
        Assert.Equal(3, result.Attempts);
        Assert.Null(result.StatusCode);
        Assert.StartsWith("HttpRequestException", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_teams_signature_in_the_query_never_reaches_the_target_or_any_log()
    {
        const string Sig = "SuperSecretSig123";
        var url = new Uri(_receiver.BaseUrl + $"/workflows/abc/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers&sv=1.0&sig={Sig}");
        _receiver.Respond = n => n == 1 ? 503 : n == 2 ? 200 : 500;
        var sender = Sender(maxAttempts: 2);

        var delivered = await WithinDeadline(sender.SendAsync(new AlertDelivery(AlertChannelType.Teams, url, null, null), Notification(), CancellationToken.None));
        var failed = await WithinDeadline(sender.SendAsync(new AlertDelivery(AlertChannelType.Teams, url, null, null), Notification(AlertEventKind.Resolved), CancellationToken.None));

        Assert.True(delivered.Delivered);
        Assert.Equal(2, delivered.Attempts);
        Assert.False(failed.Delivered);
        // The receiver did get the signed URL: the query is sent, only never shown.
        Assert.All(_receiver.Requests, r => Assert.Contains(Sig, r.Query, StringComparison.Ordinal));
        Assert.Equal(_receiver.BaseUrl + "/workflows/abc/triggers/manual/paths/invoke", delivered.Target);
        Assert.Equal(delivered.Target, failed.Target);
        Assert.NotEmpty(_logs.Lines);
        Assert.Contains(_logs.Lines, l => l.Message.Contains("not delivered", StringComparison.Ordinal));
        Assert.All(_logs.Lines, l => Assert.DoesNotContain(Sig, l.Text, StringComparison.Ordinal));
        Assert.All(_logs.Lines, l => Assert.DoesNotContain("sig=", l.Text, StringComparison.Ordinal));
        Assert.Equal("message", JsonNode.Parse(_receiver.Requests[0].Body)!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_slack_webhook_token_is_masked_in_the_target_and_the_senders_logs()
    {
        const string Token = "xoxTokenInPath42";
        var url = new Uri(_receiver.BaseUrl + $"/services/T1/B2/{Token}");

        var result = await WithinDeadline(Sender().SendAsync(new AlertDelivery(AlertChannelType.Slack, url, null, null), Notification(), CancellationToken.None));

        Assert.True(result.Delivered);
        Assert.Equal(_receiver.BaseUrl + $"/services/T1/B2/{Token}", _receiver.BaseUrl + Assert.Single(_receiver.Requests).Path);
        Assert.Equal(_receiver.BaseUrl + "/services/T1/B2/***", result.Target);
        Assert.Equal("https://hooks.slack.com/services/T1/B2/***", AlertTarget.Describe(new Uri("https://hooks.slack.com/services/T1/B2/" + Token)));
        Assert.Contains(_logs.Lines, l => l.Category == typeof(AlertSender).FullName && l.Message.Contains(result.Target, StringComparison.Ordinal));
        Assert.All(_logs.Lines.Where(l => l.Category == typeof(AlertSender).FullName), l => Assert.DoesNotContain(Token, l.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PagerDuty_gets_the_routing_key_in_the_body_and_without_one_nothing_is_sent()
    {
        var url = new Uri(_receiver.BaseUrl + "/v2/enqueue");
        _receiver.Respond = _ => 202;
        var sender = Sender();

        var sent = await WithinDeadline(sender.SendAsync(new AlertDelivery(AlertChannelType.PagerDuty, url, null, "R0UT1NG"), Notification(), CancellationToken.None));
        var missing = await WithinDeadline(sender.SendAsync(new AlertDelivery(AlertChannelType.PagerDuty, url, null, null), Notification(), CancellationToken.None));

        Assert.Equal((true, 1, 202), (sent.Delivered, sent.Attempts, sent.StatusCode));
        Assert.Equal("R0UT1NG", JsonNode.Parse(Assert.Single(_receiver.Requests).Body)!["routing_key"]!.GetValue<string>());
        Assert.Equal((false, 0), (missing.Delivered, missing.Attempts));
        Assert.Contains("routing key", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_swallowed()
    {
        _receiver.Respond = _ => 0;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var send = Sender().SendAsync(Webhook(), Notification(), cancel.Token);

        var finished = await Task.WhenAny(send, Task.Delay(Deadline));
        Assert.Same(send, finished);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
    }

    private sealed class FixedNow(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
