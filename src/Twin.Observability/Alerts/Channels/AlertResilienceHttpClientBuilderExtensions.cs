using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace Twin.Observability.Alerts.Channels;

public static class AlertResilienceHttpClientBuilderExtensions
{
    /// <summary>
    /// Adds the alert channels' retry and per-attempt timeout to <paramref name="builder"/> (meant for the client
    /// named <see cref="AlertSender.HttpClientName"/>), from <see cref="AlertsSendOptions"/> as registered in DI:
    /// up to <see cref="AlertsSendOptions.MaxAttempts"/> attempts of <see cref="AlertsSendOptions.AttemptTimeout"/>
    /// each, exponential back-off with jitter, retrying 5xx, 408, 429, network errors and timeouts only (a 4xx is the
    /// receiver refusing the payload; sending it again changes nothing). Retry-After is honoured up to
    /// <see cref="AlertsSendOptions.MaxDelay"/>. It only adds handlers: the primary handler (the SSRF guard) and the
    /// client's other settings stay the caller's.
    /// </summary>
    /// <remarks>
    /// No circuit breaker, unlike the standard handler: every channel of every rule shares this one client, and a
    /// breaker opened by one dead webhook would drop the notifications of all the healthy ones.
    /// </remarks>
    public static IHttpClientBuilder AddAlertResilience(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddResilienceHandler("alert-send", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<AlertsSendOptions>>().Value;
                var time = context.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
                var logger = context.ServiceProvider.GetRequiredService<ILogger<AlertSender>>();
                var retry = new HttpRetryStrategyOptions
                {
                    // Polly needs at least one retry; with MaxAttempts 1 the predicate below turns retries off.
                    MaxRetryAttempts = Math.Max(options.MaxAttempts - 1, 1),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.BaseDelay,
                    MaxDelay = options.MaxDelay,
                    // Our own generator below honours Retry-After but caps it (Polly's would wait whatever the receiver says).
                    ShouldRetryAfterHeader = false,
                    DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.MaxDelay, time)),
                    OnRetry = args =>
                    {
                        var uri = args.Context.GetRequestMessage()?.RequestUri;
                        var outcome = args.Outcome.Result is { } response ? $"HTTP {(int)response.StatusCode}" : args.Outcome.Exception?.GetType().Name ?? "unknown";
                        AlertChannelsLog.Retrying(logger, uri is null ? "(unknown)" : AlertTarget.Describe(uri), args.AttemptNumber + 1, outcome, args.RetryDelay.TotalMilliseconds);
                        return default;
                    },
                };
                if (options.MaxAttempts == 1)
                {
                    retry.ShouldHandle = _ => ValueTask.FromResult(false);
                }

                pipeline.AddRetry(retry).AddTimeout(options.AttemptTimeout);
            })
            .Services.AddTransient<AlertAttemptCounter>();
        // Inside the resilience handler (added after it), so it counts every attempt the retry makes.
        return builder.AddHttpMessageHandler<AlertAttemptCounter>();
    }

    /// <summary>The receiver's Retry-After, at most <paramref name="max"/>; null (the back-off decides) when there is none.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan max, TimeProvider time)
    {
        var header = response?.Headers.RetryAfter;
        var wait = header switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow(),
            _ => (TimeSpan?)null,
        };
        if (wait is not { } w)
        {
            return null;
        }

        return w < TimeSpan.Zero ? TimeSpan.Zero : w > max ? max : w;
    }
}
