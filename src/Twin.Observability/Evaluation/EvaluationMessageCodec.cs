using System.Text.Encodings.Web;
using System.Text.Json;

namespace Twin.Observability.Evaluation;

/// <summary>
/// Writes <see cref="EvaluationRequest"/>s as queue message bodies: camelCase JSON, as the Functions worker binds a
/// queue trigger's POCO. A Storage queue message holds 64 KiB, Base64 included (48 KiB of JSON), so a request too big
/// has its knowledge, reply and message cut to ever smaller budgets until it fits, each cut text ending in "[…]" and
/// the request marked <see cref="EvaluationRequest.Shortened"/>, rather than lost.
/// </summary>
public static class EvaluationMessageCodec
{
    /// <summary>Largest JSON body that still fits a queue message after Base64 encoding, with room to spare.</summary>
    public const int MaxBodyBytes = 45_000;

    private const string Cut = " […]";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // Non-ASCII text stays UTF-8 instead of six-byte escapes: the message limit is in bytes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Encode(EvaluationRequest request)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, Json);
        for (var budget = 8_000; body.Length > MaxBodyBytes && budget >= 250; budget /= 2)
        {
            request = request with
            {
                Knowledge = request.Knowledge.Select(k => Shorten(k, budget / Math.Max(1, request.Knowledge.Count))).ToList(),
                Reply = Shorten(request.Reply, budget),
                Message = Shorten(request.Message, budget),
                Shortened = true,
            };
            body = JsonSerializer.SerializeToUtf8Bytes(request, Json);
        }

        return body;
    }

    public static EvaluationRequest Decode(ReadOnlySpan<byte> body) =>
        JsonSerializer.Deserialize<EvaluationRequest>(body, Json) ?? throw new JsonException("The evaluation message is empty.");

    private static string Shorten(string text, int maxChars) =>
        text.Length <= maxChars ? text : string.Concat(text.AsSpan(0, Math.Max(0, maxChars - Cut.Length)), Cut);
}
