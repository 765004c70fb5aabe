namespace Twin.LocalHost.Worker;

/// <summary>How long the host waits for its worker (<c>LocalHost:Worker</c>).</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "LocalHost:Worker";

    /// <summary>From starting the process to every function loaded; a worker slower than this fails the host's start.</summary>
    public int StartupTimeoutSeconds { get; set; } = 60;

    /// <summary>How long a worker may take to stop after <c>WorkerTerminate</c> before it is killed.</summary>
    public int TerminateGraceSeconds { get; set; } = 5;

    /// <summary>Starts after a worker exited at start because its HTTP port was taken (it picks a free port, then binds).</summary>
    public int StartAttempts { get; set; } = 3;
}
