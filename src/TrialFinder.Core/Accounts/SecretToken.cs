using System.Security.Cryptography;
using System.Text;

namespace TrialFinder.Core.Accounts;

/// <summary>
/// The secret tokens that stand in for signing in (a saved search's feed address, the digest's unsubscribe
/// link): 48 random hex digits, handed to the user once and stored only as their SHA-256, so a copy of
/// the database opens nothing. The migration that introduced the hashes used the same formula in SQL.
/// </summary>
public static class SecretToken
{
    public const int Length = 48;

    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Length / 2));

    /// <summary>Well-formed tokens only are worth a database look-up.</summary>
    public static bool IsWellFormed(string? token) => token is { Length: Length } && token.All(char.IsAsciiHexDigitLower);

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
