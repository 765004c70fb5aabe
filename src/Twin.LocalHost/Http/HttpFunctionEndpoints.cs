using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Primitives;
using Twin.LocalHost.Metadata;

namespace Twin.LocalHost.Http;

/// <summary>
/// The HTTP functions' routes, <c>{routePrefix}/{route}</c> with their methods, known only once the worker has said
/// what it loaded; routing picks them up through the change token.
/// </summary>
public sealed class HttpFunctionEndpoints : EndpointDataSource, IDisposable
{
    private IReadOnlyList<Endpoint> _endpoints = [];
    private CancellationTokenSource _changed = new();

    public override IReadOnlyList<Endpoint> Endpoints => _endpoints;

    public override IChangeToken GetChangeToken() => new CancellationChangeToken(_changed.Token);

    public void Set(IEnumerable<FunctionMetadata> functions, string routePrefix, Func<FunctionMetadata, RequestDelegate> handler)
    {
        _endpoints = functions.Select(function =>
        {
            var route = RouteRules.RouteOf(function);
            var pattern = RoutePatternFactory.Parse(string.IsNullOrEmpty(routePrefix) ? route : $"{routePrefix}/{route}");
            var endpoint = new RouteEndpointBuilder(handler(function), pattern, order: 0) { DisplayName = "Functions." + function.Name };
            endpoint.Metadata.Add(new HttpMethodMetadata(RouteRules.MethodsOf(function)));
            endpoint.Metadata.Add(function);
            return endpoint.Build();
        }).ToList();
        var previous = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
        previous.Cancel();
        previous.Dispose();
    }

    public void Dispose() => _changed.Dispose();
}
