using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Twin.Testing.Metrics;

/// <summary>
/// Sums the measurements of counters, by instrument name, from the moment it is created: for tests that read an
/// app's metrics as a metrics exporter would. Counters of meters made by another <c>IMeterFactory</c> (another app
/// in the same process) are left out when a <c>scope</c> is given.
/// </summary>
public sealed class CounterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);

    /// <param name="meterName">The meter whose counters are summed.</param>
    /// <param name="scope">The <c>IMeterFactory</c> that made the meter, or null for any meter of that name.</param>
    public CounterRecorder(string meterName, object? scope = null)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName && (scope is null || ReferenceEquals(instrument.Meter.Scope, scope)))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        _listener.Start();
    }

    /// <summary>The sum of the named counter's measurements so far; 0 when it has none.</summary>
    public long Total(string instrumentName) => _totals.GetValueOrDefault(instrumentName);

    public void Dispose() => _listener.Dispose();
}
