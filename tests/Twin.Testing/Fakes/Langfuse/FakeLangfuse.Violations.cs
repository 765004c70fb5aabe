namespace Twin.Testing.Fakes.Langfuse;

// Requests that the real Langfuse would refuse with 400. They fail the test when the fake is disposed, unless the test
// expected them and took them.
public sealed partial class FakeLangfuse
{
    private readonly List<SchemaViolation> _violations = [];

    /// <summary>The violations not yet taken, in arrival order (a peek: they still fail <see cref="DisposeAsync"/>).</summary>
    public IReadOnlyList<SchemaViolation> SchemaViolations
    {
        get
        {
            lock (_gate)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>Returns the violations so far and forgets them, for tests that send invalid requests on purpose.</summary>
    public IReadOnlyList<SchemaViolation> TakeSchemaViolations()
    {
        lock (_gate)
        {
            var taken = _violations.ToList();
            _violations.Clear();
            return taken;
        }
    }

    private void RecordViolation(SchemaViolation violation)
    {
        lock (_gate)
        {
            _violations.Add(violation);
        }
    }

    // Called once the server has stopped: no request can add one any more.
    private void ThrowOnUntakenViolations()
    {
        var untaken = TakeSchemaViolations();
        if (untaken.Count > 0)
        {
            throw new LangfuseSchemaViolationException(untaken);
        }
    }
}
