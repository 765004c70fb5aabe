using Twin.Observability.Common;
using Twin.Observability.Compare;
using Xunit;

namespace Twin.Observability.Tests.Compare;

public sealed class ChatRefTests
{
    [Theory]
    [InlineData("0af7651916cd43dd8448eb211c80319c", "0af7651916cd43dd8448eb211c80319c", null)]
    [InlineData("0AF7651916CD43DD8448EB211C80319C", "0af7651916cd43dd8448eb211c80319c", null)]
    [InlineData("0af76519-16cd-43dd-8448-eb211c80319c", "0af7651916cd43dd8448eb211c80319c", null)]
    [InlineData("0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331", "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331")]
    [InlineData(" 0af7651916cd43dd8448eb211c80319c:B7AD6B7169203331 ", "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331")]
    public void Trace_ids_and_trace_observation_pairs_parse_to_lower_case_hex(string value, string traceId, string? observationId)
    {
        Assert.True(ChatRef.TryParse(value, out var chat));
        Assert.Equal(new ChatRef(traceId, observationId), chat);
        Assert.Equal(observationId is null ? traceId : $"{traceId}:{observationId}", chat.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("xyz")]
    [InlineData("0af7651916cd43dd8448eb211c80319")]
    [InlineData("00000000000000000000000000000000")]
    [InlineData("0af7651916cd43dd8448eb211c80319c:")]
    [InlineData("0af7651916cd43dd8448eb211c80319c:b7ad6b71")]
    [InlineData("0af7651916cd43dd8448eb211c80319c:0000000000000000")]
    [InlineData("0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331:b7ad6b7169203331")]
    public void Malformed_ids_are_refused_naming_the_field(string? value)
    {
        Assert.False(ChatRef.TryParse(value, out _));
        var errors = new ValidationErrors();
        Assert.Null(ChatRef.Parse(value, "id2", errors));
        Assert.Equal(["id2"], errors.ToDictionary().Keys);
    }

    [Fact]
    public void A_batch_names_each_malformed_id_and_refuses_too_many_comparisons_or_both_forms()
    {
        var ok = "0af7651916cd43dd8448eb211c80319c";
        var bad = Assert.Throws<RequestValidationException>(() => BatchPairs.Of(new CompareBatchRequest { Pairs = [[ok, "nope"], [ok]] }));
        Assert.Equal(["pairs[0][1]", "pairs[1]"], bad.Errors.Keys.Order());

        var baseline = Assert.Throws<RequestValidationException>(() => BatchPairs.Of(new CompareBatchRequest { TraceIds = [ok, "x"] }));
        Assert.Equal(["baselineId", "traceIds[1]"], baseline.Errors.Keys.Order());

        var tooMany = Assert.Throws<RequestValidationException>(() => BatchPairs.Of(new CompareBatchRequest { TraceIds = [.. Enumerable.Repeat<string?>(ok, 101)], BaselineId = ok }));
        Assert.Equal(["traceIds"], tooMany.Errors.Keys);

        var both = Assert.Throws<RequestValidationException>(() => BatchPairs.Of(new CompareBatchRequest { Pairs = [[ok, ok]], TraceIds = [ok], BaselineId = ok }));
        Assert.Equal(["body"], both.Errors.Keys);

        var pairs = BatchPairs.Of(new CompareBatchRequest { TraceIds = [ok + ":b7ad6b7169203331"], BaselineId = ok });
        Assert.Equal((new ChatRef(ok, null), new ChatRef(ok, "b7ad6b7169203331")), Assert.Single(pairs));
    }
}
