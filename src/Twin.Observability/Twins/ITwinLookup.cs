namespace Twin.Observability.Twins;

/// <summary>Reads a twin by id: what the chat pipeline needs of the twins feature.</summary>
public interface ITwinLookup
{
    /// <summary>The twin, or null when there is none with this id.</summary>
    Task<TwinProfile?> FindAsync(string id, CancellationToken cancellationToken);
}
