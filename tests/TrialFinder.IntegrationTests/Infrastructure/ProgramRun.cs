using TrialFinder.Testing;
using System.Diagnostics;

namespace TrialFinder.IntegrationTests.Infrastructure;

/// <summary>A program run as an operator runs it: a real process, its exit code and what it prints.</summary>
public sealed record ProgramRun(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The worker's and the site's build output, in the configuration these tests were built with.</summary>
    public static string Configuration { get; } = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    public static string WorkerProject => Path.Combine(TestPaths.RepositoryRoot, "workers", "TrialFinder.Workers");

    public static string WorkerOutputFolder => Path.Combine(WorkerProject, "bin", Configuration, "net10.0");

    public static string SiteOutputFolder => Path.Combine(TestPaths.RepositoryRoot, "src", "TrialFinder.Web", "bin", Configuration, "net10.0");

    /// <summary>Runs <c>dotnet</c> with the arguments in a folder; a run that outlives the timeout is killed and fails the test.</summary>
    public static Task<ProgramRun> DotnetAsync(string workingDirectory, IEnumerable<string> arguments, TimeSpan? timeout = null) =>
        CommandAsync(workingDirectory, "dotnet", arguments, timeout);

    /// <summary>Runs a program with the arguments in a folder; a run that outlives the timeout is killed and fails the test.</summary>
    public static async Task<ProgramRun> CommandAsync(string workingDirectory, string program, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close(); // nothing on stdin (create-admin then generates a password)
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"{program} {string.Join(' ', arguments)} was still running after {timeout ?? TimeSpan.FromMinutes(2)}:\n{await stdout}\n{await stderr}");
        }

        return new ProgramRun(process.ExitCode, await stdout, await stderr);
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}
