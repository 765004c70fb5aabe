using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Twin.Observability.Alerts;

/// <summary>
/// Encrypts channel secrets for the <c>AlertRules</c> table with AES-256-GCM under <see cref="AlertsOptions.SecretKey"/>
/// (<c>v1.{nonce}.{tag}.{cipher}</c>, base64url), and reads back a channel's secret at send time from its cipher or
/// its app setting. Reading table storage alone therefore gives nobody a signing secret or a routing key.
/// </summary>
public sealed class AlertSecretProtector(IOptions<AlertsOptions> options, IConfiguration configuration)
{
    private const string Version = "v1";

    public bool CanEncrypt => Key() is not null;

    public string Protect(string secret)
    {
        var key = Key() ?? throw new InvalidOperationException($"{AlertsOptions.SectionName}:SecretKey is not set.");
        var plain = Encoding.UTF8.GetBytes(secret);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var cipher = new byte[plain.Length];
        using var aes = new AesGcm(key, tag.Length);
        aes.Encrypt(nonce, plain, cipher, tag);
        return string.Join('.', Version, Base64Url(nonce), Base64Url(tag), Base64Url(cipher));
    }

    /// <summary>The channel's secret, or null when it has none; throws when it cannot be read (a wrong key, a missing setting).</summary>
    public string? Reveal(StoredAlertChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (channel.SecretSetting is { } setting)
        {
            return configuration[setting] is { Length: > 0 } value
                ? value
                : throw new InvalidOperationException($"The app setting '{setting}' that holds the channel's secret is not set.");
        }

        return channel.SecretCipher is { } cipher ? Unprotect(cipher) : null;
    }

    private string Unprotect(string protectedValue)
    {
        var key = Key() ?? throw new InvalidOperationException($"{AlertsOptions.SectionName}:SecretKey is not set, so the channel's stored secret cannot be read.");
        var parts = protectedValue.Split('.');
        if (parts is not [Version, var nonce, var tag, var cipher])
        {
            throw new FormatException("The stored channel secret is not in a known format.");
        }

        var tagBytes = FromBase64Url(tag);
        var cipherBytes = FromBase64Url(cipher);
        var plain = new byte[cipherBytes.Length];
        using var aes = new AesGcm(key, tagBytes.Length);
        try
        {
            aes.Decrypt(FromBase64Url(nonce), cipherBytes, tagBytes, plain);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new InvalidOperationException($"The stored channel secret does not decrypt with {AlertsOptions.SectionName}:SecretKey (was the key changed?).", ex);
        }

        return Encoding.UTF8.GetString(plain);
    }

    // The key's form is checked at start-up (AlertsOptions.HasValidSecretKey), so here it decodes.
    private byte[]? Key() => options.Value.SecretKey is { Length: > 0 } text ? Convert.FromBase64String(text) : null;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }
}
