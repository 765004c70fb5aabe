using System.Globalization;
using System.Net;
using System.Text.Json;
using Twin.Observability.Langfuse;

namespace Twin.Observability.Prompts;

/// <summary>Reads prompts from Langfuse prompt management (<c>GET /api/public/v2/prompts/{name}</c> by label or version, and the list).</summary>
public sealed class LangfusePromptClient(IHttpClientFactory httpClients)
{
    public async Task<PromptTemplate?> GetAsync(PromptKey key, CancellationToken cancellationToken)
    {
        var query = key.Version is { } version
            ? $"version={version.ToString(CultureInfo.InvariantCulture)}"
            : $"label={Uri.EscapeDataString(key.Label ?? "production")}";
        using var response = await Client().GetAsync(new Uri($"api/public/v2/prompts/{Uri.EscapeDataString(key.Name)}?{query}", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await LangfuseHttp.EnsureSuccessAsync(response, "prompt", cancellationToken).ConfigureAwait(false);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            throw new LangfuseApiException($"Langfuse answered prompt '{key.Name}' with a body that is not JSON.", (int)response.StatusCode);
        }

        using (document)
        {
            return LangfusePromptParser.Parse(document.RootElement);
        }
    }

    /// <summary>The names, versions and labels of the project's prompts (first page of up to 100).</summary>
    public async Task<IReadOnlyList<PromptSummary>> ListAsync(CancellationToken cancellationToken)
    {
        using var response = await Client().GetAsync(new Uri("api/public/v2/prompts?limit=100", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        await LangfuseHttp.EnsureSuccessAsync(response, "prompt list", cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        return document.RootElement.GetProperty("data").EnumerateArray().Select(p => new PromptSummary(
            p.GetProperty("name").GetString()!,
            p.TryGetProperty("versions", out var versions) ? versions.EnumerateArray().Select(v => v.GetInt32()).ToList() : [],
            p.TryGetProperty("labels", out var labels) ? labels.EnumerateArray().Select(l => l.GetString()!).ToList() : [],
            PromptSource.Langfuse)).ToList();
    }

    private HttpClient Client() => httpClients.CreateClient(LangfuseHttp.ClientName);
}

/// <summary>A prompt as listed: name, versions and labels.</summary>
public sealed record PromptSummary(string Name, IReadOnlyList<int> Versions, IReadOnlyList<string> Labels, PromptSource Source);
