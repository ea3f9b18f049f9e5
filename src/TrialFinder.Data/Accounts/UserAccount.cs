using Microsoft.AspNetCore.Identity;

namespace TrialFinder.Data.Accounts;

/// <summary>A signed-up user (every account is a clinician; some are admins), with their own preferences.</summary>
public sealed class UserAccount : IdentityUser
{
    /// <summary>The place the bookmarks page measures the nearest site from.</summary>
    public string? HomePlaceLabel { get; set; }

    public double? HomeLatitude { get; set; }
    public double? HomeLongitude { get; set; }

    public bool DailyDigest { get; set; }

    /// <summary>Secret in the digest e-mail's unsubscribe link, so it works without signing in.</summary>
    public string UnsubscribeToken { get; set; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastDigestAt { get; set; }

    /// <summary>
    /// The newest study change (by id) the last digest covered. Change ids are handed out in commit order
    /// (only the sync lock's holder writes changes), so the next digest, starting after it, can never skip one.
    /// </summary>
    public long DigestChangeCursor { get; set; }
}

public static class Roles
{
    public const string Clinician = "Clinician";
    public const string Admin = "Admin";
}
