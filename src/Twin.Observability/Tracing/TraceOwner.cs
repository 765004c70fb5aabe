namespace Twin.Observability.Tracing;

/// <summary>
/// The app instance a trace belongs to. The app's <see cref="System.Diagnostics.ActivitySource"/> is static, so every
/// TracerProvider in a process hears every span of it; where several app instances share a process (the end-to-end
/// tests, the benchmarks), each exports only the traces whose <see cref="TraceScope.Owner"/> is its own.
/// </summary>
public sealed class TraceOwner;
