using System.Globalization;
using System.Text.Json;
using CsvHelper;
using Xunit;
using static Twin.Observability.Tests.Datasets.Export.ExportSamples;

namespace Twin.Observability.Tests.Datasets.Export;

public sealed class CsvFormatTests
{
    [Fact]
    public async Task A_row_an_example_after_the_header_with_history_and_scores_as_json()
    {
        var file = await WriteAsync("csv");

        using var csv = CsvReader.Create(file);
        Assert.Equal(
            ["id", "system", "user", "assistant", "history", "scores", "source_trace_id", "source_observation_id", "twin_id", "prompt_name", "prompt_version", "model"],
            csv.Headers);
        foreach (var example in All)
        {
            Assert.True(csv.Read());
            Assert.Equal(example.Id, csv.GetString("id"));
            Assert.Equal(example.System ?? "", csv.GetString("system"));
            Assert.Equal(example.User, csv.GetString("user"));
            Assert.Equal(example.Assistant, csv.GetString("assistant"));
            using var history = JsonDocument.Parse(csv.GetString("history"));
            Assert.Equal(example.History.Select(m => (m.Role, m.Content)), RolesAndContents(history.RootElement));
            using var scores = JsonDocument.Parse(csv.GetString("scores"));
            Assert.Equal(example.Scores.OrderBy(s => s.Key), scores.RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetDouble())).OrderBy(s => s.Key));
            Assert.Equal(example.SourceTraceId ?? "", csv.GetString("source_trace_id"));
            Assert.Equal(example.SourceObservationId ?? "", csv.GetString("source_observation_id"));
            Assert.Equal(example.TwinId ?? "", csv.GetString("twin_id"));
            Assert.Equal(example.PromptName ?? "", csv.GetString("prompt_name"));
            Assert.Equal(example.PromptVersion?.ToString(CultureInfo.InvariantCulture) ?? "", csv.GetString("prompt_version"));
            Assert.Equal(example.Model ?? "", csv.GetString("model"));
        }

        Assert.False(csv.Read());
    }

    [Fact]
    public async Task Empty_history_and_scores_are_an_empty_json_array_and_object()
    {
        var file = await WriteAsync(Format("csv"), [Plain]);

        using var csv = CsvReader.Create(file);
        Assert.True(csv.Read());
        Assert.Equal("[]", csv.GetString("history"));
        Assert.Equal("{}", csv.GetString("scores"));
    }
}
