namespace Twin.Observability.Common;

/// <summary>
/// The caller's ETag no longer matches the stored one: somebody else changed the resource first.
/// The HTTP layer answers 412 so the caller can re-read and retry instead of overwriting that change.
/// </summary>
public sealed class PreconditionFailedException(string message) : Exception(message);
