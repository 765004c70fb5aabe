namespace Twin.Testing;

/// <summary>
/// Passes every answer from <paramref name="server"/> through <paramref name="check"/> before the caller sees it;
/// answers from other hosts (a blob URL the app handed out) pass untouched.
/// </summary>
internal sealed class CheckingHandler(Uri server, Func<HttpResponseMessage, Task> check) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (request.RequestUri is { } uri && Uri.Compare(uri, server, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
        {
            await check(response).ConfigureAwait(false);
        }

        return response;
    }
}
