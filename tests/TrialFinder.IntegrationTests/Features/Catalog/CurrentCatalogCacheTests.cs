using TrialFinder.Data.Search;
using TrialFinder.Web.Features.Catalog;

namespace TrialFinder.IntegrationTests.Features.Catalog;

/// <summary>When the site may answer with the catalogue version it read before, and when it must read it again.</summary>
public sealed class CurrentCatalogCacheTests
{
    private readonly CurrentCatalogCache _cache = new();
    private int _reads;
    private long _version = 1;

    [Fact]
    public async Task Without_a_listener_every_request_reads_the_version()
    {
        await ReadAsync();
        await ReadAsync();

        Assert.Equal(2, _reads);
    }

    [Fact]
    public async Task While_listening_the_version_read_is_kept_until_a_notice_and_the_next_read_shows_the_change()
    {
        _cache.Listening(true);
        var first = await ReadAsync();
        var kept = await ReadAsync();
        var readsBeforeNotice = _reads;
        _version = 2;
        _cache.Changed();
        var afterNotice = await ReadAsync();

        Assert.Equal(1, readsBeforeNotice);
        Assert.Equal(1, first.Version);
        Assert.Equal(1, kept.Version);
        Assert.Equal(2, afterNotice.Version);
    }

    [Fact]
    public async Task A_read_that_a_notice_overtook_is_not_kept()
    {
        _cache.Listening(true);
        var reading = new TaskCompletionSource<CurrentCatalog>();
        var slow = _cache.ReadAsync(_ => reading.Task, CancellationToken.None);
        _cache.Changed();
        reading.SetResult(new CurrentCatalog(1, SyncWriting: false));
        await slow;

        await ReadAsync();
        await ReadAsync();

        Assert.Equal(1, _reads);
    }

    [Fact]
    public async Task While_a_sync_writes_or_after_the_listener_is_lost_every_request_reads_the_version()
    {
        _cache.Listening(true);
        await _cache.ReadAsync(_ => { _reads++; return Task.FromResult(new CurrentCatalog(_version, SyncWriting: true)); }, CancellationToken.None);
        await ReadAsync();
        var readsWhileSyncing = _reads;
        _cache.Listening(false);
        await ReadAsync();
        await ReadAsync();

        Assert.Equal(2, readsWhileSyncing);
        Assert.Equal(4, _reads);
        Assert.False(_cache.IsListening);
    }

    private Task<CurrentCatalog> ReadAsync() =>
        _cache.ReadAsync(_ => { _reads++; return Task.FromResult(new CurrentCatalog(_version, SyncWriting: false)); }, CancellationToken.None);
}
