using Twin.Observability.Tracing;
using Xunit;

namespace Twin.Observability.Tests.Tracing;

public sealed class SpanPayloadTests
{
    [Fact]
    public void A_string_is_kept_as_it_is_and_anything_else_becomes_json_once_when_written()
    {
        var calls = 0;
        string ToJson(object value)
        {
            calls++;
            return $"{{\"n\":{value}}}";
        }

        var text = SpanPayload.Of("plain", ToJson);
        var payload = SpanPayload.Of(42, ToJson);

        Assert.Equal("plain", text);
        Assert.Equal(0, calls);
        Assert.Equal("{\"n\":42}", payload.ToString());
        Assert.Equal("{\"n\":42}", Convert.ToString(payload, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, calls);
    }
}
