using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Twin.Observability.Common;

namespace Twin.Functions.Http;

/// <summary>
/// Reads a JSON request body with a size limit. Every way a body can be wrong ends in a 4xx with a reason:
/// too large (413), not JSON (415), empty, not UTF-8, malformed or of the wrong shape (400 naming the field). A UTF-8
/// byte order mark before the JSON is skipped.
/// </summary>
public static class JsonBody
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 32,
    };

    public static async Task<T> ReadAsync<T>(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
        where T : class =>
        await ReadOptionalAsync<T>(request, maxBytes, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestValidationException("body", "A JSON body is required.");

    /// <summary>As <see cref="ReadAsync{T}"/>, but an empty body is allowed and gives null.</summary>
    public static async Task<T?> ReadOptionalAsync<T>(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentType is { Length: > 0 } contentType && !IsJson(contentType))
        {
            throw new RequestBodyException(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", "Send the body as application/json.");
        }

        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var body = await ReadLimitedAsync(request.Body, maxBytes, cancellationToken).ConfigureAwait(false);
        // RFC 8259 lets a parser ignore a byte order mark, and some clients (Windows tools) send one.
        if (body.Span.StartsWith(Utf8Bom))
        {
            body = body[Utf8Bom.Length..];
        }

        if (body.Length == 0)
        {
            return null;
        }

        // Checked up front: the JSON reader would otherwise report it as a wrong type, or at the first string it decodes.
        if (!Utf8.IsValid(body.Span))
        {
            throw new RequestValidationException("body", "is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = Options.MaxDepth });
        }
        catch (JsonException ex)
        {
            throw new RequestValidationException("body", $"is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new RequestValidationException("body", "must be a JSON object.");
            }

            try
            {
                return document.Deserialize<T>(Options) ?? throw new RequestValidationException("body", "must be a JSON object.");
            }
            catch (JsonException ex)
            {
                var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
                throw new RequestValidationException(field, "has the wrong type.");
            }
        }
    }

    private static async Task<ReadOnlyMemory<byte>> ReadLimitedAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static bool IsJson(string contentType)
    {
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static RequestBodyException TooLarge(int maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, "The request body is too large.", $"The body must be at most {maxBytes} bytes.");
}
