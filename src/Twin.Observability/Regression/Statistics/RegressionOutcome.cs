using System.Text.Json.Serialization;

namespace Twin.Observability.Regression.Statistics;

/// <summary>A metric's or a whole run's regression outcome; serialised as <c>pass</c>, <c>fail</c>, <c>inconclusive</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RegressionOutcome>))]
public enum RegressionOutcome
{
    [JsonStringEnumMemberName("pass")]
    Pass,

    [JsonStringEnumMemberName("fail")]
    Fail,

    [JsonStringEnumMemberName("inconclusive")]
    Inconclusive,
}
