using System.Diagnostics;

namespace Twin.Observability.Tracing;

/// <summary>The app's one <see cref="ActivitySource"/>: every span the app creates, and the LLM client's spans, come from it.</summary>
public static class TwinTelemetry
{
    public const string SourceName = "Twin.Observability";

    public static readonly ActivitySource Source = new(SourceName, typeof(TwinTelemetry).Assembly.GetName().Version?.ToString());
}
