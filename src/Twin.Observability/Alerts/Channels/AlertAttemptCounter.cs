namespace Twin.Observability.Alerts.Channels;

/// <summary>
/// Counts the attempts of one send. It sits inside the resilience pipeline (added by
/// <see cref="AlertResilienceHttpClientBuilderExtensions.AddAlertResilience"/>), so it sees every retry; the sender
/// puts a counter on the request's options and reads it back.
/// </summary>
internal sealed class AlertAttemptCounter : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<Counter> Key = new("Twin.Alerts.Attempts");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(Key, out var counter))
        {
            counter.Increment();
        }

        return base.SendAsync(request, cancellationToken);
    }

    internal sealed class Counter
    {
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }
}
