using TrialFinder.Web;

var app = WebApp.Build(args);
await app.RunAsync();

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
