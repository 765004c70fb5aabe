using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Twin.Testing.Fakes.Langfuse;
using Xunit;

namespace Twin.Observability.Tests.Fakes;

/// <summary>The fake Langfuse decodes what the real OpenTelemetry .NET OTLP exporter sends, with Langfuse's checks.</summary>
public sealed class FakeLangfuseExportTests
{
    [Fact]
    public async Task Spans_exported_by_the_OpenTelemetry_SDK_arrive_with_ids_parents_typed_attributes_and_status()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var exporter = new ExportingTracer(langfuse.TracesEndpoint, $"Authorization={langfuse.BasicAuthorization},x-langfuse-ingestion-version=4");

        string traceId, parentId, childId;
        using (var parent = exporter.Source.StartActivity("chat", ActivityKind.Server)!)
        {
            parent.SetTag("twin.id", "demo");
            parent.SetTag("twin.shared", true);
            parent.SetTag("twin.turn", 3);
            parent.SetTag("twin.score", 0.75);
            parent.SetTag("twin.tags", new[] { "persona", "faq" });
            using (var llm = exporter.Source.StartActivity("llm", ActivityKind.Client)!)
            {
                llm.SetTag("gen_ai.request.model", "gpt-fake");
                llm.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection { ["attempt"] = 2 }));
                llm.SetStatus(ActivityStatusCode.Error, "model unavailable");
                childId = llm.SpanId.ToHexString();
            }

            traceId = parent.TraceId.ToHexString();
            parentId = parent.SpanId.ToHexString();
        }

        Assert.True(exporter.Provider.ForceFlush(5000));

        var spans = await langfuse.WaitForTraceAsync(traceId, 2, TimeSpan.FromSeconds(5));
        Assert.Equal(2, spans.Count);
        var root = langfuse.RootOf(traceId);
        Assert.Equal(parentId, root.SpanId);
        Assert.Null(root.ParentSpanId);
        Assert.Equal("chat", root.Name);
        Assert.Equal("Server", root.Kind);
        Assert.Equal("Unset", root.StatusCode);
        Assert.Equal(exporter.Source.Name, root.ScopeName);
        Assert.Equal("twin-fakes-test", root.ResourceAttributes["service.name"]);
        Assert.True(root.EndTime >= root.StartTime);
        Assert.InRange(root.StartTime, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);

        // Attribute types survive the wire: string, bool, int64 (from int), double, and arrays as lists.
        Assert.Equal("demo", Assert.IsType<string>(root.Attributes["twin.id"]));
        Assert.True(Assert.IsType<bool>(root.Attributes["twin.shared"]));
        Assert.Equal(3L, Assert.IsType<long>(root.Attributes["twin.turn"]));
        Assert.Equal(0.75, Assert.IsType<double>(root.Attributes["twin.score"]));
        Assert.Equal(new object?[] { "persona", "faq" }, Assert.IsAssignableFrom<IReadOnlyList<object?>>(root.Attributes["twin.tags"]));

        var child = Assert.Single(langfuse.ChildrenOf(root));
        Assert.Equal(childId, child.SpanId);
        Assert.Equal(parentId, child.ParentSpanId);
        Assert.Equal(traceId, child.TraceId);
        Assert.Equal("Client", child.Kind);
        Assert.Equal("Error", child.StatusCode);
        Assert.Equal("model unavailable", child.StatusMessage);
        Assert.Equal("gpt-fake", child.Attribute("gen_ai.request.model"));
        var retry = Assert.Single(child.Events);
        Assert.Equal("retry", retry.Name);
        Assert.Equal(2L, retry.Attributes["attempt"]);

        // The simple processor exports each span as it ends: one request per span, child first.
        Assert.Equal(2, langfuse.Requests.Count);
        Assert.All(langfuse.Requests, request =>
        {
            Assert.True(request.AuthAccepted);
            Assert.Equal(200, request.StatusCode);
            Assert.Equal("4", request.IngestionVersion);
            Assert.Equal("application/x-protobuf", request.ContentType);
            Assert.Equal(1, request.SpanCount);
        });
        Assert.Equal(0, langfuse.RejectedRequests);
    }

    [Fact]
    public async Task Wrong_credentials_are_answered_401_recorded_as_rejected_and_nothing_is_stored()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        var wrong = FakeLangfuse.BasicAuthorizationFor(langfuse.PublicKey, "sk-lf-wrong");
        using var exporter = new ExportingTracer(langfuse.TracesEndpoint, $"Authorization={wrong}");

        using (exporter.Source.StartActivity("chat"))
        {
        }

        // The exporter logs the failed export and drops the batch; it never throws into the app. (With the simple
        // processor the export already happened when the span ended, so ForceFlush has nothing left to report.)
        exporter.Provider.ForceFlush(5000);

        Assert.Empty(langfuse.Spans);
        var request = Assert.Single(langfuse.Requests);
        Assert.False(request.AuthAccepted);
        Assert.Equal(401, request.StatusCode);
        Assert.Equal(1, langfuse.RejectedRequests);
    }

    [Fact]
    public async Task The_exporter_percent_decodes_header_values_so_Basic_with_percent_20_is_accepted()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var exporter = new ExportingTracer(langfuse.TracesEndpoint, "Authorization=" + langfuse.BasicAuthorization.Replace(" ", "%20", StringComparison.Ordinal));

        using (exporter.Source.StartActivity("chat"))
        {
        }

        Assert.True(exporter.Provider.ForceFlush(5000));
        Assert.Single(langfuse.Spans);
        Assert.Equal(langfuse.BasicAuthorization, Assert.Single(langfuse.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task In_an_outage_the_batch_exporter_sends_once_drops_the_spans_and_ForceFlush_still_says_true()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.Mode = FakeLangfuseMode.Fail500;
        using var exporter = new ExportingTracer(langfuse.TracesEndpoint, $"Authorization={langfuse.BasicAuthorization}", ExportProcessorType.Batch);

        using (exporter.Source.StartActivity("chat"))
        {
        }

        // ForceFlush reports that the batch was handed to the exporter, not that Langfuse took it. It returns once the
        // exporter's Export returned, retries included (the exporter retries inside Export), so every request the
        // export made is recorded by now: 500 is not retryable in OTLP (only 429, 502, 503, 504 are).
        Assert.True(exporter.Provider.ForceFlush(60_000));
        Assert.Equal(500, Assert.Single(langfuse.Requests).StatusCode);
        Assert.Empty(langfuse.Spans);
    }

    [Fact]
    public async Task Against_a_hanging_Langfuse_an_export_costs_the_exporter_timeout_and_is_abandoned()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.Mode = FakeLangfuseMode.Hang;
        using var exporter = new ExportingTracer(langfuse.TracesEndpoint, $"Authorization={langfuse.BasicAuthorization}", ExportProcessorType.Batch, timeoutMilliseconds: 300);

        using (exporter.Source.StartActivity("chat"))
        {
        }

        var flushing = Stopwatch.StartNew();
        Assert.True(exporter.Provider.ForceFlush(60_000));

        // Not sooner than the exporter's timeout; the upper bound only tells "abandoned" from "waited for Langfuse",
        // which hangs for minutes, so a loaded machine's seconds cannot fail it.
        Assert.InRange(flushing.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(60));
        Assert.Equal(FakeLangfuseMode.Hang, Assert.Single(langfuse.Requests).Mode);
        Assert.Empty(langfuse.Spans);
    }

    /// <summary>A tracer provider with its own activity source exporting over OTLP/HTTP protobuf (by default each span at once).</summary>
    private sealed class ExportingTracer : IDisposable
    {
        public ExportingTracer(string endpoint, string headers, ExportProcessorType processor = ExportProcessorType.Simple, int timeoutMilliseconds = 5000)
        {
            Source = new ActivitySource("Twin.Tests.Fakes." + Guid.NewGuid().ToString("N"));
            Provider = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("twin-fakes-test"))
                .AddSource(Source.Name)
                .AddOtlpExporter(o =>
                {
                    o.Protocol = OtlpExportProtocol.HttpProtobuf;
                    o.Endpoint = new Uri(endpoint);
                    o.Headers = headers;
                    o.ExportProcessorType = processor;
                    o.TimeoutMilliseconds = timeoutMilliseconds;
                })
                .Build();
        }

        public ActivitySource Source { get; }

        public TracerProvider Provider { get; }

        public void Dispose()
        {
            Provider.Dispose();
            Source.Dispose();
        }
    }
}
