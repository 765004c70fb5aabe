namespace Twin.Observability.Common;

/// <summary>Collects field errors so a caller learns every problem with its input at once, not one per round trip.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public ValidationErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            messages = [];
            _errors[field] = messages;
        }

        messages.Add(message);
        return this;
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>Throws <see cref="RequestValidationException"/> when any error was recorded.</summary>
    public void ThrowIfAny()
    {
        if (!IsEmpty)
        {
            throw new RequestValidationException(ToDictionary());
        }
    }
}
