namespace Twin.Observability.Common;

/// <summary>Storage could not be reached or failed on its side. The HTTP layer answers 503; the request can be retried.</summary>
public sealed class StorageUnavailableException(string message, Exception inner) : Exception(message, inner);
