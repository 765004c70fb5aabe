using System.Diagnostics;
using Twin.Observability.Datasets.Export;
using Twin.Observability.Datasets.Export.Formats;
using Xunit;
using Xunit.Abstractions;

namespace Twin.Observability.Tests.Datasets.Export;

/// <summary>
/// A floor far below the target (well over 50,000 examples/s) so that a busy two-core machine does not fail it,
/// while a writer that flushes or allocates per line still would.
/// </summary>
public sealed class ExportThroughputTests(ITestOutputHelper output)
{
    private const int Count = 20_000;

    public static TheoryData<string> Names() => [.. ExportFormats.All.Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_format_writes_well_over_ten_thousand_1_kb_examples_a_second(string name)
    {
        var format = ExportSamples.Format(name);
        var example = new ExportExample
        {
            Id = "perf",
            System = new string('s', 200),
            History = [new(ExportMessage.UserRole, new string('u', 150)), new(ExportMessage.AssistantRole, "Grüße 👋 " + new string('a', 150))],
            User = "Which tool, \"exactly\"?\n" + new string('q', 150),
            Assistant = new string('r', 300),
            Rejected = new string('x', 100),
        };
        using var stream = new MemoryStream();
        var writer = format.CreateWriter(stream);
        await writer.WriteAsync(example, default);

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Count; i++)
        {
            await writer.WriteAsync(example, default);
        }

        await writer.CompleteAsync(default);
        var perSecond = Count / watch.Elapsed.TotalSeconds;
        output.WriteLine($"{name}: {perSecond:N0} examples/s, {stream.Length / (Count + 1):N0} bytes each");
        Assert.True(perSecond > 10_000, $"{perSecond:N0} examples/s");
    }
}
