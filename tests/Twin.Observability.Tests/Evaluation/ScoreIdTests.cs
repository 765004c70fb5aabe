using Twin.Observability.Evaluation;
using Xunit;

namespace Twin.Observability.Tests.Evaluation;

public sealed class ScoreIdTests
{
    [Fact]
    public void A_score_id_is_the_same_for_the_same_trace_and_name_and_differs_otherwise()
    {
        var id = ScoreRecorder.ScoreIdOf("0af7651916cd43dd8448eb211c80319c", "relevance");

        Assert.Equal(id, ScoreRecorder.ScoreIdOf("0af7651916cd43dd8448eb211c80319c", "relevance"));
        Assert.NotEqual(id, ScoreRecorder.ScoreIdOf("0af7651916cd43dd8448eb211c80319c", "groundedness"));
        Assert.NotEqual(id, ScoreRecorder.ScoreIdOf("1af7651916cd43dd8448eb211c80319c", "relevance"));
        Assert.True(Guid.TryParse(id, out _));
    }
}
