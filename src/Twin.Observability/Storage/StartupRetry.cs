using Polly;
using Polly.Retry;

namespace Twin.Observability.Storage;

/// <summary>
/// The start-up retry of work that needs storage (creating its resources, seeding the demo twin): retried for as long
/// as the app runs, from <see cref="StorageOptions.StartupRetryDelayMilliseconds"/> doubling up to
/// <see cref="StorageOptions.StartupMaxRetryDelayMilliseconds"/>, while <paramref name="retryOn"/> says the failure is
/// storage being away (an outage, or an identity not allowed yet) rather than a defect.
/// </summary>
public static class StartupRetry
{
    public static ResiliencePipeline Build(
        StorageOptions options,
        Func<Exception, bool> retryOn,
        Action<Exception, TimeSpan> onRetry,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ResiliencePipelineBuilder { TimeProvider = time ?? TimeProvider.System }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && retryOn(ex)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = TimeSpan.FromMilliseconds(options.StartupRetryDelayMilliseconds),
                MaxDelay = TimeSpan.FromMilliseconds(options.StartupMaxRetryDelayMilliseconds),
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    onRetry(args.Outcome.Exception!, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }
}
