using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TrialFinder.Data.Accounts;
using TrialFinder.Web.Features.Bookmarks;
using TrialFinder.Web.Features.Search;
using TrialFinder.Web.Features.Security;
using TrialFinder.Web.Localization;
using TrialFinder.Infrastructure.Email;
using TrialFinder.Infrastructure.Site;

namespace TrialFinder.Web.Features.Accounts;

/// <summary>
/// Register, confirm e-mail, sign in and out, reset a password. The answer and the work are the same whether
/// or not an address has an account: one password hash per registration or sign-in, one queued e-mail per
/// registration or reset request (sent after the response), links built from Site:BaseUrl only.
/// </summary>
[Route("account")]
[EnableRateLimiting(RateLimits.Pages)]
public sealed class AccountsController(
    UserManager<UserAccount> users,
    SignInManager<UserAccount> signIn,
    RoleManager<IdentityRole> roles,
    IMailQueue mail,
    AccountThrottle throttle,
    DummyPassword dummyPassword,
    IOptions<SiteOptions> site,
    TimeProvider clock,
    IStringLocalizer<SiteText> text) : Controller
{
    [HttpGet("register")]
    public IActionResult Register() => View(new RegisterForm());

    [HttpPost("register")]
    [EnableRateLimiting(RateLimits.Accounts)]
    public async Task<IActionResult> Register(RegisterForm form)
    {
        if (!ModelState.IsValid)
        {
            return View(form);
        }

        var candidate = new UserAccount
        {
            UserName = form.Email, Email = form.Email, CreatedAt = clock.GetUtcNow(),
            Language = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName,
        };
        foreach (var validator in users.PasswordValidators)
        {
            foreach (var error in (await validator.ValidateAsync(users, candidate, form.Password)).Errors)
            {
                ModelState.AddModelError(nameof(form.Password), error.Description);
            }
        }

        if (!ModelState.IsValid)
        {
            return View(form);
        }

        var existing = await users.FindByEmailAsync(form.Email);
        if (existing is null)
        {
            var created = await users.CreateAsync(candidate, form.Password);
            if (created.Succeeded)
            {
                await EnsureRoleAsync(Roles.Clinician);
                await users.AddToRoleAsync(candidate, Roles.Clinician);
                await QueueConfirmationAsync(candidate);
                return View("CheckEmail");
            }

            foreach (var error in created.Errors.Where(e => !e.Code.Contains("Duplicate", StringComparison.Ordinal)))
            {
                ModelState.AddModelError(nameof(form.Password), error.Description);
            }

            if (!ModelState.IsValid)
            {
                return View(form);
            }

            // Another registration of the same address won the race.
            existing = await users.FindByEmailAsync(form.Email);
        }
        else
        {
            // The hash a new account would cost, so that a taken address answers in the same time.
            users.PasswordHasher.HashPassword(candidate, form.Password);
        }

        if (existing is not null && !await users.IsEmailConfirmedAsync(existing))
        {
            // The first confirmation e-mail may have been lost: a new link, rather than a dead end.
            await QueueConfirmationAsync(existing);
        }
        else
        {
            Queue(form.Email, text["account.exists.subject"], text["account.exists.body"]);
        }

        return View("CheckEmail");
    }

    [HttpGet("confirm-email")]
    public async Task<IActionResult> ConfirmEmail(string? userId, string? token)
    {
        // Account ids are GUIDs; anything else (a NUL byte would even fail in PostgreSQL) cannot name an account.
        var user = Guid.TryParse(userId, out _) ? await users.FindByIdAsync(userId!) : null;
        var ok = user is not null && token is not null && Decode(token) is { } decoded
            && (await users.ConfirmEmailAsync(user, decoded)).Succeeded;
        return View("EmailConfirmed", ok);
    }

    [HttpGet("login")]
    public IActionResult Login(string? returnUrl) => View(new SignInForm { ReturnUrl = returnUrl });

    [HttpPost("login")]
    [EnableRateLimiting(RateLimits.Accounts)]
    public async Task<IActionResult> Login(SignInForm form)
    {
        if (!ModelState.IsValid)
        {
            return View(form);
        }

        var client = ClientAddress.Of(HttpContext);
        var result = Microsoft.AspNetCore.Identity.SignInResult.Failed;
        if (!throttle.SignInBlocked(client, form.Email))
        {
            var user = await users.FindByEmailAsync(form.Email);
            if (user is not null && await signIn.CanSignInAsync(user) && !await users.IsLockedOutAsync(user))
            {
                result = await signIn.PasswordSignInAsync(user, form.Password, isPersistent: false, lockoutOnFailure: true);
            }
            else
            {
                dummyPassword.Verify(users.PasswordHasher, form.Password);
            }

            if (result.Succeeded)
            {
                throttle.SignInSucceeded(client, form.Email);
                return LocalRedirect(form.ReturnUrl is not null && Url.IsLocalUrl(form.ReturnUrl) ? form.ReturnUrl : Url.Action(nameof(BookmarksController.Index), "Bookmarks")!);
            }

            throttle.SignInFailed(client, form.Email);
        }

        // One message for unknown address, wrong password, unconfirmed, locked or throttled: no enumeration.
        ModelState.AddModelError("", text["account.login.failed"]);
        return View(form);
    }

    [HttpPost("logout")]
    public async Task<IActionResult> Logout()
    {
        await signIn.SignOutAsync();
        return RedirectToAction(nameof(SearchController.Home), "Search");
    }

    [HttpGet("forgot-password")]
    public IActionResult ForgotPassword() => View(new ForgotPasswordForm());

    [HttpPost("forgot-password")]
    [EnableRateLimiting(RateLimits.Accounts)]
    public async Task<IActionResult> ForgotPassword(ForgotPasswordForm form)
    {
        if (!ModelState.IsValid)
        {
            return View(form);
        }

        var user = await users.FindByEmailAsync(form.Email);
        if (user is not null && await users.IsEmailConfirmedAsync(user))
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var link = site.Value.Link(Url.Action(nameof(ResetPassword)) + QueryString.Create(new Dictionary<string, string?> { ["email"] = user.Email, ["token"] = Encode(token) }));
            Queue(user.Email!, text["account.reset.subject"], text["account.reset.body", link]);
        }
        else
        {
            Queue(form.Email, text["account.reset.none.subject"], text["account.reset.none.body"]);
        }

        return View("CheckEmail");
    }

    [HttpGet("reset-password")]
    public IActionResult ResetPassword(string? email, string? token) =>
        View(new ResetPasswordForm { Email = email ?? "", Token = token ?? "" });

    [HttpPost("reset-password")]
    [EnableRateLimiting(RateLimits.Accounts)]
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

    private async Task EnsureRoleAsync(string role) => await AccountRules.EnsureRoleAsync(roles, role);

    private async Task QueueConfirmationAsync(UserAccount user)
    {
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        var link = site.Value.Link(Url.Action(nameof(ConfirmEmail)) + QueryString.Create(new Dictionary<string, string?> { ["userId"] = user.Id, ["token"] = Encode(token) }));
        Queue(user.Email!, text["account.confirm.subject"], text["account.confirm.body", link]);
    }

    private void Queue(string to, string subject, string body)
    {
        if (throttle.MayEmail(to))
        {
            mail.Enqueue(new EmailMessage(to, subject, body));
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
