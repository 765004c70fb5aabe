namespace Twin.Observability.Common;

/// <summary>The addressed resource does not exist. The HTTP layer answers 404.</summary>
public sealed class ResourceNotFoundException(string resource, string id)
    : Exception($"{resource} '{id}' was not found.")
{
    public string Resource { get; } = resource;

    public string Id { get; } = id;
}
