using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Twin.Testing.Fakes.Langfuse.OpenApi;
using Twin.Testing.Fakes.Langfuse.Otlp;

namespace Twin.Testing.Fakes.Langfuse;

/// <summary>
/// Langfuse on a free loopback port, so end-to-end tests can assert what the app exported and sent: OTLP trace
/// ingestion (only OTLP/HTTP protobuf) and the REST API the app uses (prompts, scores, datasets, dataset items, projects), all
/// with Basic auth of the project's public and secret key. JSON bodies are checked against Langfuse's OpenAPI spec;
/// a request Langfuse would refuse is answered 400 and makes <see cref="DisposeAsync"/> throw unless the test took it
/// (<see cref="TakeSchemaViolations"/>). It is thread-safe: exporters may post concurrently while tests query.
/// <code>await using var langfuse = await FakeLangfuse.StartAsync();</code>
/// </summary>
public sealed partial class FakeLangfuse : IAsyncDisposable
{
    public const string TracesPath = "/api/public/otel/v1/traces";

    // Hang holds a request at most this long, so a forgotten mode cannot keep a test process alive for ever.
    private static readonly TimeSpan HangLimit = TimeSpan.FromMinutes(5);

    private readonly object _gate = new();
    private readonly List<ReceivedSpan> _spans = [];
    private readonly List<ReceivedRequest> _requests = [];
    private WebApplication _app = null!;
    private volatile FakeLangfuseMode _mode;

    private FakeLangfuse(string publicKey, string secretKey)
    {
        PublicKey = publicKey;
        SecretKey = secretKey;
    }

    /// <summary>The Langfuse host, as <c>LANGFUSE_HOST</c> takes it: <c>http://127.0.0.1:PORT</c>, no trailing slash.</summary>
    public string BaseUrl { get; private set; } = "";

    public string PublicKey { get; }

    public string SecretKey { get; }

    /// <summary>The full OTLP/HTTP traces endpoint: <see cref="BaseUrl"/> + <see cref="TracesPath"/>.</summary>
    public string TracesEndpoint => BaseUrl + TracesPath;

    /// <summary>The <c>Authorization</c> header value Langfuse expects: <c>Basic base64(public:secret)</c>.</summary>
    /// <summary>
    /// The app settings that point an app at this fake, as Langfuse's own environment variables name them (and the
    /// test defaults' <c>Langfuse:*Key</c> cleared, since they would win); exports every 100 ms.
    /// </summary>
    public (string Key, string? Value)[] AppSettings() =>
    [
        ("LANGFUSE_PUBLIC_KEY", PublicKey),
        ("LANGFUSE_SECRET_KEY", SecretKey),
        ("Langfuse:PublicKey", null),
        ("Langfuse:SecretKey", null),
        ("LANGFUSE_HOST", BaseUrl),
        ("Langfuse:ExportIntervalMilliseconds", "100"),
    ];

    public string BasicAuthorization => BasicAuthorizationFor(PublicKey, SecretKey);

    /// <summary>How the next requests are answered; may change while exports are in flight.</summary>
    public FakeLangfuseMode Mode
    {
        get => _mode;
        set => _mode = value;
    }

    public static string BasicAuthorizationFor(string publicKey, string secretKey) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{publicKey}:{secretKey}"));

    /// <summary>Starts the fake; tests that look for leaked credentials pass canary keys of their own.</summary>
    public static async Task<FakeLangfuse> StartAsync(string publicKey = "pk-lf-fake", string secretKey = "sk-lf-fake")
    {
        ArgumentException.ThrowIfNullOrEmpty(publicKey);
        ArgumentException.ThrowIfNullOrEmpty(secretKey);
        var fake = new FakeLangfuse(publicKey, secretKey);
        LangfuseOpenApi.Preload();
        // Cast to Delegate: as a RequestDelegate the handler's IResult would be discarded and every answer a bare 200.
        (fake._app, fake.BaseUrl) = await LoopbackWebApp.StartAsync(app =>
        {
            app.MapPost(TracesPath, (Delegate)fake.ExportAsync);
            // Langfuse's public health endpoint (unauthenticated): 200 {status, version}, or 503 when the fake fails.
            app.MapGet("/api/public/health", (Delegate)(() => fake.Mode is FakeLangfuseMode.Normal or FakeLangfuseMode.EchoCredentialsInError or FakeLangfuseMode.FailTraces500 or FakeLangfuseMode.RefuseKeys
                ? Results.Json(new { status = "OK", version = "fake" })
                : Results.StatusCode(StatusCodes.Status503ServiceUnavailable)));
            fake.MapRest(app);
        });
        return fake;
    }

    private async Task<IResult> ExportAsync(HttpContext context)
    {
        var mode = Mode;
        var request = context.Request;
        var authAccepted = mode != FakeLangfuseMode.RefuseKeys && IsAuthorized(request.Headers.Authorization);
        var received = new ReceivedRequest(
            DateTimeOffset.UtcNow,
            mode,
            authAccepted,
            StatusCodes.Status200OK,
            request.ContentType,
            request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding ? encoding : null,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            SpanCount: 0,
            Error: null);

        // An outage comes before anything else: a down or stuck ingestion does not look at credentials or bodies.
        switch (mode)
        {
            case FakeLangfuseMode.Fail500 or FakeLangfuseMode.FailTraces500:
                Record(received with { StatusCode = StatusCodes.Status500InternalServerError, Error = $"mode {mode}" });
                return Results.Json(new { message = $"Internal Server Error (FakeLangfuse mode {mode})" }, statusCode: StatusCodes.Status500InternalServerError);
            case FakeLangfuseMode.Hang:
                Record(received with { Error = "mode Hang" });
                return await HoldAsync(context)
                    ? Results.Bytes(new ExportTraceServiceResponse().ToByteArray(), "application/x-protobuf")
                    : Results.Empty;
        }

        if (!authAccepted)
        {
            Record(received with { StatusCode = StatusCodes.Status401Unauthorized, Error = "missing or wrong Basic credentials" });
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Langfuse\"";
            return Results.Json(new { message = "Invalid credentials. Confirm that you've configured the correct host." }, statusCode: StatusCodes.Status401Unauthorized);
        }

        if (!IsProtobuf(request.ContentType))
        {
            Record(received with { StatusCode = StatusCodes.Status415UnsupportedMediaType, Error = $"content type '{request.ContentType}'" });
            return Results.Json(new { message = "Content-Type must be application/x-protobuf." }, statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        if (received.ContentEncoding is { } unsupported && !unsupported.Equals("gzip", StringComparison.OrdinalIgnoreCase) && !unsupported.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            Record(received with { StatusCode = StatusCodes.Status415UnsupportedMediaType, Error = $"content encoding '{unsupported}'" });
            return Results.Json(new { message = "Content-Encoding must be gzip or absent." }, statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        IReadOnlyList<ReceivedSpan> spans;
        try
        {
            var export = ExportTraceServiceRequest.Parser.ParseFrom(await ReadBodyAsync(request, context.RequestAborted));
            spans = OtlpSpanReader.Read(export);
            if (OtlpSpanReader.RepeatedKeys(export) is { Count: > 0 } repeated)
            {
                RecordViolation(new SchemaViolation(DateTimeOffset.UtcNow, "POST", TracesPath, "(OTLP protobuf)", repeated));
            }
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidDataException)
        {
            Record(received with { StatusCode = StatusCodes.Status400BadRequest, Error = $"undecodable body: {ex.Message}" });
            return Results.Json(new { message = "The body is not an OTLP ExportTraceServiceRequest." }, statusCode: StatusCodes.Status400BadRequest);
        }

        lock (_gate)
        {
            _spans.AddRange(spans);
            _requests.Add(received with { SpanCount = spans.Count });
        }

        return Results.Bytes(new ExportTraceServiceResponse().ToByteArray(), "application/x-protobuf");
    }

    /// <summary>
    /// Mode Hang: holds the request until the client aborts or the fake stops (false: the connection is dropped, answer
    /// nothing), or until <see cref="HangLimit"/> passes (true: answer as if nothing happened).
    /// </summary>
    private async Task<bool> HoldAsync(HttpContext context)
    {
        using var hang = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _app.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(HangLimit, hang.Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up, or the fake is stopping: drop the connection, as a dying server does, rather than
            // answer a 200 that would claim the spans were ingested (or the score stored).
            context.Abort();
            return false;
        }

        return true;
    }

    private bool IsAuthorized(string? authorization)
    {
        if (!AuthenticationHeaderValue.TryParse(authorization, out var header)
            || !header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return false;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter)) == $"{PublicKey}:{SecretKey}";
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsProtobuf(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && string.Equals(media.MediaType, "application/x-protobuf", StringComparison.OrdinalIgnoreCase);

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        if (string.Equals(request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase))
        {
            await using var gzip = new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
            await gzip.CopyToAsync(buffer, cancellationToken);
        }
        else
        {
            await request.Body.CopyToAsync(buffer, cancellationToken);
        }

        return buffer.ToArray();
    }

    private void Record(ReceivedRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
        }
    }

    /// <summary>
    /// Stops the server, then throws <see cref="LangfuseSchemaViolationException"/> if requests broke Langfuse's API and
    /// the test did not take them (<see cref="TakeSchemaViolations"/>), or if spans arrived whose parent never did
    /// (<see cref="OrphanSpans"/>). Thrown from an <c>await using</c> while a test
    /// is already failing, it replaces that failure: likely its cause, and it says what was sent.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        ThrowOnUntakenViolations();
        if (OrphanSpans() is { Count: > 0 } orphans)
        {
            throw new InvalidOperationException(
                $"Langfuse received {orphans.Count} span(s) whose parent it never received: {string.Join("; ", orphans.Take(5))}.");
        }
    }
}
