using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Twin.Testing;
using Twin.Testing.Fakes.Langfuse;
using Twin.Testing.Fakes.Langfuse.Otlp;
using Xunit;

namespace Twin.Observability.Tests.Fakes;

/// <summary>The fake Langfuse's answers on the wire: what a client sees for each check and mode.</summary>
public sealed class FakeLangfuseProtocolTests
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";
    private const string RootId = "b7ad6b7169203331";
    private const string ChildId = "00f067aa0ba902b7";
    private const string RemoteParentId = "1111111111111111";

    [Fact]
    public async Task A_span_whose_parent_never_arrived_is_no_root_and_fails_the_test_at_dispose()
    {
        var langfuse = await FakeLangfuse.StartAsync();
        using var http = Client(langfuse);

        using (var response = await http.PostAsync(langfuse.TracesEndpoint, Protobuf(Export(rootParentId: RemoteParentId))))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var notRoot = Assert.Throws<InvalidOperationException>(() => langfuse.RootOf(TraceId));
        Assert.Contains("parent Langfuse never received: chat", notRoot.Message, StringComparison.Ordinal);
        Assert.Equal("chat", Assert.Single(langfuse.OrphanSpans()).Name);
        var atDispose = await Assert.ThrowsAsync<InvalidOperationException>(async () => await langfuse.DisposeAsync());
        Assert.Contains(RemoteParentId, atDispose.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_without_credentials_gets_a_real_401_challenge()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var http = new HttpClient();

        using var response = await http.PostAsync(langfuse.TracesEndpoint, Protobuf(Export()));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Empty(langfuse.Spans);
        Assert.Equal(1, langfuse.RejectedRequests);
    }

    [Fact]
    public async Task Json_bodies_are_refused_with_415()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var http = Client(langfuse);

        using var response = await http.PostAsync(langfuse.TracesEndpoint, new StringContent("{\"resourceSpans\":[]}", new MediaTypeHeaderValue("application/json")));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(langfuse.Spans);
        Assert.Equal(415, Assert.Single(langfuse.Requests).StatusCode);
    }

    [Fact]
    public async Task A_body_that_is_not_OTLP_is_refused_with_400()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var http = Client(langfuse);

        using var response = await http.PostAsync(langfuse.TracesEndpoint, Protobuf([0x0a, 0xff, 0xff, 0xff]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("undecodable", Assert.Single(langfuse.Requests).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gzip_export_is_decoded_with_every_value_type_and_answered_with_an_empty_protobuf_response()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var http = Client(langfuse);
        var content = Protobuf(Gzip(Export().ToByteArray()));
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await http.PostAsync(langfuse.TracesEndpoint, content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new ExportTraceServiceResponse(), ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal("gzip", Assert.Single(langfuse.Requests).ContentEncoding);

        var root = langfuse.RootOf(TraceId);
        Assert.Equal(RootId, root.SpanId);
        Assert.Null(root.ParentSpanId);
        Assert.Equal("Ok", root.StatusCode);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), root.StartTime);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 6, TimeSpan.Zero), root.EndTime);
        Assert.Equal("twin-api", root.ResourceAttributes["service.name"]);
        Assert.Equal("Twin.Chat", root.ScopeName);
        Assert.Equal("1.0.0", root.ScopeVersion);
        var nested = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(root.Attributes["nested"]);
        Assert.Equal(1L, nested["a"]);
        Assert.Equal(new byte[] { 1, 2 }, root.Attributes["bytes"]);
        Assert.Null(root.Attributes["empty"]);
        Assert.Equal(new object?[] { 1L, true, "x" }, Assert.IsAssignableFrom<IReadOnlyList<object?>>(root.Attributes["mixed"]));

        var child = Assert.Single(langfuse.ChildrenOf(root));
        Assert.Equal(ChildId, child.SpanId);
        Assert.Equal("Consumer", child.Kind);
        var link = Assert.Single(child.Links);
        Assert.Equal(("ffffffffffffffffffffffffffffffff", "2222222222222222"), (link.TraceId, link.SpanId));
    }

    [Fact]
    public async Task Fail500_answers_500_and_stores_nothing_until_the_mode_is_back_to_normal()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var http = Client(langfuse);

        langfuse.Mode = FakeLangfuseMode.Fail500;
        using (var failed = await http.PostAsync(langfuse.TracesEndpoint, Protobuf(Export())))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        Assert.Empty(langfuse.Spans);
        langfuse.Mode = FakeLangfuseMode.Normal;
        using (var ok = await http.PostAsync(langfuse.TracesEndpoint, Protobuf(Export())))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        Assert.Equal(2, langfuse.Spans.Count);
        Assert.Equal([500, 200], langfuse.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Hang_holds_the_request_until_the_client_gives_up_and_still_counts_it()
    {
        var langfuse = await FakeLangfuse.StartAsync();
        langfuse.Mode = FakeLangfuseMode.Hang;
        using var http = Client(langfuse);
        using var giveUp = new CancellationTokenSource();

        // The client gives up once the fake holds the request (a fixed delay could end before it even arrived).
        var posting = http.PostAsync(langfuse.TracesEndpoint, Protobuf(Export()), giveUp.Token);
        await Eventually.TrueAsync(() => langfuse.Requests.Count == 1, TimeSpan.FromSeconds(10), "the request held");
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => posting);

        Assert.Equal(FakeLangfuseMode.Hang, Assert.Single(langfuse.Requests).Mode);
        Assert.Empty(langfuse.Spans);

        // A fake stopped while holding a request stops at once rather than after the shutdown timeout.
        using var held = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var pending = http.PostAsync(langfuse.TracesEndpoint, Protobuf(Export()), held.Token);
        await Twin.Testing.Eventually.TrueAsync(() => langfuse.Requests.Count == 2, TimeSpan.FromSeconds(5));
        var stopping = DateTime.UtcNow;
        await langfuse.DisposeAsync();
        Assert.True(DateTime.UtcNow - stopping < TimeSpan.FromSeconds(3));
        await Assert.ThrowsAnyAsync<Exception>(() => pending);
    }

    [Fact]
    public async Task Concurrent_exports_are_all_stored()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var http = Client(langfuse);

        var posts = Enumerable.Range(0, 20).Select(async i =>
        {
            using var response = await http.PostAsync(langfuse.TracesEndpoint, Protobuf(Export(traceId: $"{i:x32}")));
            response.EnsureSuccessStatusCode();
        });
        await Task.WhenAll(posts);

        Assert.Equal(40, langfuse.Spans.Count);
        Assert.Equal(20, langfuse.Requests.Count);
        Assert.All(Enumerable.Range(0, 20), i => Assert.Equal(2, langfuse.SpansOf($"{i:x32}").Count));
    }

    [Fact]
    public async Task Waiting_for_a_trace_that_never_completes_times_out_describing_what_arrived()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var http = Client(langfuse);
        using (var response = await http.PostAsync(langfuse.TracesEndpoint, Protobuf(Export())))
        {
            response.EnsureSuccessStatusCode();
        }

        var error = await Assert.ThrowsAsync<TimeoutException>(() => langfuse.WaitForTraceAsync(TraceId, 3, TimeSpan.FromMilliseconds(200)));

        Assert.Contains("Spans of the trace (2)", error.Message, StringComparison.Ordinal);
        Assert.Contains("chat", error.Message, StringComparison.Ordinal);
        Assert.Contains("-> 200", error.Message, StringComparison.Ordinal);
    }

    private static HttpClient Client(FakeLangfuse langfuse)
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(langfuse.BasicAuthorization);
        return http;
    }

    private static ByteArrayContent Protobuf(IMessage message) => Protobuf(message.ToByteArray());

    private static ByteArrayContent Protobuf(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return content;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return buffer.ToArray();
    }

    private static ExportTraceServiceRequest Export(string traceId = TraceId, string? rootParentId = null)
    {
        var start = (ulong)new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;
        var root = new Span
        {
            TraceId = Id(traceId),
            SpanId = Id(RootId),
            ParentSpanId = rootParentId is null ? ByteString.Empty : Id(rootParentId),
            Name = "chat",
            Kind = Span.Types.SpanKind.Server,
            StartTimeUnixNano = start,
            EndTimeUnixNano = start + 1_000_000_000,
            Status = new Status { Code = Status.Types.StatusCode.Ok },
            Attributes =
            {
                new KeyValue { Key = "nested", Value = new AnyValue { KvlistValue = new KeyValueList { Values = { new KeyValue { Key = "a", Value = new AnyValue { IntValue = 1 } } } } } },
                new KeyValue { Key = "bytes", Value = new AnyValue { BytesValue = ByteString.CopyFrom(1, 2) } },
                new KeyValue { Key = "empty", Value = new AnyValue() },
                new KeyValue
                {
                    Key = "mixed",
                    Value = new AnyValue { ArrayValue = new ArrayValue { Values = { new AnyValue { IntValue = 1 }, new AnyValue { BoolValue = true }, new AnyValue { StringValue = "x" } } } },
                },
            },
        };
        var child = new Span
        {
            TraceId = Id(traceId),
            SpanId = Id(ChildId),
            ParentSpanId = Id(RootId),
            Name = "queue",
            Kind = Span.Types.SpanKind.Consumer,
            StartTimeUnixNano = start + 1,
            EndTimeUnixNano = start + 2,
            Links = { new Span.Types.Link { TraceId = Id(new string('f', 32)), SpanId = Id("2222222222222222") } },
        };
        return new ExportTraceServiceRequest
        {
            ResourceSpans =
            {
                new ResourceSpans
                {
                    Resource = new Resource { Attributes = { new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "twin-api" } } } },
                    ScopeSpans = { new ScopeSpans { Scope = new InstrumentationScope { Name = "Twin.Chat", Version = "1.0.0" }, Spans = { root, child } } },
                },
            },
        };
    }

    private static ByteString Id(string hex) => ByteString.CopyFrom(Convert.FromHexString(hex));
}
