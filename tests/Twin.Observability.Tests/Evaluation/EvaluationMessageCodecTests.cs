using System.Text;
using Twin.Observability.Evaluation;
using Xunit;

namespace Twin.Observability.Tests.Evaluation;

public sealed class EvaluationMessageCodecTests
{
    private static readonly EvaluationRequest Request = new()
    {
        TraceId = "0af7651916cd43dd8448eb211c80319c",
        ObservationId = "00f067aa0ba902b7",
        TwinId = "demo",
        Endpoint = "chat-widget",
        Environment = "production",
        LedgerTimestamp = new DateTimeOffset(2026, 11, 26, 8, 30, 1, TimeSpan.Zero).AddTicks(1234567),
        Message = "Quelle est ta boulangerie préférée ?",
        Reply = "J'aime le pain au levain.",
        Knowledge = ["I bake sourdough bread every weekend."],
        Model = "twin-offline",
        PromptName = "twin-system",
        PromptVersion = 3,
        ConversationId = "c1",
    };

    [Fact]
    public void A_request_round_trips_as_camel_case_json_keeping_the_ledger_timestamp_to_the_tick()
    {
        var body = EvaluationMessageCodec.Encode(Request);

        var json = Encoding.UTF8.GetString(body);
        Assert.Contains("\"traceId\":", json, StringComparison.Ordinal);
        Assert.Contains("préférée", json, StringComparison.Ordinal);
        var decoded = EvaluationMessageCodec.Decode(body);
        Assert.Equal(Request.LedgerTimestamp, decoded.LedgerTimestamp);
        Assert.Equal(Request.Knowledge, decoded.Knowledge);
        Assert.Equal(Request with { Knowledge = decoded.Knowledge }, decoded);
    }

    [Fact]
    public void A_request_too_big_for_a_queue_message_is_shortened_knowledge_first_and_marked()
    {
        var huge = Request with
        {
            Message = new string('м', 4_000),
            Reply = new string('ü', 8_000),
            Knowledge = Enumerable.Range(0, 20).Select(i => new string('ß', 8_000)).ToList(),
        };

        var body = EvaluationMessageCodec.Encode(huge);

        Assert.True(body.Length <= EvaluationMessageCodec.MaxBodyBytes, $"{body.Length} bytes");
        var decoded = EvaluationMessageCodec.Decode(body);
        Assert.Equal(20, decoded.Knowledge.Count);
        Assert.All(decoded.Knowledge, k => Assert.EndsWith("[…]", k, StringComparison.Ordinal));
        Assert.Equal(huge.TraceId, decoded.TraceId);
        Assert.True(decoded.Shortened);
    }

    [Fact]
    public void A_request_that_fits_is_left_whole()
    {
        var decoded = EvaluationMessageCodec.Decode(EvaluationMessageCodec.Encode(Request with { Reply = new string('a', 8_000) }));

        Assert.Equal(8_000, decoded.Reply.Length);
        Assert.False(decoded.Shortened);
    }
}
