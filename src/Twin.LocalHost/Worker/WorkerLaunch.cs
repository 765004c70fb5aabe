namespace Twin.LocalHost.Worker;

/// <summary>The environment the host starts its worker with (<see cref="WorkerEnvironment"/>).</summary>
public sealed record WorkerLaunch(IReadOnlyDictionary<string, string?> Environment);
