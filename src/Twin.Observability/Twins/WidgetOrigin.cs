namespace Twin.Observability.Twins;

/// <summary>
/// Origins as browsers send them in the <c>Origin</c> header: lower-case scheme and host, port only when not the
/// default. Stored and compared in this form so <c>https://Example.com/</c> and <c>https://example.com</c> match.
/// </summary>
public static class WidgetOrigin
{
    public static bool TryNormalise(string? value, out string origin)
    {
        origin = "";
        if (string.IsNullOrWhiteSpace(value)
            || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.AbsolutePath != "/"
            || !string.IsNullOrEmpty(uri.Query)
            || !string.IsNullOrEmpty(uri.Fragment)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        origin = uri.IsDefaultPort ? $"{uri.Scheme}://{uri.IdnHost}" : $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";
        return true;
    }
}
