using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Twin.Observability.Twins;

/// <summary>
/// Start-up checks of <see cref="TwinsOptions"/> that depend on the environment: outside Development share links must
/// have a configured public base URL (HTTPS, since the link carries the token). The environment is the host's
/// <see cref="IHostEnvironment"/>: <c>AZURE_FUNCTIONS_ENVIRONMENT</c> for the Functions worker (Production in Azure
/// unless set) and for the local host (Development unless set, as Core Tools does).
/// </summary>
public sealed class TwinsOptionsValidator(IHostEnvironment environment) : IValidateOptions<TwinsOptions>
{
    private const string Setting = TwinsOptions.SectionName + ":PublicBaseUrl";

    public ValidateOptionsResult Validate(string? name, TwinsOptions options)
    {
        var development = environment.IsDevelopment();
        if (string.IsNullOrWhiteSpace(options.PublicBaseUrl))
        {
            return development
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"{Setting} is required outside Development (environment '{environment.EnvironmentName}'): share links must point at the app's public HTTPS address, e.g. https://twins.example.com.");
        }

        if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && !(development && uri.Scheme == Uri.UriSchemeHttp))
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return ValidateOptionsResult.Fail(
                $"{Setting} must be an absolute {(development ? "http(s)" : "https")} URL without query, fragment or user info, not '{options.PublicBaseUrl}'.");
        }

        return ValidateOptionsResult.Success;
    }
}
