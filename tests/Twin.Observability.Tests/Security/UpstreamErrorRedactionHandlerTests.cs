using System.Net;
using System.Text;
using Twin.Observability.Security;
using Xunit;

namespace Twin.Observability.Tests.Security;

public sealed class UpstreamErrorRedactionHandlerTests
{
    private const string Secret = "configured-llm-key-42";

    [Fact]
    public async Task A_failed_answer_arrives_with_its_body_and_reason_redacted_and_its_media_type_kept()
    {
        using var client = Client(new HttpResponseMessage(HttpStatusCode.BadGateway)
        {
            ReasonPhrase = $"Bad key {Secret}",
            Content = new StringContent($$$"""{"error":{"message":"Authorization: Bearer {{{Secret}}}"}}""", Encoding.UTF8, "application/json"),
        });

        using var response = await client.GetAsync(new Uri("http://upstream.test/"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal($"Bad key {SecretRedactor.Mask}", response.ReasonPhrase);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($$$"""{"error":{"message":"Authorization: Bearer {{{SecretRedactor.Mask}}}"}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_successful_answer_passes_untouched()
    {
        var content = new StringContent($"reply mentions {Secret}");
        using var client = Client(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });

        using var response = await client.GetAsync(new Uri("http://upstream.test/"));

        Assert.Same(content, response.Content);
        Assert.Equal($"reply mentions {Secret}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_huge_error_body_is_cut_rather_than_held_whole()
    {
        using var client = Client(new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent(new string('x', 1_000_000)) });

        using var response = await client.GetAsync(new Uri("http://upstream.test/"));

        Assert.Equal(64 * 1024, (await response.Content.ReadAsStringAsync()).Length);
    }

    private static HttpClient Client(HttpResponseMessage answer) =>
        new(new UpstreamErrorRedactionHandler(new SecretRedactor([Secret])) { InnerHandler = new Answering(answer) });

    private sealed class Answering(HttpResponseMessage answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(answer);
    }
}
