using Microsoft.AspNetCore.Http;
using Twin.Functions.Http;
using Twin.Observability.Common;
using Xunit;

namespace Twin.Functions.Tests.Http;

public sealed class IfMatchHeaderTests
{
    private const string Stored = "W/\"datetime'2026-11-25T12%3A00%3A00.1234567Z'\"";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void No_header_is_no_precondition(string? header)
    {
        var condition = header is null ? Parse() : Parse(header);

        Assert.False(condition.IsPresent);
        Assert.True(condition.Matches(Stored));
    }

    [Theory]
    [InlineData("*")]
    [InlineData(Stored)]
    [InlineData("\"datetime'2026-11-25T12%3A00%3A00.1234567Z'\"")]
    [InlineData("\"other\", " + Stored)]
    [InlineData(" " + Stored + " ")]
    public void The_stored_version_or_a_star_matches(string header)
    {
        var condition = Parse(header);

        Assert.True(condition.IsPresent);
        Assert.True(condition.Matches(Stored));
    }

    [Fact]
    public void Every_line_of_the_header_counts() =>
        Assert.True(Parse("\"other\"", Stored).Matches(Stored));

    [Theory]
    [InlineData("garbage")]
    [InlineData("\"garbage\"")]
    [InlineData("W/\"garbage\"")]
    [InlineData("\"a\", \"b\"")]
    [InlineData("W/\"datetime'2026-11-25T12%3A00%3A00.1234567Z'")]
    [InlineData("*, " + Stored)]
    [InlineData(Stored + ", garbage")]
    [InlineData(",")]
    public void Anything_else_never_matches(string header)
    {
        var condition = Parse(header);

        Assert.True(condition.IsPresent);
        Assert.False(condition.Matches(Stored));
    }

    private static IfMatchCondition Parse(params string[] lines)
    {
        var context = new DefaultHttpContext();
        if (lines.Length > 0)
        {
            context.Request.Headers.IfMatch = lines;
        }

        return RequestHeaders.IfMatch(context.Request);
    }
}
