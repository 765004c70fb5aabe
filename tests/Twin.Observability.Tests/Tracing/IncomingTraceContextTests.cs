using Twin.Observability.Tracing;
using Xunit;

namespace Twin.Observability.Tests.Tracing;

public sealed class IncomingTraceContextTests
{
    [Fact]
    public void A_traceparent_gives_the_trace_and_the_callers_span()
    {
        var trace = IncomingTraceContext.Parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null);

        Assert.NotNull(trace);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", trace.TraceId.ToHexString());
        Assert.Equal("00f067aa0ba902b7", trace.CallerSpan?.SpanId.ToHexString());
        Assert.True(trace.CallerSpan?.IsRemote);
    }

    [Fact]
    public void An_explicit_x_trace_id_wins_and_keeps_the_traceparent_span_only_of_the_same_trace()
    {
        var other = IncomingTraceContext.Parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "ffffffffffffffffffffffffffffffff");
        var same = IncomingTraceContext.Parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "4BF92F3577B34DA6A3CE929D0E0E4736");

        Assert.Equal(("ffffffffffffffffffffffffffffffff", null), (other?.TraceId.ToHexString(), other?.CallerSpan));
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", same?.TraceId.ToHexString());
        Assert.Equal("00f067aa0ba902b7", same?.CallerSpan?.SpanId.ToHexString());
    }

    [Theory]
    [InlineData("4BF92F3577B34DA6A3CE929D0E0E4736", "4bf92f3577b34da6a3ce929d0e0e4736")]
    [InlineData("{6f9619ff-8b86-d011-b42d-00cf4fc964ff}", "6f9619ff8b86d011b42d00cf4fc964ff")]
    [InlineData(" 6f9619ff8b86d011b42d00cf4fc964ff ", "6f9619ff8b86d011b42d00cf4fc964ff")]
    public void An_x_trace_id_is_normalised_to_32_lower_hex(string header, string expected)
    {
        Assert.Equal(expected, IncomingTraceContext.Parse(null, header)?.TraceId.ToHexString());
    }

    [Theory]
    [InlineData("garbage", null)]
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01", null)]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", null)]
    [InlineData(null, "xyz")]
    [InlineData(null, "00000000000000000000000000000000")]
    [InlineData(null, "4bf92f3577b34da6a3ce929d0e0e47")]
    public void Malformed_headers_start_a_new_trace(string? traceparent, string? traceId)
    {
        Assert.Null(IncomingTraceContext.Parse(traceparent, traceId));
    }
}
