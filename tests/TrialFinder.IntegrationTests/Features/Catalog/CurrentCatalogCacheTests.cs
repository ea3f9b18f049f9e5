using TrialFinder.Data.Search;
using TrialFinder.Web.Features.Catalog;

namespace TrialFinder.IntegrationTests.Features.Catalog;

/// <summary>When the site may answer with the catalogue version it read before, and when it must read it again.</summary>
public sealed class CurrentCatalogCacheTests
{
    private readonly ManualClock _clock = new();
    private readonly CurrentCatalogCache _cache;
    private int _reads;
    private long _version = 1;

    public CurrentCatalogCacheTests() => _cache = new CurrentCatalogCache(_clock);

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
    public async Task A_kept_version_is_read_again_once_it_is_as_old_as_the_longest_it_may_be_kept()
    {
        _cache.Listening(true);
        await ReadAsync();
        _clock.Advance(CurrentCatalogCache.LongestKept - TimeSpan.FromSeconds(1));
        await ReadAsync();
        var readsWithinTheLimit = _reads;
        _version = 2;
        _clock.Advance(TimeSpan.FromSeconds(1));
        var afterTheLimit = await ReadAsync();

        Assert.Equal(1, readsWithinTheLimit);
        Assert.Equal(2, afterTheLimit.Version);
    }

    [Fact]
    public async Task A_read_that_a_notice_overtook_is_not_kept()
    {
        _cache.Listening(true);
        await ReadOvertakenByAsync(_cache.Changed);

        await ReadAsync();
        await ReadAsync();

        Assert.Equal(1, _reads);
    }

    [Fact]
    public async Task A_read_begun_before_the_listener_listened_is_not_kept()
    {
        // The read may predate a change whose notice nobody heard.
        await ReadOvertakenByAsync(() => _cache.Listening(true));

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

    /// <summary>A read (not counted) during which <paramref name="happening"/> happens.</summary>
    private async Task ReadOvertakenByAsync(Action happening)
    {
        var reading = new TaskCompletionSource<CurrentCatalog>();
        var slow = _cache.ReadAsync(_ => reading.Task, CancellationToken.None);
        happening();
        reading.SetResult(new CurrentCatalog(_version, SyncWriting: false));
        await slow;
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
