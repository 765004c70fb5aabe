namespace Twin.Regress;

/// <summary>How the gate ended: the verdict, or "error" (run failed, timeout) with a message.</summary>
internal sealed record GateResult(string Verdict, string? Message, RunStatus? Run, CliOptions Options)
{
    public const string Error = "error";

    public int ExitCode => Verdict switch
    {
        Verdicts.Pass => 0,
        Verdicts.Fail => 1,
        _ => 2,
    };
}
