using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using TrialFinder.IntegrationTests.Infrastructure;

namespace TrialFinder.IntegrationTests.Features.Security;

/// <summary>
/// Data-protection keys live in PostgreSQL: a cookie made by one web instance is read by another (and so by
/// the same site after a restart), and with a certificate configured the stored keys are encrypted.
/// </summary>
public sealed class DataProtectionTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task A_session_started_on_one_instance_is_valid_on_another()
    {
        await using var first = new WebTestHost(_database);
        await using var second = new WebTestHost(_database);
        var session = await WebSession.SignedInAsync(first, "dr.shared@example.org");
        var cookie = await SessionCookieAsync(session);

        var elsewhere = second.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, "/bookmarks");
        request.Headers.Add("Cookie", cookie);
        var response = await elsewhere.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Sign out", await response.Content.ReadAsStringAsync());
        await using var db = _database.CreateContext();
        Assert.Equal(1, await db.DataProtectionKeys.CountAsync());
    }

    [Fact]
    public async Task With_a_certificate_the_stored_keys_are_encrypted()
    {
        var folder = Directory.CreateTempSubdirectory("tf-dp-");
        try
        {
            var path = Path.Combine(folder.FullName, "keys.pfx");
            using (var rsa = RSA.Create(2048))
            {
                var request = new CertificateRequest("CN=TrialFinder data protection (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
                await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pkcs12, "test password"));
            }

            await using var host = new WebTestHost(_database);
            await using var web = host.WithWebHostBuilder(builder =>
            {
                builder.UseSetting("DataProtection:CertificatePath", path);
                builder.UseSetting("DataProtection:CertificatePassword", "test password");
            });
            Assert.Equal(HttpStatusCode.OK, (await web.CreateClient().GetAsync("/account/login")).StatusCode); // makes the first key

            await using var db = _database.CreateContext();
            var xml = (await db.DataProtectionKeys.SingleAsync()).Xml!;
            Assert.Contains("<encryptedSecret", xml);
            Assert.Contains("EncryptedXmlDecryptor", xml);
            Assert.DoesNotContain("<value>", xml);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The session cookie a signed-in session holds, as a Cookie header value.</summary>
    private static async Task<string> SessionCookieAsync(WebSession session)
    {
        // WebSession keeps cookies in its handler; a request that echoes them is the simplest way to read them.
        var response = await session.Client.GetAsync("/bookmarks");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var handlerCookies = response.RequestMessage!.Headers.TryGetValues("Cookie", out var values) ? string.Join("; ", values) : "";
        Assert.Contains(".TrialFinder.Session=", handlerCookies);
        return handlerCookies;
    }
}
