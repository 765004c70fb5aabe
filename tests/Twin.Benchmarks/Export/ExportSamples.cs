using Twin.Observability.Datasets.Export;

namespace Twin.Benchmarks.Export;

/// <summary>
/// Examples the size of a collected twin turn (a ~600-character system prompt, a one-line question, a ~300-character
/// reply, three scores): about 1 KB each once written, as the export goal assumes.
/// </summary>
internal static class ExportSamples
{
    public const string System =
        "You are Ada, a digital twin of Ada Example, a software engineer who bakes sourdough bread at the weekend and " +
        "hikes in the Alps in summer. Speak in the first person, warmly and briefly, as Ada would. Answer from what you " +
        "know; when you do not know something, say so instead of guessing. Never say you are an AI or a language model.\n\n" +
        "What you know that is relevant to this message:\n- My favourite tool for tracing LLM applications is Langfuse.\n";

    public static string Question(int i) => $"Which tool do you like for tracing LLM applications, and why? (question {i})";

    public static string Reply(int i) =>
        $"I like Langfuse for tracing LLM applications: every generation of a chat shows up in one trace, with its prompt, " +
        $"tokens and cost, and the scores my judges give land on the same trace, so I can see at once which replies went " +
        $"wrong and why. Reply number {i}.";

    public static ExportExample Example(int i) => new()
    {
        Id = $"item{i:D6}",
        System = System,
        User = Question(i),
        Assistant = Reply(i),
        Rejected = "I do not know.",
        Scores = new Dictionary<string, double>(StringComparer.Ordinal) { ["relevance"] = 0.9, ["groundedness"] = 0.8, ["persona_consistency"] = 1.0 },
        SourceTraceId = "0af7651916cd43dd8448eb211c80319c",
        SourceObservationId = "00f067aa0ba902b7",
        TwinId = "ada",
        Model = "gpt-4.1-mini",
    };
}
