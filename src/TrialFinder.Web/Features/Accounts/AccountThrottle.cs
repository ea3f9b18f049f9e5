using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using TrialFinder.Data.Accounts;

namespace TrialFinder.Web.Features.Accounts;

/// <summary>
/// Failed sign-ins counted per client address and e-mail address: after <see cref="FailuresPerClientAndAccount"/>
/// the client is refused for that account for <see cref="Window"/>, without checking the password. One
/// address therefore cannot reach the account-wide lockout (<see cref="AccountRules"/>), which only many
/// addresses together can; the per-client rate limit bounds guessing across accounts. Account e-mails
/// are capped per address too, so the forms cannot be used to flood someone's mailbox. Counted the same
/// whether or not the address has an account. Per web instance (in memory).
/// </summary>
public sealed class AccountThrottle(IMemoryCache cache)
{
    public const int FailuresPerClientAndAccount = 5;
    public const int EmailsPerAddressAndHour = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public bool SignInBlocked(string client, string email) =>
        cache.TryGetValue(SignInKey(client, email), out Counter? counter) && counter!.Value >= FailuresPerClientAndAccount;

    public void SignInFailed(string client, string email) => Count(SignInKey(client, email), Window);

    public void SignInSucceeded(string client, string email) => cache.Remove(SignInKey(client, email));

    /// <summary>True (and counted) while the address has had fewer than <see cref="EmailsPerAddressAndHour"/> account e-mails.</summary>
    public bool MayEmail(string email) => Count(("mail", Normalize(email)), TimeSpan.FromHours(1)) <= EmailsPerAddressAndHour;

    private int Count(object key, TimeSpan window)
    {
        var counter = cache.GetOrCreate(key, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = window;
            return new Counter();
        })!;
        return Interlocked.Increment(ref counter.Value);
    }

    private static (string, string, string) SignInKey(string client, string email) => ("sign-in", client, Normalize(email));

    private static string Normalize(string email) => email.Trim().ToUpperInvariant();

    private sealed class Counter
    {
        public int Value;
    }
}

/// <summary>
/// A password hash that matches nothing, verified when a sign-in has no account to check (unknown address,
/// unconfirmed or locked account), so that every sign-in costs one password verification.
/// </summary>
public sealed class DummyPassword
{
    private static readonly UserAccount Nobody = new() { UserName = "nobody@invalid" };

    private readonly Lazy<string> _hash =
        new(() => new PasswordHasher<UserAccount>().HashPassword(Nobody, Convert.ToHexString(RandomNumberGenerator.GetBytes(32))));

    public void Verify(IPasswordHasher<UserAccount> hasher, string password) => hasher.VerifyHashedPassword(Nobody, _hash.Value, password);
}
