using Twin.Observability.Common;
using Xunit;

namespace Twin.Observability.Tests.Common;

public sealed class IfMatchConditionTests
{
    private const string Stored = "W/\"datetime'2026-11-25T12%3A00%3A00.1234567Z'\"";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void No_header_is_no_precondition(string? header)
    {
        var condition = IfMatchCondition.Parse(header);

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
        var condition = IfMatchCondition.Parse(header);

        Assert.True(condition.IsPresent);
        Assert.True(condition.Matches(Stored));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("\"garbage\"")]
    [InlineData("W/\"garbage\"")]
    [InlineData("\"a\", \"b\"")]
    [InlineData("W/\"datetime'2026-11-25T12%3A00%3A00.1234567Z'")]
    [InlineData("*, " + Stored)]
    [InlineData(",")]
    public void Anything_else_never_matches(string header)
    {
        var condition = IfMatchCondition.Parse(header);

        Assert.True(condition.IsPresent);
        Assert.False(condition.Matches(Stored));
    }
}
