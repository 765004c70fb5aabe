using System.Text;
using System.Text.Json;
using Xunit;
using static Twin.Observability.Tests.Datasets.Export.ExportSamples;

namespace Twin.Observability.Tests.Datasets.Export;

public sealed class AlpacaFormatTests
{
    [Fact]
    public async Task The_file_is_one_array_of_instructions_with_history_as_pairs()
    {
        var file = await WriteAsync("alpaca-json");

        using var document = JsonDocument.Parse(file);
        var items = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(All.Count, items.Count);
        for (var i = 0; i < All.Count; i++)
        {
            var (item, example) = (items[i], All[i]);
            Assert.Equal(example.User, item.GetProperty("instruction").GetString());
            Assert.Equal("", item.GetProperty("input").GetString());
            Assert.Equal(example.Assistant, item.GetProperty("output").GetString());
            Assert.Equal(example.System, item.TryGetProperty("system", out var system) ? system.GetString() : null);
            var history = item.GetProperty("history").EnumerateArray().Select(pair => pair.EnumerateArray().Select(t => t.GetString()!).ToArray());
            var expected = example.History.Chunk(2).Select(pair => new[] { pair[0].Content, pair[1].Content });
            Assert.Equal(expected, history);
        }

        Assert.Equal(All.Count - 1, Encoding.UTF8.GetString(file).Split("},\n{").Length - 1);
    }

    [Fact]
    public async Task An_example_without_history_has_an_empty_history_and_no_system_key()
    {
        var file = await WriteAsync(Format("alpaca-json"), [Plain]);

        using var document = JsonDocument.Parse(file);
        var item = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal(["instruction", "input", "output", "history"], PropertyNames(item));
        Assert.Equal(0, item.GetProperty("history").GetArrayLength());
    }
}
