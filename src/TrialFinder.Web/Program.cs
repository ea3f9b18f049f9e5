using TrialFinder.Web;
using TrialFinder.Infrastructure.Settings;

var app = WebApp.Build(args);
if (StartupSettings.FindProblem(app.Services) is { } problem)
{
    // One clear line instead of the stack trace of an unhandled OptionsValidationException.
    await Console.Error.WriteLineAsync(problem);
    return 2;
}

await app.RunAsync();
return 0;
