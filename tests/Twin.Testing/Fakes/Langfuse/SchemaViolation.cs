using System.Text;

namespace Twin.Testing.Fakes.Langfuse;

/// <summary>
/// A request the real Langfuse would refuse with 400 "Invalid request data": its JSON body (or query) breaks the
/// operation's schema in Langfuse's OpenAPI spec or one of the rules Langfuse enforces beyond it (a score's target and
/// value type, say). Also used, with <see cref="Body"/> being the answer, when the fake's own response breaks the spec.
/// </summary>
public sealed record SchemaViolation(DateTimeOffset At, string Method, string Path, string Body, IReadOnlyList<string> Errors)
{
    public override string ToString()
    {
        var text = new StringBuilder($"{At:HH:mm:ss.fff} {Method} {Path}").AppendLine();
        foreach (var error in Errors)
        {
            text.Append("    ").AppendLine(error);
        }

        return text.Append("    body: ").Append(Body.Length > 2000 ? Body[..2000] + "…" : Body).ToString();
    }
}

/// <summary>
/// Thrown by <see cref="FakeLangfuse.DisposeAsync"/> when requests broke Langfuse's API and no test took the
/// violations with <see cref="FakeLangfuse.TakeSchemaViolations"/>: the app sends something the real Langfuse refuses.
/// </summary>
public sealed class LangfuseSchemaViolationException : Exception
{
    public LangfuseSchemaViolationException()
        : this([])
    {
    }

    public LangfuseSchemaViolationException(string message)
        : base(message)
    {
        Violations = [];
    }

    public LangfuseSchemaViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Violations = [];
    }

    public LangfuseSchemaViolationException(IReadOnlyList<SchemaViolation> violations)
        : base(Describe(violations))
    {
        Violations = violations;
    }

    public IReadOnlyList<SchemaViolation> Violations { get; }

    private static string Describe(IReadOnlyList<SchemaViolation> violations)
    {
        var text = new StringBuilder(FormattableString.Invariant(
            $"FakeLangfuse received {violations.Count} request(s) that Langfuse would refuse (400 Invalid request data), and no test took them with TakeSchemaViolations():"));
        foreach (var violation in violations)
        {
            text.AppendLine().Append("  ").Append(violation);
        }

        return text.ToString();
    }
}
