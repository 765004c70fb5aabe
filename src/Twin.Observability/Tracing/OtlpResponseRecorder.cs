using System.Net;

namespace Twin.Observability.Tracing;

/// <summary>
/// The HTTP handler of the Langfuse OTLP exporter: notes why the latest export request failed (its status, or the kind
/// of transport failure), which the exporter itself only reports as <c>ExportResult.Failure</c>. It keeps no header,
/// body or exception message: the request carries the Basic credential and an error body may echo it.
/// </summary>
internal sealed class OtlpResponseRecorder() : DelegatingHandler(new SocketsHttpHandler())
{
    private string? _lastFailure;

    /// <summary>Why the latest request failed, or null if it succeeded; clears it, so each export reads its own.</summary>
    public string? TakeLastFailure() => Interlocked.Exchange(ref _lastFailure, null);

    // The exporter sends synchronously on .NET; both paths are recorded.
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return Noted(base.Send(request, cancellationToken));
        }
        catch (Exception ex)
        {
            Note(Describe(ex));
            throw;
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return Noted(await base.SendAsync(request, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            Note(Describe(ex));
            throw;
        }
    }

    private HttpResponseMessage Noted(HttpResponseMessage response)
    {
        Note(response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}{(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? ": Langfuse refused the keys" : "")}");
        return response;
    }

    private void Note(string? failure) => Volatile.Write(ref _lastFailure, failure);

    private static string Describe(Exception ex) => ex switch
    {
        OperationCanceledException => "timed out",
        HttpRequestException http => $"no answer ({http.HttpRequestError})",
        _ => ex.GetType().Name,
    };
}
