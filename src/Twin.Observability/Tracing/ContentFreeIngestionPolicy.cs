using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Twin.Observability.Tracing;

/// <summary>
/// Takes the <see cref="ContentAttributes"/> out of what the Azure Monitor exporter sends to Application Insights
/// ingestion (<c>POST …/v2.1/track</c>: newline-delimited JSON envelopes, gzip or plain), leaving the rest as it is.
/// The filter sits in the exporter's own HTTP pipeline, not on the spans: the Langfuse and Azure Monitor exporters
/// export the same <see cref="System.Diagnostics.Activity"/> objects on two background threads, so removing
/// attributes from a span for one would race the other and could take them from Langfuse too. Telemetry the exporter
/// keeps on disk to retry passes through the pipeline again when it is sent.
/// </summary>
internal sealed class ContentFreeIngestionPolicy : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Filter(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Filter(message);
        return ProcessNextAsync(message, pipeline);
    }

    private static void Filter(HttpMessage message)
    {
        var request = message.Request;
        if (request.Content is not { } content || !request.Uri.Path.EndsWith("/track", StringComparison.Ordinal))
        {
            return;
        }

        var gzip = request.Headers.TryGetValue("Content-Encoding", out var encoding) && encoding.Contains("gzip", StringComparison.OrdinalIgnoreCase);
        using var sent = new MemoryStream();
        content.WriteTo(sent, message.CancellationToken);
        sent.Position = 0;
        if (Envelopes.WithoutContent(Read(sent, gzip)) is { } filtered)
        {
            request.Content = RequestContent.Create(Write(filtered, gzip));
        }
    }

    private static string Read(Stream body, bool gzip)
    {
        using var decoded = gzip ? new GZipStream(body, CompressionMode.Decompress, leaveOpen: true) : body;
        using var reader = new StreamReader(decoded, Encoding.UTF8, leaveOpen: true);
        return reader.ReadToEnd();
    }

    private static byte[] Write(string text, bool gzip)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (!gzip)
        {
            return bytes;
        }

        using var compressed = new MemoryStream();
        using (var zip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            zip.Write(bytes);
        }

        return compressed.ToArray();
    }

    /// <summary>The envelope lines of one ingestion request.</summary>
    internal static class Envelopes
    {
        /// <summary>The lines with their content properties removed, or null when none had any (send them as they are).</summary>
        public static string? WithoutContent(string lines)
        {
            var changed = false;
            var output = new StringBuilder(lines.Length);
            foreach (var line in lines.Split('\n'))
            {
                if (output.Length > 0)
                {
                    output.Append('\n');
                }

                output.Append(Strip(line, ref changed));
            }

            return changed ? output.ToString() : null;
        }

        private static string Strip(string line, ref bool changed)
        {
            if (string.IsNullOrWhiteSpace(line)
                || JsonNode.Parse(line) is not JsonObject envelope
                || envelope["data"]?["baseData"]?["properties"] is not JsonObject properties)
            {
                return line;
            }

            var content = properties.Select(p => p.Key).Where(ContentAttributes.IsContent).ToList();
            if (content.Count == 0)
            {
                return line;
            }

            foreach (var name in content)
            {
                properties.Remove(name);
            }

            changed = true;
            return envelope.ToJsonString();
        }
    }
}
