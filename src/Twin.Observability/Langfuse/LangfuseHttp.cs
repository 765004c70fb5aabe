using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Twin.Observability.Security;

namespace Twin.Observability.Langfuse;

/// <summary>
/// The HTTP client of Langfuse's public REST API: base address, Basic credential, short timeouts and retries, and
/// error bodies redacted as they arrive (Langfuse or a proxy in front of it may echo the credential).
/// </summary>
public static class LangfuseHttp
{
    public const string ClientName = "langfuse";

    public static IServiceCollection AddLangfuseHttp(this IServiceCollection services, LangfuseOptions langfuse, TimeSpan attemptTimeout)
    {
        services.AddHttpClient(ClientName, client =>
            {
                client.BaseAddress = new Uri(langfuse.BaseUrl + "/");
                if (langfuse.IsConfigured)
                {
                    client.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(langfuse.BasicAuthorization);
                }
            })
            .RedactUpstreamErrors()
            .AddStandardResilienceHandler(o =>
            {
                o.AttemptTimeout.Timeout = attemptTimeout;
                o.TotalRequestTimeout.Timeout = (attemptTimeout * 3) + TimeSpan.FromSeconds(2);
                o.CircuitBreaker.SamplingDuration = attemptTimeout * 2.5;
                o.Retry.MaxRetryAttempts = 2;
                o.Retry.Delay = TimeSpan.FromMilliseconds(200);
            });
        return services;
    }

    /// <summary>
    /// Throws <see cref="LangfuseApiException"/> with the status and the start of the body unless the call succeeded.
    /// The body is already redacted: the client's pipeline ends in the <see cref="UpstreamErrorRedactionHandler"/>.
    /// </summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new LangfuseApiException($"Langfuse answered {(int)response.StatusCode} for the {what}: {body[..Math.Min(body.Length, 200)]}", (int)response.StatusCode);
        }
    }
}
