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

    /// <summary>The site language the user last chose ("en", "fr"), in which e-mails sent later (the digest) are written; null: English.</summary>
    public string? Language { get; set; }

    /// <summary>
    /// The SHA-256 of the secret in the latest digest e-mail's unsubscribe link (which works without signing
    /// in); each digest e-mail carries a new one. Null until the first digest.
    /// </summary>
    public string? UnsubscribeTokenHash { get; set; }

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
