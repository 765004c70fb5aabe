using Microsoft.ML.Tokenizers;

namespace Twin.Observability.Datasets.Export;

/// <summary>
/// Counts tokens with <c>o200k_base</c>, the encoding of the GPT-4o and GPT-4.1 families that OpenAI and Azure
/// OpenAI fine-tune: close enough for other trainers' budgets too. The tokenizer loads its vocabulary once per process.
/// </summary>
public static class TokenCounter
{
    public const string Encoding = "o200k_base";

    private static readonly Lazy<Tokenizer> Tokenizer = new(() => TiktokenTokenizer.CreateForEncoding(Encoding));

    public static int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : Tokenizer.Value.CountTokens(text);
}
