using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
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
/// Answers to valid searches, kept under the catalogue version they were read at: the same search asked again
/// before the catalogue changes costs no SQL. A sync that commits anything moves the version on, so no answer
/// outlives the data it came from. Its own bounded cache, so search traffic cannot crowd out other entries.
/// </summary>
public sealed class SearchResultCache(IOptions<SearchOptions> options) : IDisposable
{
    private readonly int _entries = options.Value.ResultCacheEntries;
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.ResultCacheEntries) });

    public bool TryGet(long catalogVersion, string query, out SearchTrials.Result result)
    {
        result = null!;
        return _entries > 0 && _cache.TryGetValue(Key(catalogVersion, query), out result!);
    }

    public void Add(long catalogVersion, string query, SearchTrials.Result result)
    {
        if (_entries > 0 && result.IsValid)
        {
            _cache.Set(Key(catalogVersion, query), result, new MemoryCacheEntryOptions
            {
                Size = 1,
                SlidingExpiration = TimeSpan.FromMinutes(10),
            });
        }
    }

    /// <summary>The keys held now (catalogue version and query string), so that checks can show no patient fact is kept.</summary>
    public IReadOnlyList<string> Keys => _cache.Keys.OfType<string>().ToList();

    public void Dispose() => _cache.Dispose();

    private static string Key(long catalogVersion, string query) => $"{catalogVersion}|{query}";
}
