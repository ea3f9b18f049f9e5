using System.Diagnostics;
using System.Text;
using TrialFinder.Testing;

namespace TrialFinder.IntegrationTests.Infrastructure;

/// <summary>
/// The built worker (TrialFinder.Workers.dll), or the built site, running as a separate OS process, as an operator
/// starts it, for tests that kill it, cut its connections or restart its database while it works. It is killed when
/// disposed.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string StandardOutput
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Settings every test worker needs: the database, the replay, no client-side throttling.</summary>
    public static IEnumerable<string> Settings(string connectionString, RegistryReplay replay, int pageSize) =>
    [
        $"--ConnectionStrings:TrialFinder={connectionString}",
        $"--Registry:BaseUrl={replay.BaseUrl}",
        "--Registry:RequestsPerMinute=6000",
        $"--Registry:PageSize={pageSize}",
        "--Registry:TimeoutSeconds=30",
        "--Registry:RetryBaseDelayMilliseconds=50",
        // Plain log lines (not Production's JSON), which the tests read.
        "--Logging:Console:FormatterName=simple",
    ];

    /// <summary>Starts <c>dotnet TrialFinder.Workers.dll</c> with the verb, its options and the settings.</summary>
    public static WorkerProcess Start(IEnumerable<string> arguments) =>
        StartProgram(ProgramRun.WorkerOutputFolder, "TrialFinder.Workers.dll", arguments);

    /// <summary>Starts <c>dotnet TrialFinder.Web.dll</c> (the site) with its settings.</summary>
    public static WorkerProcess StartSite(IEnumerable<string> arguments) =>
        StartProgram(ProgramRun.SiteOutputFolder, "TrialFinder.Web.dll", arguments);

    private static WorkerProcess StartProgram(string folder, string dll, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = folder,
        };
        start.ArgumentList.Add(Path.Combine(folder, dll));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => worker.Append(worker._stdout, worker._stdoutClosed, e.Data);
        process.ErrorDataReceived += (_, e) => worker.Append(worker._stderr, worker._stderrClosed, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Waits for the process to end by itself; one that outlives the timeout is killed and fails the test.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync();
            Assert.Fail($"The worker (pid {Id}) was still running after {timeout}:\n{this}");
        }

        await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(TimeSpan.FromSeconds(10));
        return _process.ExitCode;
    }

    /// <summary>A task that ends when the process does, however it ends.</summary>
    public Task Exited => _process.WaitForExitAsync();

    /// <summary>SIGKILL: no cleanup, no goodbye to the database; the kernel closes its sockets.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) when (_process.HasExited)
        {
            // It ended by itself meanwhile.
        }
    }

    public override string ToString() => $"stdout:\n{StandardOutput}\nstderr:\n{StandardError}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(StringBuilder output, TaskCompletionSource closed, string? line)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
