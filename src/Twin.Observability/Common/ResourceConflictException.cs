namespace Twin.Observability.Common;

/// <summary>The resource already exists (create) and cannot be created twice. The HTTP layer answers 409.</summary>
public sealed class ResourceConflictException(string message) : Exception(message);
