using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Twin.Observability.Evaluation;
using Twin.Observability.Twins;

namespace Twin.Observability.Monitoring;

/// <summary>
/// Runs one check and judges what it saw. A twin check chats through the app's own public endpoint over HTTP, as a
/// user would (so admission, the pipeline, tracing and the ledger are all on the path), signed in with the synthetic
/// key, so the chat is marked synthetic; its reply is judged by the app's judges when the check sets a minimum score.
/// A URL check GETs an external URL through the SSRF-guarded client. One attempt each: a check measures, it does not
/// retry. Every unmet expectation is one line of <see cref="MonitorResult.Failures"/>.
/// </summary>
public sealed class SyntheticCheckRunner(
    IHttpClientFactory http,
    IOptions<MonitoringOptions> options,
    IConfiguration configuration,
    ITwinLookup twins,
    JudgePanel judges,
    TimeProvider time)
{
    /// <summary>The client twin checks call the app with (its own, configured URL).</summary>
    public const string SelfClientName = "monitoring-self";

    /// <summary>The client URL checks call user-supplied URLs with (SSRF-guarded, no redirects).</summary>
    public const string UrlClientName = "monitoring-url";

    private const int MaxBodyChars = 64 * 1024;

    public async Task<MonitorResult> RunAsync(MonitorCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var at = time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(Math.Min(check.MaxLatencyMs + 5_000, 125_000)));
        var failures = new List<string>();
        int? status = null;
        string? text = null;
        string? traceId = null;
        double? score = null;
        try
        {
            using var request = check.Kind == MonitorCheck.TwinKind ? ChatRequest(check) : new HttpRequestMessage(HttpMethod.Get, check.Url);
            var client = http.CreateClient(check.Kind == MonitorCheck.TwinKind ? SelfClientName : UrlClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            text = await ReadAsync(response, timeout.Token).ConfigureAwait(false);
            traceId = response.Headers.TryGetValues("X-Trace-Id", out var ids) ? ids.FirstOrDefault() : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            failures.Add($"no answer within {check.MaxLatencyMs + 5_000} ms");
        }
        catch (HttpRequestException ex)
        {
            failures.Add($"request failed: {ex.InnerException?.Message ?? ex.Message}");
        }
        catch (MonitoringConfigurationException ex)
        {
            failures.Add(ex.Message);
        }

        var latency = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (status is { } got && got != check.ExpectStatus)
        {
            failures.Add($"status {got}, expected {check.ExpectStatus}");
        }

        var reply = check.Kind == MonitorCheck.TwinKind ? ReplyOf(text) : text;
        if (status is not null && check.ExpectContains is { Length: > 0 } expected && (reply is null || !reply.Contains(expected, StringComparison.OrdinalIgnoreCase)))
        {
            failures.Add($"the {(check.Kind == MonitorCheck.TwinKind ? "reply" : "body")} does not contain \"{expected}\"");
        }

        if (latency > check.MaxLatencyMs && status is not null)
        {
            failures.Add($"took {latency} ms, more than {check.MaxLatencyMs} ms");
        }

        if (check.MinScore is { } minimum && status == 200 && reply is not null)
        {
            try
            {
                score = await ScoreAsync(check, reply, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // An LLM judge that is down fails this check's score, not the run of the other checks.
                failures.Add($"the reply could not be judged: {ex.Message}");
            }

            if (score is null && failures.Count == 0)
            {
                failures.Add("the reply could not be judged");
            }
            else if (score < minimum)
            {
                failures.Add($"judge score {score:0.###}, below {minimum:0.###}");
            }
        }

        return new MonitorResult
        {
            CheckId = check.Id,
            TwinId = check.TwinId,
            At = at,
            Ok = failures.Count == 0,
            Status = status,
            LatencyMs = latency,
            Score = score,
            TraceId = traceId,
            Failures = failures,
        };
    }

    private HttpRequestMessage ChatRequest(MonitorCheck check)
    {
        var key = options.Value.ApiKey is { Length: > 0 } configured
            ? configured
            : throw new MonitoringConfigurationException("Monitoring:ApiKey is not set: twin checks sign in with a key of role Synthetic (Auth:ApiKeys).");
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUrl(), $"api/chat/{Uri.EscapeDataString(check.TwinId!)}"))
        {
            Content = JsonContent.Create(new { message = check.Message }),
        };
        request.Headers.Add("X-Api-Key", key);
        return request;
    }

    private Uri BaseUrl()
    {
        if (options.Value.BaseUrl is { } configured)
        {
            return configured.AbsoluteUri.EndsWith('/') ? configured : new Uri(configured.AbsoluteUri + "/");
        }

        if (configuration["WEBSITE_HOSTNAME"] is { Length: > 0 } host)
        {
            var local = host.StartsWith("localhost", StringComparison.OrdinalIgnoreCase) || host.StartsWith("127.", StringComparison.Ordinal);
            return new Uri($"{(local ? "http" : "https")}://{host}/");
        }

        throw new MonitoringConfigurationException("The app's own URL is unknown: set Monitoring:BaseUrl (WEBSITE_HOSTNAME is not set).");
    }

    private static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        var buffer = new char[MaxBodyChars];
        var read = await reader.ReadBlockAsync(buffer, cancellationToken).ConfigureAwait(false);
        return new string(buffer, 0, read);
    }

    private static string? ReplyOf(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("reply", out var reply) ? reply.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The judges see the twin's whole knowledge: the reply does not say which passages the pipeline retrieved.
    private async Task<double?> ScoreAsync(MonitorCheck check, string reply, CancellationToken cancellationToken)
    {
        if (await twins.FindAsync(check.TwinId!, cancellationToken).ConfigureAwait(false) is not { } twin)
        {
            return null;
        }

        var verdicts = await judges.JudgeAllAsync(new JudgeInput(twin.Id, twin.Name, twin.Persona, twin.PersonaRules, check.Message ?? "", reply, twin.Knowledge), cancellationToken).ConfigureAwait(false);
        var scores = verdicts.Where(v => v.Score is not null).Select(v => v.Score!.Value).ToList();
        return scores.Count == 0 ? null : scores.Average();
    }
}

/// <summary>A check cannot run because the app is not configured for it; the result says what to set.</summary>
public sealed class MonitoringConfigurationException(string message) : Exception(message);
