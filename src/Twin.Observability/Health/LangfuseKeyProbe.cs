using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Twin.Observability.Langfuse;

namespace Twin.Observability.Health;

/// <summary>
/// Whether Langfuse accepts the app's keys: a keyed <c>GET /api/public/projects</c>, its answer kept for
/// <see cref="CacheFor"/>. Health is polled (load balancers, anyone: it is anonymous), and every keyed call counts
/// against the project's public-API rate limit that scores, datasets and prompts need; keys change rarely, and an
/// export refused for them shows in the export counters at once anyway. No answer is not kept: the next check asks again.
/// </summary>
internal sealed class LangfuseKeyProbe(IOptions<LangfuseOptions> options, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    private Answer? _last;

    public async Task<HttpStatusCode?> StatusAsync(HttpClient client, CancellationToken timeout, CancellationToken callerToken)
    {
        var now = time.GetUtcNow();
        if (Volatile.Read(ref _last) is { } last && now - last.At < CacheFor)
        {
            return last.Status;
        }

        var langfuse = options.Value;
        var request = new HttpRequestMessage(HttpMethod.Get, $"{langfuse.BaseUrl}/api/public/projects");
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(langfuse.BasicAuthorization);
        var status = await HttpProbe.StatusAsync(client, request, timeout, callerToken).ConfigureAwait(false);
        if (status is { } answered)
        {
            Volatile.Write(ref _last, new Answer(answered, now));
        }

        return status;
    }

    private sealed record Answer(HttpStatusCode Status, DateTimeOffset At);
}
