using System.ComponentModel.DataAnnotations;
using TrialFinder.Infrastructure.Settings;

namespace TrialFinder.Web.Features.Accounts;

public sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>Sign-in, registration and password-reset attempts per minute and client address.</summary>
    [Range(1, 1_000_000, ErrorMessage = Allowed.WholeNumber)]
    public int AttemptsPerMinute { get; set; } = 10;
}
