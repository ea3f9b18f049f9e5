using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace TrialFinder.IntegrationTests.Infrastructure;

/// <summary>A stand-in OpenTelemetry collector on loopback: keeps the body of every OTLP/HTTP export it receives.</summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, string Body)> _exports = new();

    private OtlpCollector(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public IReadOnlyList<string> Exports => _exports.Select(e => e.Body).ToList();

    public static async Task<OtlpCollector> StartAsync()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
        probe.Stop();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        var collector = new OtlpCollector(app, url);
        app.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            // Protobuf keeps strings as UTF-8 bytes: names and attribute values can be found in the text.
            collector._exports.Enqueue((context.Request.Path, Encoding.UTF8.GetString(body.ToArray())));
            return Results.Ok();
        });
        await app.StartAsync();
        return collector;
    }

    public async Task WaitForAsync(string path, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!_exports.Any(e => e.Path == path && e.Body.Contains(text, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline,
                $"No export to {path} mentioned '{text}' within 30 s; exports received: {string.Join(", ", _exports.Select(e => $"{e.Path} ({e.Body.Length} chars)"))}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
