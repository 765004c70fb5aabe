using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Twin.Observability.Alerts.Channels;

/// <summary>
/// Sends one notification to one channel over the HTTP client named <see cref="HttpClientName"/>: builds the
/// channel's payload, serializes it once (a generic webhook is signed over exactly those bytes), and POSTs it as JSON.
/// Retries and per-attempt timeouts are the client's (<see cref="AlertResilienceHttpClientBuilderExtensions.AddAlertResilience"/>);
/// retries re-send the same request, so a signed webhook keeps one id, timestamp and signature across them (receivers
/// dedupe by <c>webhook-id</c>). A failed delivery never throws: the result says what went wrong, without secrets or
/// URL queries. Only the caller's own cancellation throws.
/// </summary>
public sealed class AlertSender(IHttpClientFactory httpClients, IOptions<AlertsSendOptions> options, TimeProvider time, ILogger<AlertSender> logger) : IAlertSender
{
    public const string HttpClientName = "alerts";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public async Task<AlertSendResult> SendAsync(AlertDelivery delivery, AlertNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(notification);
        var target = AlertTarget.Describe(delivery.Url, delivery.Type);

        byte[] body;
        IReadOnlyList<KeyValuePair<string, string>> headers;
        try
        {
            (body, headers) = Prepare(delivery, notification);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            // A channel that cannot be sent to (no routing key, a malformed whsec_ secret) is not tried at all.
            return Failed(delivery, notification, target, 0, null, e.Message);
        }

        var counter = new AlertAttemptCounter.Counter();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Options.Set(AlertAttemptCounter.Key, counter);

        // A backstop in case the client was registered without AddAlertResilience (then HttpClient's 100 s would be the only limit).
        using var backstop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        backstop.CancelAfter(options.Value.WorstCase);
        try
        {
            var client = httpClients.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, backstop.Token).ConfigureAwait(false);
            var attempts = Math.Max(counter.Value, 1);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                AlertChannelsLog.Delivered(logger, notification.NotificationId, notification.Kind, delivery.Type, target, attempts, status);
                return new AlertSendResult(delivery.Type, target, true, attempts, status, null);
            }

            // Only the status: an error body or reason phrase is the receiver's text and may echo the URL it was called on.
            return Failed(delivery, notification, target, attempts, status, $"HTTP {status}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            var error = e is OperationCanceledException && backstop.IsCancellationRequested
                ? $"Gave up after {options.Value.WorstCase.TotalSeconds:0.#} s"
                : $"{e.GetType().Name}: {Scrub(e.Message, delivery.Url, target)}";
            return Failed(delivery, notification, target, Math.Max(counter.Value, 1), null, error);
        }
    }

    private (byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers) Prepare(AlertDelivery delivery, AlertNotification notification)
    {
        switch (delivery.Type)
        {
            case AlertChannelType.Slack:
                return (Serialize(SlackPayload.Build(notification)), []);
            case AlertChannelType.Teams:
                return (Serialize(TeamsPayload.Build(notification)), []);
            case AlertChannelType.PagerDuty:
                if (string.IsNullOrWhiteSpace(delivery.RoutingKey))
                {
                    throw new ArgumentException("The PagerDuty channel has no routing key.");
                }

                return (Serialize(PagerDutyPayload.Build(notification, delivery.RoutingKey)), []);
            case AlertChannelType.Webhook:
                var body = Serialize(WebhookPayload.Build(notification));
                // Stamped once per send: retries of this request carry the same id, timestamp and signature.
                var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
                return (body, WebhookSignature.Headers(delivery.Secret, notification.NotificationId, timestamp, body));
            default:
                throw new ArgumentException($"Unknown channel type {delivery.Type}.");
        }
    }

    /// <summary>The UTF-8 JSON of <paramref name="payload"/>, made once: the bytes signed are the bytes sent.</summary>
    internal static byte[] Serialize(JsonObject payload)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            payload.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private AlertSendResult Failed(AlertDelivery delivery, AlertNotification notification, string target, int attempts, int? status, string error)
    {
        AlertChannelsLog.NotDelivered(logger, notification.NotificationId, notification.Kind, delivery.Type, target, attempts, error);
        return new AlertSendResult(delivery.Type, target, false, attempts, status, error);
    }

    // Exception messages rarely hold the URL, but one that does must not carry its query (or a Slack token) into a result or a log.
    private static string Scrub(string message, Uri url, string target)
    {
        if (url.IsAbsoluteUri)
        {
            message = message.Replace(url.OriginalString, target, StringComparison.Ordinal).Replace(url.AbsoluteUri, target, StringComparison.Ordinal);
            if (url.Query.Length > 1)
            {
                message = message.Replace(url.Query, "", StringComparison.Ordinal);
            }
        }

        return message;
    }
}
