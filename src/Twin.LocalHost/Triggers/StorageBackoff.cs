using Azure;
using Polly;
using Polly.Retry;

namespace Twin.LocalHost.Triggers;

/// <summary>
/// How the trigger listeners wait out storage that is away: retried from <c>first</c> doubling up to <c>max</c> (with
/// jitter, so the listeners of one host do not knock in step), for as long as the host runs unless a bound is given.
/// </summary>
public static class StorageBackoff
{
    /// <summary>
    /// What an unreachable or reset storage account throws: the SDK's failure, its retries' AggregateException, or the
    /// transport's own when a connection is refused mid-request.
    /// </summary>
    public static bool IsStorageFailure(Exception ex) =>
        ex is RequestFailedException or AggregateException or HttpRequestException or IOException
        || ex is OperationCanceledException { InnerException: TimeoutException };

    /// <param name="retryOn">Which failures are waited out; others end the call at once.</param>
    /// <param name="onRetry">Called before each wait with the failure and the attempt number (0 for the first).</param>
    /// <param name="giveUpAfter">When set, the call fails with a <see cref="Polly.Timeout.TimeoutRejectedException"/> after this long in all.</param>
    public static ResiliencePipeline Build(
        TimeSpan first,
        TimeSpan max,
        Func<Exception, bool> retryOn,
        Action<Exception, int> onRetry,
        TimeSpan? giveUpAfter = null)
    {
        var builder = new ResiliencePipelineBuilder();
        if (giveUpAfter is { } limit)
        {
            builder.AddTimeout(limit);
        }

        return builder
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && retryOn(ex)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = first,
                MaxDelay = TimeSpan.FromTicks(Math.Max(first.Ticks, max.Ticks)),
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    onRetry(args.Outcome.Exception!, args.AttemptNumber);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }
}
