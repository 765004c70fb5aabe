namespace Twin.Observability.Tracing;

/// <summary>The <c>Telemetry</c> section: where the content of conversations may go besides Langfuse.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// Whether prompts and replies (the <see cref="ContentAttributes"/> of spans) go to Azure Monitor as well as to
    /// Langfuse. Off by default: Application Insights is read by operators who need timings and failures, not what
    /// users said, and it keeps data under other retention and access rules than Langfuse.
    /// </summary>
    public bool SendContentToAzureMonitor { get; set; }
}
