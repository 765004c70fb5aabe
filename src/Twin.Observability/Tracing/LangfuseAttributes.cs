namespace Twin.Observability.Tracing;

/// <summary>
/// Every span attribute name Langfuse reads, in one place (langfuse/langfuse <c>packages/shared/src/server/otel/attributes.ts</c>;
/// see docs/telemetry.md). Object values are sent as JSON strings, arrays as string arrays.
/// </summary>
public static class LangfuseAttributes
{
    // Trace level: copied onto every span so Langfuse v4 can filter on any of them.
    public const string TraceName = "langfuse.trace.name";
    public const string UserId = "user.id";
    public const string SessionId = "session.id";
    public const string TraceTags = "langfuse.trace.tags";
    public const string TraceMetadataPrefix = "langfuse.trace.metadata.";
    public const string Environment = "langfuse.environment";
    public const string Release = "langfuse.release";
    public const string Version = "langfuse.version";

    /// <summary>Marks the app's root span as the trace's root observation (Langfuse v4 ingestion).</summary>
    public const string IsAppRoot = "langfuse.internal.is_app_root";

    /// <summary>The same for Langfuse servers still on the legacy (pre-v4) ingestion path.</summary>
    public const string AsRoot = "langfuse.internal.as_root";

    // Observation level.
    public const string ObservationType = "langfuse.observation.type";
    public const string Level = "langfuse.observation.level";
    public const string StatusMessage = "langfuse.observation.status_message";
    public const string Input = "langfuse.observation.input";
    public const string Output = "langfuse.observation.output";
    public const string ObservationMetadataPrefix = "langfuse.observation.metadata.";
    public const string ModelName = "langfuse.observation.model.name";
    public const string ModelParameters = "langfuse.observation.model.parameters";
    public const string UsageDetails = "langfuse.observation.usage_details";
    public const string CostDetails = "langfuse.observation.cost_details";
    public const string PromptName = "langfuse.observation.prompt.name";
    public const string PromptVersion = "langfuse.observation.prompt.version";
    public const string CompletionStartTime = "langfuse.observation.completion_start_time";

    /// <summary>OpenTelemetry gen_ai semantic convention: "chat" makes Langfuse map the span to a generation.</summary>
    public const string GenAiOperationName = "gen_ai.operation.name";
}

/// <summary>Values of <see cref="LangfuseAttributes.ObservationType"/>.</summary>
public static class ObservationTypes
{
    public const string Span = "span";
    public const string Generation = "generation";
    public const string Agent = "agent";
    public const string Chain = "chain";
    public const string Retriever = "retriever";
    public const string Tool = "tool";
    public const string Guardrail = "guardrail";
    public const string Evaluator = "evaluator";
}

/// <summary>Values of <see cref="LangfuseAttributes.Level"/>.</summary>
public static class ObservationLevels
{
    public const string Default = "DEFAULT";
    public const string Warning = "WARNING";
    public const string Error = "ERROR";
}
