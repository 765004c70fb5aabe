using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Twin.LocalHost.Http;

/// <summary>
/// What the host changes on a request it forwards to the worker: the invocation id the worker pairs the request with
/// (<c>x-ms-invocation-id</c>), the caller's address appended to <c>X-Forwarded-For</c> (the worker sees only the
/// host's), and the caller's <c>Host</c> kept, so the app sees the address it was called at.
/// </summary>
public sealed class InvocationRequestTransformer(string invocationId) : HttpTransformer
{
    public const string InvocationIdHeader = "x-ms-invocation-id";

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        proxyRequest.Headers.TryAddWithoutValidation(InvocationIdHeader, invocationId);
        proxyRequest.Headers.Host = httpContext.Request.Host.Value;
        if (httpContext.Connection.RemoteIpAddress is { } caller)
        {
            var forwarded = httpContext.Request.Headers["X-Forwarded-For"].ToString();
            proxyRequest.Headers.Remove("X-Forwarded-For");
            proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-For", string.IsNullOrEmpty(forwarded) ? caller.ToString() : $"{forwarded}, {caller}");
        }
    }
}
