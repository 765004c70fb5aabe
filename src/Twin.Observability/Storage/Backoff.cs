namespace Twin.Observability.Storage;

/// <summary>Exponential back-off: <see cref="Initial"/>, doubled after each failure, never above <see cref="Max"/>.</summary>
public readonly record struct Backoff(TimeSpan Initial, TimeSpan Max)
{
    /// <summary>The delay after <paramref name="failures"/> consecutive failures (1 = the first).</summary>
    public TimeSpan After(int failures)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var delay = Initial.TotalMilliseconds * Math.Pow(2, exponent);
        return TimeSpan.FromMilliseconds(Math.Min(delay, Max.TotalMilliseconds));
    }
}
