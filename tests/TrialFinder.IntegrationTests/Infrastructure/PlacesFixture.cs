using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace TrialFinder.IntegrationTests.Infrastructure;

/// <summary>
/// A test database holding the real gazetteer (loaded once into the template from TF_TEST_GAZETTEER)
/// and the web site over it, shared by the read-only place tests of a class.
/// </summary>
public sealed class PlacesFixture : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();
    public WebTestHost Web { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Web = new WebTestHost(Database);
    }

    /// <summary>Sends a request through the site's own mediator, as its controllers do.</summary>
    public async Task<TResponse> SendAsync<TResponse>(IRequest<TResponse> request)
    {
        await using var scope = Web.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    public async Task DisposeAsync()
    {
        await Web.DisposeAsync();
        await Database.DisposeAsync();
    }
}
