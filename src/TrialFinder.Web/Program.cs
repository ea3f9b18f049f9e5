using TrialFinder.Web;

var app = WebApp.Build(args);
await app.RunAsync();
