namespace Twin.Observability.Prompts;

/// <summary>
/// The prompt source failed for this key, just now or within the cache period (the failure is remembered so that a
/// broken source costs one fetch and one log line per period, not one per chat). The cause is the inner exception.
/// </summary>
public sealed class PromptUnavailableException(string key, Exception cause)
    : Exception($"Prompt {key} is unavailable: {cause.Message}", cause)
{
    public string Key { get; } = key;
}
