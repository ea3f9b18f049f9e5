using Microsoft.Extensions.Localization;

namespace TrialFinder.Infrastructure.Localization;

/// <summary>
/// The site's words for the registry's own values (overall and site statuses, phases). A value the product has no
/// words for yet — the registry adds statuses and phases — is shown as the registry wrote it.
/// </summary>
public static class RegistryValueText
{
    public static string Status(this IStringLocalizer text, string status) => Words(text, "status.", status);

    public static string Phase(this IStringLocalizer text, string phase) => Words(text, "phase.", phase);

    private static string Words(IStringLocalizer text, string prefix, string value)
    {
        var words = text[prefix + value];
        return words.ResourceNotFound ? value : words.Value;
    }
}
