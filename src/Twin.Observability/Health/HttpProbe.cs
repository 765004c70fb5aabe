using System.Net;

namespace Twin.Observability.Health;

/// <summary>One request of a health check: the status of its answer, or null when none came within the timeout.</summary>
internal static class HttpProbe
{
    public static async Task<HttpStatusCode?> StatusAsync(HttpClient client, HttpRequestMessage request, CancellationToken timeout, CancellationToken callerToken)
    {
        using (request)
        {
            try
            {
                using var response = await client.SendAsync(request, timeout).ConfigureAwait(false);
                return response.StatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !callerToken.IsCancellationRequested)
            {
                return null;
            }
        }
    }
}
