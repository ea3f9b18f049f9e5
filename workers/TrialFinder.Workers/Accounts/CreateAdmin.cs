using System.Security.Cryptography;
using Mediator;
using Microsoft.AspNetCore.Identity;
using TrialFinder.Data.Accounts;

namespace TrialFinder.Workers.Accounts;

/// <summary>
/// Creates the first admin (or promotes an existing account). There is no default account or password:
/// the password comes from the operator or is generated and shown once.
/// </summary>
public static class CreateAdmin
{
    public sealed record Command(string Email, string? Password) : IRequest<Result>;

    /// <param name="GeneratedPassword">Set only when a new account got a generated password, to print once.</param>
    public sealed record Result(bool Created, string? GeneratedPassword);

    public sealed class Handler(UserManager<UserAccount> users, RoleManager<IdentityRole> roles, TimeProvider clock)
        : IRequestHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var email = command.Email.Trim();
            if (!new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email) || email.Length > 254)
            {
                throw new ArgumentException($"'{email}' is not an e-mail address.");
            }

            foreach (var role in new[] { Roles.Clinician, Roles.Admin })
            {
                Check(await AccountRules.EnsureRoleAsync(roles, role));
            }

            var user = await users.FindByEmailAsync(email);
            string? generated = null;
            var created = user is null;
            if (user is null)
            {
                var password = command.Password;
                if (string.IsNullOrEmpty(password))
                {
                    password = generated = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
                }

                user = new UserAccount { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = clock.GetUtcNow() };
                Check(await users.CreateAsync(user, password));
            }
            else if (!user.EmailConfirmed)
            {
                user.EmailConfirmed = true;
                Check(await users.UpdateAsync(user));
            }

            foreach (var role in new[] { Roles.Clinician, Roles.Admin })
            {
                if (!await users.IsInRoleAsync(user, role))
                {
                    Check(await users.AddToRoleAsync(user, role));
                }
            }

            return new Result(created, generated);
        }

        private static void Check(IdentityResult result)
        {
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
            }
        }
    }
}
