using Microsoft.FeatureManagement;
using Twin.Observability.Chat;

namespace Twin.Observability.Features;

/// <summary>With <see cref="FeatureFlags.FewShot"/> off, chats get no examples, and the selector reads no dataset.</summary>
internal sealed class FeatureGatedFewShotSelector(IFewShotSelector inner, IFeatureManager features) : IFewShotSelector
{
    public async Task<FewShotSelection> SelectAsync(string twinId, string message, string conversationId, CancellationToken cancellationToken) =>
        await features.IsEnabledAsync(FeatureFlags.FewShot, cancellationToken).ConfigureAwait(false)
            ? await inner.SelectAsync(twinId, message, conversationId, cancellationToken).ConfigureAwait(false)
            : FewShotSelection.Empty(message);
}
