using System.Security.Claims;

namespace TrialFinder.Web.Features.Accounts;

public static class SignedInUser
{
    /// <summary>The signed-in user's id, by which every query of a user's own data is filtered.</summary>
    public static string Id(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("No signed-in user on an [Authorize] route.");

    /// <summary>A return address that stays on this site (open redirects are refused).</summary>
    public static string LocalOr(this Microsoft.AspNetCore.Mvc.IUrlHelper url, string? returnUrl, string fallback) =>
        !string.IsNullOrEmpty(returnUrl) && url.IsLocalUrl(returnUrl) ? returnUrl : fallback;
}
