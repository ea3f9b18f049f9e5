using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TrialFinder.Data.Accounts;
using TrialFinder.Testing;

namespace TrialFinder.IntegrationTests.Infrastructure;

/// <summary>A browser-like client of the test site: cookies kept, redirects visible, forms posted with their anti-forgery token.</summary>
public sealed class WebSession(HttpClient client)
{
    public HttpClient Client { get; } = client;

    /// <summary>The client's cookies, when the test made the client (a real HttpClientHandler).</summary>
    public CookieContainer? Cookies { get; init; }

    public static WebSession Anonymous(WebApplicationFactory<TrialFinder.Web.Localization.SiteText> web) =>
        new(web.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    /// <summary>Creates a confirmed account with the given roles and signs in through the real sign-in form.</summary>
    public static async Task<WebSession> SignedInAsync(WebApplicationFactory<TrialFinder.Web.Localization.SiteText> web, string email, params string[] roles)
    {
        const string password = "correct horse battery staple";
        await using (var scope = web.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<UserAccount>>();
            var roleManager = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            var user = new UserAccount { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
            Check(await users.CreateAsync(user, password));
            foreach (var role in roles.Append(Roles.Clinician).Distinct())
            {
                await AccountRules.EnsureRoleAsync(roleManager, role);

                Check(await users.AddToRoleAsync(user, role));
            }
        }

        var session = Anonymous(web);
        var response = await session.PostFormAsync("/account/login", "/account/login", new() { ["Email"] = email, ["Password"] = password });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return session;
    }

    /// <summary>
    /// Loads the page holding the form, then posts the form with the anti-forgery token of that very
    /// form (as a browser would), or of any form on the page when the page has no form for the action
    /// (to show that a route refuses someone who holds a valid token).
    /// </summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPage, string action, Dictionary<string, string> fields)
    {
        var page = HtmlPages.Parse(await Client.GetStringAsync(formPage));
        AngleSharp.Dom.IParentNode scope = page.FormPostingTo(action) is { } form ? form : page;
        var token = scope.AntiforgeryToken()
            ?? throw new InvalidOperationException($"No anti-forgery token for {action} on {formPage}.");
        return await Client.PostAsync(action, new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token))));
    }

    public async Task<string> AntiforgeryTokenAsync(string page)
    {
        return HtmlPages.Parse(await Client.GetStringAsync(page)).AntiforgeryToken()
            ?? throw new InvalidOperationException($"No anti-forgery token on {page}.");
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
