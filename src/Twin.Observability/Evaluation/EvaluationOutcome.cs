using Twin.Observability.Datasets;

namespace Twin.Observability.Evaluation;

/// <summary>What evaluating one chat produced: its verdicts, the evaluation's own trace, and whether it joined a dataset.</summary>
public sealed record EvaluationOutcome(string TraceId, string EvaluationTraceId, IReadOnlyList<JudgeVerdict> Verdicts, DatasetDecision Dataset);
