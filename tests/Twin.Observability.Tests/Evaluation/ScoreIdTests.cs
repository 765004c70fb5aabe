using Twin.Observability.Evaluation;
using Xunit;

namespace Twin.Observability.Tests.Evaluation;

public sealed class ScoreIdTests
{
    private const string Trace = "0af7651916cd43dd8448eb211c80319c";
    private const string Root = "00f067aa0ba902b7";

    [Fact]
    public void A_score_id_is_the_same_for_the_same_chat_and_name_and_differs_otherwise()
    {
        var id = ScoreRecorder.ScoreIdOf(Trace, Root, "relevance");

        Assert.Equal(id, ScoreRecorder.ScoreIdOf(Trace, Root, "relevance"));
        Assert.NotEqual(id, ScoreRecorder.ScoreIdOf(Trace, Root, "groundedness"));
        Assert.NotEqual(id, ScoreRecorder.ScoreIdOf("1af7651916cd43dd8448eb211c80319c", Root, "relevance"));
        Assert.True(Guid.TryParse(id, out _));
    }

    [Fact]
    public void Two_chats_in_one_callers_trace_get_different_score_ids()
    {
        Assert.NotEqual(ScoreRecorder.ScoreIdOf(Trace, Root, "relevance"), ScoreRecorder.ScoreIdOf(Trace, "10f067aa0ba902b7", "relevance"));
    }
}
