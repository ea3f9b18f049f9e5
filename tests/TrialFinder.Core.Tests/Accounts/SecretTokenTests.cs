using System.Security.Cryptography;
using System.Text;
using TrialFinder.Core.Accounts;

namespace TrialFinder.Core.Tests.Accounts;

public class SecretTokenTests
{
    [Fact]
    public void A_new_token_is_48_lower_case_hex_digits_and_well_formed()
    {
        var token = SecretToken.New();

        Assert.Matches("^[0-9a-f]{48}$", token);
        Assert.True(SecretToken.IsWellFormed(token));
    }

    [Fact]
    public void New_tokens_differ()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => SecretToken.New()).ToHashSet();

        Assert.Equal(100, tokens.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcde")]   // 47
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0")] // 49
    [InlineData("0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")]  // upper case is never handed out
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdeg")]
    public void Other_text_is_not_worth_a_look_up(string? token) => Assert.False(SecretToken.IsWellFormed(token));

    [Fact]
    public void The_stored_hash_is_the_lower_case_hex_sha256_the_migration_used()
    {
        const string token = "0123456789abcdef0123456789abcdef0123456789abcdef";

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), SecretToken.Hash(token));
        Assert.Equal(64, SecretToken.Hash(token).Length);
    }
}
