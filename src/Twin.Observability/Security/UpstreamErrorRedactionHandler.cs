using System.Net.Http.Headers;
using System.Text;

namespace Twin.Observability.Security;

/// <summary>
/// Redacts the body and reason phrase of every failed answer of an upstream (the LLM, Langfuse) as it arrives, before
/// any client library turns it into an exception message. Whatever later logs or records that message (the OpenAI
/// client's <c>ClientResultException</c>, <c>LangfuseApiException</c>, Microsoft.Extensions.AI's span and log, the
/// Functions host logging an exception that escapes a trigger) then only ever sees the redacted text. Successful
/// answers pass untouched and unbuffered.
/// </summary>
internal sealed class UpstreamErrorRedactionHandler(SecretRedactor redactor) : DelegatingHandler
{
    // Error bodies are short; a huge one is cut rather than held in memory whole.
    private const int MaxErrorBodyBytes = 64 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        response.ReasonPhrase = redactor.Redact(response.ReasonPhrase);
        var original = response.Content;
        var text = await ReadBoundedAsync(original, cancellationToken).ConfigureAwait(false);
        var redacted = new StringContent(redactor.Redact(text), Encoding.UTF8);
        redacted.Headers.ContentType = original.Headers.ContentType is { MediaType: { } mediaType } ? new MediaTypeHeaderValue(mediaType, Encoding.UTF8.WebName) : null;
        response.Content = redacted;
        original.Dispose();
        return response;
    }

    private static async Task<string> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxErrorBodyBytes];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            return Encoding.UTF8.GetString(buffer, 0, length);
        }
    }
}
