using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Twin.Testing.Fakes.Langfuse.OpenApi;

namespace Twin.Testing.Fakes.Langfuse;

// Langfuse's REST API: one pipeline for every route (failure mode, Basic auth, then for a body: JSON, checked against
// the operation's schema in the vendored OpenAPI spec) before an area's handler answers; every answer is recorded.
public sealed partial class FakeLangfuse
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly List<ReceivedRestRequest> _restRequests = [];

    /// <summary>Every request to a REST route, including rejected ones and those answered in failure modes.</summary>
    public IReadOnlyList<ReceivedRestRequest> RestRequests
    {
        get
        {
            lock (_gate)
            {
                return [.. _restRequests];
            }
        }
    }

    /// <summary>The status of REST answers in mode <see cref="FakeLangfuseMode.EchoCredentialsInError"/>: 500 unless set.</summary>
    public int EchoStatusCode { get; set; } = StatusCodes.Status500InternalServerError;

    private void MapRest(WebApplication app)
    {
        MapPrompts(app);
        MapScores(app);
        MapScoreConfigs(app);
        MapDatasets(app);
        MapDatasetItems(app);
        MapDatasetRunItems(app);
        MapProjects(app);
    }

    /// <summary>
    /// Serves one REST request of the spec's operation <paramref name="operationPath"/> (its path template) with the
    /// request's method. <paramref name="handle"/> gets the validated JSON body of a POST (null for a GET).
    /// </summary>
    private async Task<IResult> ServeAsync(HttpContext context, string operationPath, Func<HttpContext, JsonElement?, RestAnswer> handle)
    {
        var mode = Mode;
        var request = context.Request;
        var received = new ReceivedRestRequest(
            DateTimeOffset.UtcNow,
            mode,
            request.Method,
            request.Path.Value ?? "",
            request.QueryString.Value ?? "",
            mode != FakeLangfuseMode.RefuseKeys && IsAuthorized(request.Headers.Authorization),
            StatusCodes.Status200OK,
            Error: null);

        switch (mode)
        {
            case FakeLangfuseMode.Fail500:
                RecordRest(received with { StatusCode = StatusCodes.Status500InternalServerError, Error = "mode Fail500" });
                return Results.Json(new { message = "Internal Server Error", error = "FakeLangfuse mode Fail500" }, statusCode: StatusCodes.Status500InternalServerError);
            case FakeLangfuseMode.Hang:
                RecordRest(received with { Error = "mode Hang" });
                if (!await HoldAsync(context))
                {
                    return Results.Empty;
                }

                break;
            case FakeLangfuseMode.EchoCredentialsInError:
                var status = EchoStatusCode;
                RecordRest(received with { StatusCode = status, Error = "mode EchoCredentialsInError" });
                return Results.Json(EchoBody(request.Headers.Authorization.ToString()), statusCode: status);
        }

        if (!received.AuthAccepted)
        {
            RecordRest(received with { StatusCode = StatusCodes.Status401Unauthorized, Error = "missing or wrong Basic credentials" });
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Langfuse\"";
            return Results.Json(new { message = "Invalid credentials. Confirm that you've configured the correct host." }, statusCode: StatusCodes.Status401Unauthorized);
        }

        JsonElement? body = null;
        if (HttpMethods.IsPost(request.Method) || HttpMethods.IsPatch(request.Method))
        {
            var text = await ReadTextAsync(request, context.RequestAborted);
            var (parsed, errors) = ParseBody(request.Method, operationPath, request.ContentType, text);
            if (errors.Count > 0)
            {
                return Answer(context, received, text, operationPath, RestAnswer.Invalid(errors));
            }

            body = parsed;
        }

        return Answer(context, received, body?.GetRawText() ?? request.QueryString.Value ?? "", operationPath, handle(context, body));
    }

    private IResult Answer(HttpContext context, ReceivedRestRequest received, string requestText, string operationPath, RestAnswer answer)
    {
        var payload = JsonSerializer.SerializeToElement(answer.Body, Json);
        if (answer.Violations is { Count: > 0 } violations)
        {
            RecordViolation(new SchemaViolation(received.At, received.Method, received.Path + received.Query, requestText, [.. violations.Select(v => v.ToString())]));
        }
        else if (answer.StatusCode == StatusCodes.Status200OK
            && !answer.Deliberate
            && LangfuseOpenApi.ValidateResponse(context.Request.Method, operationPath, payload) is { Count: > 0 } broken)
        {
            // A bug of the fake, not of the app: surfaced the same way, so that the test fails and says so.
            RecordViolation(new SchemaViolation(received.At, received.Method, received.Path + received.Query, payload.GetRawText(), [.. broken.Select(e => $"FakeLangfuse's own response breaks the spec: {e}")]));
        }

        RecordRest(received with { StatusCode = answer.StatusCode, Error = answer.Error });
        return Results.Json(payload, Json, statusCode: answer.StatusCode);
    }

    private static object EchoBody(string authorization)
    {
        var pair = "";
        if (AuthenticationHeaderValue.TryParse(authorization, out var header) && header.Parameter is { } parameter)
        {
            try
            {
                pair = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
            }
            catch (FormatException)
            {
                pair = "(not Base64)";
            }
        }

        return new
        {
            message = $"Request failed for Authorization: {authorization} (credentials {pair})",
            error = "FakeLangfuse mode EchoCredentialsInError",
            headers = new { authorization },
        };
    }

    private static (JsonElement? Body, IReadOnlyList<SchemaError> Errors) ParseBody(string method, string operationPath, string? contentType, string text)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || !string.Equals(media.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, [new SchemaError("", $"Content-Type must be application/json, not '{contentType}'")]);
        }

        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(text);
            body = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return (null, [new SchemaError("", $"the body is not JSON: {ex.Message}")]);
        }

        return (body, LangfuseOpenApi.ValidateRequestBody(method, operationPath, body));
    }

    private static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private void RecordRest(ReceivedRestRequest request)
    {
        lock (_gate)
        {
            _restRequests.Add(request);
        }
    }

    // A path parameter as Langfuse reads it: names with folders arrive URL-encoded ("a%2Fb"), which Kestrel leaves as is.
    private static string PathParameter(HttpContext context, string name) =>
        (context.Request.RouteValues[name] as string ?? "").Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    private static string? Query(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[^1] : null;

    /// <summary>Langfuse's page pagination: <c>page</c> ≥ 1 (default 1), <c>limit</c> 1–100 (default 50).</summary>
    private static bool TryPaging(HttpContext context, out int page, out int limit, out RestAnswer? invalid)
    {
        var errors = new List<SchemaError>();
        page = Bounded(context, "page", 1, 1, int.MaxValue, errors);
        limit = Bounded(context, "limit", 50, 1, 100, errors);
        invalid = errors.Count > 0 ? RestAnswer.Invalid(errors) : null;
        return invalid is null;
    }

    private static int Bounded(HttpContext context, string name, int fallback, int min, int max, List<SchemaError> errors)
    {
        if (Query(context, name) is not { } text)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add(new SchemaError("/" + name, $"query parameter {name} must be an integer from {min} to {max}, not '{text}'"));
        return fallback;
    }

    private static object Paged<T>(IReadOnlyList<T> all, int page, int limit, Func<T, object> shape) => new
    {
        data = all.Skip((page - 1) * limit).Take(limit).Select(shape).ToList(),
        meta = new { page, limit, totalItems = all.Count, totalPages = (all.Count + limit - 1) / limit },
    };

    // Langfuse writes times as JavaScript's toISOString does.
    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string? StringProperty(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The property's value; null when absent or JSON null.</summary>
    private static JsonElement? JsonProperty(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.Clone() : null;

    private static JsonElement? ToJson(object? value) =>
        value is null ? null : JsonSerializer.SerializeToElement(value, Json) is { ValueKind: not JsonValueKind.Null } element ? element : null;

    /// <summary>What a handler answers: status, JSON body, a note for the request log, and rule violations (400s).</summary>
    private sealed record RestAnswer(int StatusCode, object? Body, string? Error = null, IReadOnlyList<SchemaError>? Violations = null, bool Deliberate = false)
    {
        public static RestAnswer Ok(object body) => new(StatusCodes.Status200OK, body);

        // A body a test asked for to break the spec on purpose; not checked against it.
        public static RestAnswer Unchecked(JsonElement body) => new(StatusCodes.Status200OK, body, Deliberate: true);

        public static RestAnswer NotFound(string message) => new(StatusCodes.Status404NotFound, new { message, error = "LangfuseNotFoundError" }, message);

        public static RestAnswer Conflict(string message) => new(StatusCodes.Status409Conflict, new { message, error = "LangfuseConflictError" }, message);

        // Langfuse answers Zod failures with their issues: {message: "Invalid request data", error: ZodIssue[]}.
        public static RestAnswer Invalid(IReadOnlyList<SchemaError> errors) => new(
            StatusCodes.Status400BadRequest,
            new { message = "Invalid request data", error = errors.Select(e => new { code = "custom", message = e.Message, path = e.PathSegments }).ToList() },
            "invalid request data: " + string.Join("; ", errors),
            errors);
    }
}
