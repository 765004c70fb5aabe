using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Twin.Regress;

/// <summary>An answer from the app: a value, or an error to print (already free of the key).</summary>
internal sealed record ApiResult<T>(T? Value, ApiError? Error)
{
    public static ApiResult<T> Ok(T value) => new(value, null);
    public static ApiResult<T> Failed(ApiError error) => new(default, error);
}

/// <param name="Message">One line: what went wrong.</param>
/// <param name="Lines">Further lines (validation errors).</param>
/// <param name="Transient">Worth retrying while polling (network errors, 5xx, 429, request timeouts).</param>
internal sealed record ApiError(string Message, IReadOnlyList<string> Lines, bool Transient, int? Status = null);

/// <summary>The three calls of the regression API. The key only ever goes to the --url origin, in X-Api-Key.</summary>
internal sealed class RegressionApi : IDisposable
{
    public const string KeyHeader = "X-Api-Key";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient http;
    private readonly Uri baseUrl;
    private readonly string? key;

    public RegressionApi(Uri baseUrl, string? key, HttpMessageHandler? handler)
    {
        // Base URL with a trailing slash so relative paths append to any path prefix it has.
        var text = baseUrl.GetLeftPart(UriPartial.Path);
        this.baseUrl = new Uri(text.EndsWith('/') ? text : text + "/", UriKind.Absolute);
        this.key = key;
        http = handler is null
            ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }, disposeHandler: true)
            : new HttpClient(handler, disposeHandler: false);
        http.Timeout = Timeout.InfiniteTimeSpan;
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("twin-regress", "1.0"));
    }

    public Uri BaseUrl => baseUrl;

    public Task<ApiResult<StartResponse>> StartAsync(StartRequest request, CancellationToken cancellationToken) =>
        SendAsync<StartResponse>(HttpMethod.Post, new Uri(baseUrl, "api/manage/regression/test"), request, cancellationToken);

    public Task<ApiResult<RunStatus>> GetStatusAsync(Uri statusUrl, CancellationToken cancellationToken) =>
        SendAsync<RunStatus>(HttpMethod.Get, statusUrl, null, cancellationToken);

    public Task<ApiResult<JsonElement>> SaveBaselineAsync(SaveBaselineRequest request, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Post, new Uri(baseUrl, "api/manage/regression/baseline"), request, cancellationToken);

    /// <summary>Resolves the statusUrl the app answered against --url; null when it points at another origin
    /// (the key must not travel there).</summary>
    public Uri? ResolveStatusUrl(string? statusUrl, string id)
    {
        Uri resolved;
        if (string.IsNullOrWhiteSpace(statusUrl))
        {
            resolved = new Uri(baseUrl, "api/manage/regression/test/" + Uri.EscapeDataString(id));
        }
        else if (!Uri.TryCreate(baseUrl, statusUrl, out resolved!))
        {
            return null;
        }
        return Uri.Compare(resolved, baseUrl, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
            ? resolved
            : null;
    }

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, Uri uri, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(KeyHeader, key);
        }
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/problem+json"));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json.Options);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        var where = $"{method} {uri.AbsolutePath}";
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return ApiResult<T>.Failed(ToError(response, text, where));
            }
            try
            {
                var value = JsonSerializer.Deserialize<T>(text, Json.Options);
                return value is null
                    ? ApiResult<T>.Failed(new ApiError($"{where}: empty answer from the app", [], Transient: false))
                    : ApiResult<T>.Ok(value);
            }
            catch (JsonException ex)
            {
                return ApiResult<T>.Failed(new ApiError($"{where}: unexpected answer from the app ({ex.Message})", [], Transient: false));
            }
        }
        catch (HttpRequestException ex)
        {
            return ApiResult<T>.Failed(new ApiError($"{where}: cannot reach the app at {baseUrl.GetLeftPart(UriPartial.Authority)}: {ex.Message}", [], Transient: true));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ApiResult<T>.Failed(new ApiError($"{where}: no answer within {RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", [], Transient: true));
        }
    }

    private static ApiError ToError(HttpResponseMessage response, string text, string where)
    {
        var status = (int)response.StatusCode;
        var transient = status >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests;
        var lines = new List<string>();
        Problem? problem = null;
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        if (mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                problem = JsonSerializer.Deserialize<Problem>(text, Json.Options);
            }
            catch (JsonException)
            {
                problem = null;
            }
        }

        var message = new StringBuilder();
        message.Append(where).Append(": ").Append(status.ToString(CultureInfo.InvariantCulture)).Append(' ');
        message.Append(string.IsNullOrWhiteSpace(problem?.Title) ? response.ReasonPhrase ?? "error" : problem.Title);
        if (!string.IsNullOrWhiteSpace(problem?.Detail))
        {
            message.Append(": ").Append(problem.Detail);
        }
        else if (problem is null && !string.IsNullOrWhiteSpace(text))
        {
            message.Append(": ").Append(text.Length > 300 ? text[..300] + "…" : text.Trim());
        }
        if (problem?.Errors is { ValueKind: JsonValueKind.Object } errors)
        {
            foreach (var field in errors.EnumerateObject())
            {
                var messages = field.Value.ValueKind == JsonValueKind.Array
                    ? string.Join("; ", field.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText()))
                    : field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : field.Value.GetRawText();
                lines.Add($"{field.Name}: {messages}");
            }
        }
        else if (problem?.Errors is { ValueKind: JsonValueKind.Array } list)
        {
            lines.AddRange(list.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() ?? "" : e.GetRawText()));
        }
        if (status is 401 or 403)
        {
            lines.Add($"check the admin API key (--key or {CliOptions.KeyEnvironmentVariable})");
        }
        return new ApiError(message.ToString(), lines, transient, status);
    }

    public void Dispose() => http.Dispose();
}
