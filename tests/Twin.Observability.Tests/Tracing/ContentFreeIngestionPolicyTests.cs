using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Twin.Observability.Tracing;
using Xunit;

namespace Twin.Observability.Tests.Tracing;

/// <summary>
/// The filter in the Azure Monitor exporter's pipeline, on the bodies the exporter sends (the end-to-end proof with the
/// real exporter is AzureMonitorCorrelationTests): content properties go, everything else stays, gzip stays gzip.
/// </summary>
public sealed class ContentFreeIngestionPolicyTests
{
    private const string Said = "my parrot is called Quillon";

    private static readonly string Envelopes = string.Join('\n',
        new JsonObject
        {
            ["name"] = "Request",
            ["tags"] = new JsonObject { ["ai.operation.id"] = "3cf92f3577b34da6a3ce929d0e0e4736" },
            ["data"] = new JsonObject
            {
                ["baseType"] = "RequestData",
                ["baseData"] = new JsonObject
                {
                    ["name"] = "chat",
                    ["properties"] = new JsonObject
                    {
                        ["langfuse.observation.input"] = $"{{\"message\":\"{Said}\"}}",
                        ["langfuse.observation.output"] = Said,
                        ["gen_ai.prompt.0.content"] = Said,
                        ["gen_ai.input.messages"] = Said,
                        ["langfuse.observation.type"] = "agent",
                        ["gen_ai.request.model"] = "gpt-test",
                    },
                },
            },
        }.ToJsonString(),
        """{"name":"Metric","data":{"baseType":"MetricData","baseData":{"metrics":[{"name":"twin.spans.exported","value":3}]}}}""");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Track_requests_lose_their_content_properties_and_keep_the_rest(bool gzip)
    {
        var sent = await SendAsync("https://ingest.example/v2.1/track", Envelopes, gzip);

        Assert.DoesNotContain(Said, sent, StringComparison.Ordinal);
        var lines = sent.Split('\n');
        Assert.Equal(2, lines.Length);
        var properties = JsonNode.Parse(lines[0])!["data"]!["baseData"]!["properties"]!.AsObject();
        Assert.Equal(["langfuse.observation.type", "gen_ai.request.model"], properties.Select(p => p.Key));
        Assert.Equal("chat", JsonNode.Parse(lines[0])!["data"]!["baseData"]!["name"]!.GetValue<string>());
        Assert.Equal(Envelopes.Split('\n')[1], lines[1]);
    }

    [Fact]
    public async Task Other_requests_are_sent_as_they_are()
    {
        Assert.Equal(Envelopes, await SendAsync("https://live.example/QuickPulseService.svc/post", Envelopes, gzip: false));
    }

    // The body as it left the policy, decoded.
    private static async Task<string> SendAsync(string uri, string body, bool gzip)
    {
        var request = HttpClientTransport.Shared.CreateRequest();
        request.Method = RequestMethod.Post;
        request.Uri.Reset(new Uri(uri));
        var bytes = Encoding.UTF8.GetBytes(body);
        if (gzip)
        {
            request.Headers.Add("Content-Encoding", "gzip");
            bytes = Compress(bytes);
        }

        request.Content = RequestContent.Create(bytes);
        var capture = new CapturePolicy();
        using var message = new HttpMessage(request, new ResponseClassifier());
        HttpPipelinePolicy[] pipeline = [new ContentFreeIngestionPolicy(), capture];

        await pipeline[0].ProcessAsync(message, pipeline.AsMemory(1));

        using var received = new MemoryStream(capture.Body!);
        using var decoded = gzip ? new GZipStream(received, CompressionMode.Decompress) : (Stream)received;
        using var reader = new StreamReader(decoded);
        return await reader.ReadToEndAsync();
    }

    private static byte[] Compress(byte[] bytes)
    {
        using var compressed = new MemoryStream();
        using (var zip = new GZipStream(compressed, CompressionLevel.Fastest))
        {
            zip.Write(bytes);
        }

        return compressed.ToArray();
    }

    // The end of the pipeline: keeps what would have been sent, sends nothing.
    private sealed class CapturePolicy : HttpPipelinePolicy
    {
        public byte[]? Body { get; private set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => Capture(message);

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Capture(message);
            return ValueTask.CompletedTask;
        }

        private void Capture(HttpMessage message)
        {
            using var body = new MemoryStream();
            message.Request.Content!.WriteTo(body, CancellationToken.None);
            Body = body.ToArray();
        }
    }
}
