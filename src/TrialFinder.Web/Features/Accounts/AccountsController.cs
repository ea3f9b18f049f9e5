using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using TrialFinder.Data.Accounts;
using TrialFinder.Sync.Notifications;
using TrialFinder.Web.Localization;

namespace TrialFinder.Web.Features.Accounts;

/// <summary>
/// Register, confirm e-mail, sign in and out, reset a password. Messages never reveal whether an
/// address has an account; sign-in and registration are rate-limited and failures lock accounts out.
/// </summary>
[Route("account")]
public sealed class AccountsController(
    UserManager<UserAccount> users,
    SignInManager<UserAccount> signIn,
    RoleManager<IdentityRole> roles,
    EmailSender email,
    TimeProvider clock,
    IStringLocalizer<SiteText> text) : Controller
{
    public const string RateLimitPolicy = "accounts";

    [HttpGet("register")]
    public IActionResult Register() => View(new RegisterForm());

    [HttpPost("register")]
    [EnableRateLimiting(RateLimitPolicy)]
    public async Task<IActionResult> Register(RegisterForm form, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return View(form);
        }

        var existing = await users.FindByEmailAsync(form.Email);
        if (existing is null)
        {
            var user = new UserAccount { UserName = form.Email, Email = form.Email, CreatedAt = clock.GetUtcNow() };
            var created = await users.CreateAsync(user, form.Password);
            if (!created.Succeeded)
            {
                foreach (var error in created.Errors.Where(e => !e.Code.Contains("Duplicate", StringComparison.Ordinal)))
                {
                    ModelState.AddModelError(nameof(form.Password), error.Description);
                }

                if (!ModelState.IsValid)
                {
                    return View(form);
                }
            }
            else
            {
                await EnsureRoleAsync(Roles.Clinician);
                await users.AddToRoleAsync(user, Roles.Clinician);
                var token = await users.GenerateEmailConfirmationTokenAsync(user);
                var link = Url.Action(nameof(ConfirmEmail), "Accounts", new { userId = user.Id, token = Encode(token) }, Request.Scheme)!;
                await email.SendAsync(new EmailMessage(user.Email!, text["account.confirm.subject"], text["account.confirm.body", link]), cancellationToken);
            }
        }
        else
        {
            // Same answer whether or not the address is known; the owner is told by e-mail instead.
            await email.SendAsync(new EmailMessage(form.Email, text["account.exists.subject"], text["account.exists.body"]), cancellationToken);
        }

        return View("CheckEmail");
    }

    [HttpGet("confirm-email")]
    public async Task<IActionResult> ConfirmEmail(string? userId, string? token)
    {
        var user = userId is null ? null : await users.FindByIdAsync(userId);
        var ok = user is not null && token is not null && Decode(token) is { } decoded
            && (await users.ConfirmEmailAsync(user, decoded)).Succeeded;
        return View("EmailConfirmed", ok);
    }

    [HttpGet("login")]
    public IActionResult Login(string? returnUrl) => View(new SignInForm { ReturnUrl = returnUrl });

    [HttpPost("login")]
    [EnableRateLimiting(RateLimitPolicy)]
    public async Task<IActionResult> Login(SignInForm form)
    {
        if (!ModelState.IsValid)
        {
            return View(form);
        }

        var user = await users.FindByEmailAsync(form.Email);
        var result = user is null
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, form.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(form.ReturnUrl is not null && Url.IsLocalUrl(form.ReturnUrl) ? form.ReturnUrl : "/bookmarks");
        }

        // One message for unknown address, wrong password, unconfirmed or locked account: no enumeration.
        ModelState.AddModelError("", text["account.login.failed"]);
        return View(form);
    }

    [HttpPost("logout")]
    public async Task<IActionResult> Logout()
    {
        await signIn.SignOutAsync();
        return LocalRedirect("/");
    }

    [HttpGet("forgot-password")]
    public IActionResult ForgotPassword() => View(new ForgotPasswordForm());

    [HttpPost("forgot-password")]
    [EnableRateLimiting(RateLimitPolicy)]
    public async Task<IActionResult> ForgotPassword(ForgotPasswordForm form, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return View(form);
        }

        var user = await users.FindByEmailAsync(form.Email);
        if (user is not null && await users.IsEmailConfirmedAsync(user))
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var link = Url.Action(nameof(ResetPassword), "Accounts", new { email = user.Email, token = Encode(token) }, Request.Scheme)!;
            await email.SendAsync(new EmailMessage(user.Email!, text["account.reset.subject"], text["account.reset.body", link]), cancellationToken);
        }

        return View("CheckEmail");
    }

    [HttpGet("reset-password")]
    public IActionResult ResetPassword(string? email, string? token) =>
        View(new ResetPasswordForm { Email = email ?? "", Token = token ?? "" });

    [HttpPost("reset-password")]
    [EnableRateLimiting(RateLimitPolicy)]
    public async Task<IActionResult> ResetPassword(ResetPasswordForm form)
    {
        if (!ModelState.IsValid)
        {
            return View(form);
        }

        var user = await users.FindByEmailAsync(form.Email);
        var result = user is null || Decode(form.Token) is not { } token
            ? IdentityResult.Failed(new IdentityError { Description = text["account.reset.invalid"] })
            : await users.ResetPasswordAsync(user, token, form.Password);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError("", error.Code == "InvalidToken" ? text["account.reset.invalid"] : error.Description);
            }

            return View(form);
        }

        await users.ResetAccessFailedCountAsync(user!);
        return View("PasswordReset");
    }

    [HttpGet("denied")]
    [AllowAnonymous]
    public IActionResult Denied()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View();
    }

    private async Task EnsureRoleAsync(string role)
    {
        if (!await roles.RoleExistsAsync(role))
        {
            await roles.CreateAsync(new IdentityRole(role));
        }
    }

    private static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    private static string? Decode(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(token));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
