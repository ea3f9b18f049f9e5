using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using TrialFinder.Data.Search;
using TrialFinder.Infrastructure.Settings;

namespace TrialFinder.Web.Features.Search;

public sealed class SearchOptions
{
    public const string Section = "Search";

    /// <summary>How many distinct searches' answers the site keeps in memory per catalogue version; 0 keeps none.</summary>
    [Range(0, 100000, ErrorMessage = Allowed.WholeNumber)]
    public int ResultCacheEntries { get; set; } = 1000;
}

/// <summary>
/// Answers to valid searches, each kept with the catalogue version it was read at: the same search asked again before
/// the catalogue changes costs no SQL. A sync that commits anything moves the version on, so a search asked after a
/// change is computed again and shows it. One computation a search at a time: requests that ask the same search while
/// its answer is being computed wait for that computation, or, when an answer from an earlier version exists, are
/// given that one. While a sync is writing pages, which move the version on every second or so, an answer up to
/// <see cref="AnswerLifetimeWhileSyncing"/> old is served as it is, so visitors do not each wait for a new computation
/// after every page; the first request after that recomputes it. Its own bounded cache, so search traffic cannot crowd
/// out other entries.
/// </summary>
public sealed class SearchResultCache(IOptions<SearchOptions> options, TimeProvider clock) : IDisposable
{
    /// <summary>How old an answer from an earlier catalogue version may be and still be served while a sync is writing.</summary>
    public static readonly TimeSpan AnswerLifetimeWhileSyncing = TimeSpan.FromSeconds(5);

    private readonly int _entries = options.Value.ResultCacheEntries;
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.ResultCacheEntries) });
    private readonly Lock _gate = new();

    /// <summary>The answer to <paramref name="query"/> for the catalogue as it is, computed at most once at a time.</summary>
    public async Task<SearchTrials.Result> GetOrComputeAsync(
        CurrentCatalog catalog, string query, Func<Task<SearchTrials.Result>> compute, CancellationToken cancellationToken)
    {
        if (_entries == 0)
        {
            return await compute();
        }

        Task<SearchTrials.Result> computing;
        TaskCompletionSource<SearchTrials.Result>? mine = null;
        lock (_gate)
        {
            var entry = _cache.Get<Entry>(query);
            if (entry?.Answer is { } answer
                && (entry.AnswerVersion >= catalog.Version || (catalog.SyncWriting && clock.GetUtcNow() - entry.AnsweredAt < AnswerLifetimeWhileSyncing)))
            {
                return answer;
            }

            if (entry?.Computing is { IsCompleted: false } inFlight)
            {
                if (entry.Answer is { } earlier)
                {
                    return earlier;
                }

                computing = inFlight;
            }
            else
            {
                entry ??= new Entry();
                mine = new TaskCompletionSource<SearchTrials.Result>(TaskCreationOptions.RunContinuationsAsynchronously);
                computing = entry.Computing = mine.Task;
                _cache.Set(query, entry, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });
            }
        }

        if (mine is not null)
        {
            return await ComputeAsync(mine, query, catalog.Version, compute);
        }

        try
        {
            return await computing.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The request that started the shared computation went away and took it with it: compute this one alone.
            return await compute();
        }
    }

    /// <summary>The keys held now (query strings), so that checks can show no patient fact is kept.</summary>
    public IReadOnlyList<string> Keys => _cache.Keys.OfType<string>().ToList();

    public void Dispose() => _cache.Dispose();

    /// <summary>Computes the answer for every request waiting on <paramref name="shared"/> and keeps it if it is valid.</summary>
    private async Task<SearchTrials.Result> ComputeAsync(
        TaskCompletionSource<SearchTrials.Result> shared, string query, long catalogVersion, Func<Task<SearchTrials.Result>> compute)
    {
        SearchTrials.Result result;
        try
        {
            result = await compute();
        }
        catch (OperationCanceledException exception)
        {
            shared.SetCanceled(exception.CancellationToken);
            throw;
        }
        catch (Exception exception)
        {
            shared.SetException(exception);
            throw;
        }

        if (result.IsValid)
        {
            lock (_gate)
            {
                if (_cache.Get<Entry>(query) is { } entry && (entry.Answer is null || catalogVersion >= entry.AnswerVersion))
                {
                    (entry.Answer, entry.AnswerVersion, entry.AnsweredAt) = (result, catalogVersion, clock.GetUtcNow());
                }
            }
        }

        shared.SetResult(result);
        return result;
    }

    private sealed class Entry
    {
        public SearchTrials.Result? Answer { get; set; }
        public long AnswerVersion { get; set; }
        public DateTimeOffset AnsweredAt { get; set; }
        public Task<SearchTrials.Result>? Computing { get; set; }
    }
}
