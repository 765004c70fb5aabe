using Twin.Observability.Compare;
using Xunit;

namespace Twin.Observability.Tests.Compare;

public sealed class NodeTimingMatcherTests
{
    [Fact]
    public void Nodes_match_by_name_with_b_minus_a_and_nodes_of_one_side_have_null_on_the_other()
    {
        var nodes = NodeTimingMatcher.Match(
            """{"load-history":3,"retrieve-knowledge":10,"select-few-shot":4,"generate":800}""",
            """{"load-history":5,"generate":650,"retrieve-knowledge":12,"post-process":2}""");

        Assert.Equal(
            [
                new NodeTimingDelta("load-history", 3, 5, 2),
                new NodeTimingDelta("retrieve-knowledge", 10, 12, 2),
                new NodeTimingDelta("select-few-shot", 4, null, null),
                new NodeTimingDelta("generate", 800, 650, -150),
                new NodeTimingDelta("post-process", null, 2, null),
            ],
            nodes);
    }

    [Fact]
    public void A_node_that_ran_twice_counts_once_with_its_total_time()
    {
        Assert.Equal([("generate", 30L), ("post-process", 1L)], NodeTimingMatcher.Parse("""{"generate":10,"post-process":1,"generate":20}"""));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public void Missing_or_unreadable_timings_have_no_nodes(string? json)
    {
        Assert.Empty(NodeTimingMatcher.Parse(json));
        Assert.Equal([new NodeTimingDelta("generate", null, 7, null)], NodeTimingMatcher.Match(json, """{"generate":7}"""));
    }
}
