using Microsoft.AspNetCore.Identity;

namespace TrialFinder.Data.Accounts;

/// <summary>The account rules shared by the site and the worker's create-admin verb.</summary>
public static class AccountRules
{
    public const int MinimumPasswordLength = 12;

    /// <summary>
    /// Failed sign-ins, from any addresses, that lock an account for 15 minutes. The site stops one address
    /// after 5 failures on an account (AccountThrottle), so no single address can lock its owner out.
    /// </summary>
    public const int MaxFailedAccessAttempts = 20;

    /// <summary>Creates a role the first time it is given (no migration seeds them); success when it exists already.</summary>
    public static async Task<IdentityResult> EnsureRoleAsync(RoleManager<IdentityRole> roles, string role) =>
        await roles.RoleExistsAsync(role) ? IdentityResult.Success : await roles.CreateAsync(new IdentityRole(role));

    public static void Apply(IdentityOptions options)
    {
        options.User.RequireUniqueEmail = true;
        options.SignIn.RequireConfirmedEmail = true;
        options.Password.RequiredLength = MinimumPasswordLength;
        options.Password.RequireNonAlphanumeric = false;
        options.Password.RequireUppercase = false;
        options.Password.RequireLowercase = false;
        // Length, not character classes: a long pass-phrase is stronger and easier to remember.
        options.Password.RequireDigit = false;
        options.Lockout.MaxFailedAccessAttempts = MaxFailedAccessAttempts;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        options.Lockout.AllowedForNewUsers = true;
    }
}
