namespace Twin.Observability.Storage;

/// <summary>
/// The tables, blob containers and queues to create at start-up. Each feature adds its own, so the
/// list grows with the features instead of being kept by hand in the initializer.
/// </summary>
public sealed class StorageResourceOptions
{
    public HashSet<string> Tables { get; } = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<string> Containers { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Queues { get; } = new(StringComparer.Ordinal);
}
