using System.Text;
using Twin.Observability.Datasets.Export.Formats;

namespace Twin.Observability.Datasets.Export;

/// <summary>A format as <c>GET /api/manage/datasets/export/formats</c> lists it, with a sample of what it writes.</summary>
public sealed record ExportFormatInfo(
    string Name,
    string Description,
    string Extension,
    string ContentType,
    IReadOnlyList<string> Requirements,
    bool NeedsPairs,
    int MinimumExamples,
    string Sample)
{
    private static readonly ExportExample SampleExample = new()
    {
        Id = "sample",
        System = "You are Ada, a digital twin.",
        User = "Which tool do you use for tracing?",
        Assistant = "Langfuse, through OpenTelemetry.",
        Rejected = "No idea.",
        Scores = new Dictionary<string, double>(StringComparer.Ordinal) { ["relevance"] = 0.9 },
        SourceTraceId = "0af7651916cd43dd8448eb211c80319c",
    };

    public static async Task<ExportFormatInfo> OfAsync(IExportFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(format);
        using var buffer = new MemoryStream();
        var writer = format.CreateWriter(buffer);
        await writer.WriteAsync(SampleExample, cancellationToken).ConfigureAwait(false);
        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        var sample = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetString(buffer.ToArray()).TrimStart('\uFEFF').TrimEnd();
        return new ExportFormatInfo(format.Name, format.Description, format.Extension, format.ContentType, format.Requirements, format.NeedsPairs, format.MinimumExamples, sample);
    }
}
