using System.Collections.Concurrent;

namespace TrialFinder.Testing;

/// <summary>A real place a generated site is moved to: the country is spelled as the registry spells it.</summary>
internal sealed record ScalePlace(string City, string Country, double Latitude, double Longitude);

/// <summary>
/// Where generated sites go. With the gazetteer: a country drawn with the share of real sites it has in
/// the real records, then one of its GeoNames cities drawn by population. Without it: the location of a
/// real site of a real record, drawn evenly (so with the same country shares).
/// </summary>
internal sealed class ScalePlaces
{
    /// <summary>Country names as the registry writes them (in the real records) and their ISO 3166 codes.</summary>
    private static readonly Dictionary<string, string> IsoCodes = new(StringComparer.Ordinal)
    {
        ["Argentina"] = "AR", ["Australia"] = "AU", ["Austria"] = "AT", ["Belgium"] = "BE", ["Brazil"] = "BR",
        ["Bulgaria"] = "BG", ["Canada"] = "CA", ["China"] = "CN", ["Czechia"] = "CZ", ["Denmark"] = "DK",
        ["Finland"] = "FI", ["France"] = "FR", ["Germany"] = "DE", ["Greece"] = "GR", ["Hungary"] = "HU",
        ["India"] = "IN", ["Ireland"] = "IE", ["Israel"] = "IL", ["Italy"] = "IT", ["Japan"] = "JP",
        ["Korea, Republic of"] = "KR", ["Mexico"] = "MX", ["Netherlands"] = "NL", ["New Zealand"] = "NZ", ["Norway"] = "NO",
        ["Poland"] = "PL", ["Portugal"] = "PT", ["Russian Federation"] = "RU", ["Spain"] = "ES", ["Sweden"] = "SE",
        ["Switzerland"] = "CH", ["Taiwan"] = "TW", ["United Kingdom"] = "GB", ["United States"] = "US",
    };

    private static readonly ConcurrentDictionary<string, Lazy<ScalePlaces>> Loaded = new(StringComparer.Ordinal);

    private readonly WeightedDraw<WeightedDraw<ScalePlace>> _countries;

    private ScalePlaces(string source, WeightedDraw<WeightedDraw<ScalePlace>> countries)
    {
        Source = source;
        _countries = countries;
    }

    /// <summary>"gazetteer &lt;folder&gt;" or "real sites".</summary>
    public string Source { get; }

    /// <summary>The places for a gazetteer folder (null: none, use the real sites), loaded once per process.</summary>
    public static ScalePlaces For(string? gazetteerFolder, ScaleSources sources) =>
        Loaded.GetOrAdd(gazetteerFolder ?? "", folder => new Lazy<ScalePlaces>(() =>
            folder.Length == 0 ? FromRealSites(sources) : FromGazetteer(folder, sources))).Value;

    public ScalePlace Draw(Random random) => _countries.Draw(random).Draw(random);

    private static ScalePlaces FromGazetteer(string folder, ScaleSources sources)
    {
        var path = Path.Combine(folder, GeoNamesCities.RelativePath);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The gazetteer has no {GeoNamesCities.RelativePath}: fetch it with infra/gazetteer.sh (tf_gazetteer_fetch {folder}).", path);
        }

        var namesByCode = IsoCodes.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        var citiesByCountry = GeoNamesCities.Read(path)
            .Where(c => c.Population > 0 && namesByCode.ContainsKey(c.CountryCode))
            .GroupBy(c => namesByCode[c.CountryCode], StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => new WeightedDraw<ScalePlace>(g.Select(c => (new ScalePlace(c.Name, g.Key, c.Latitude, c.Longitude), (long)c.Population))),
                StringComparer.Ordinal);
        var countries = sources.Sites
            .Where(s => s.Country is not null && citiesByCountry.ContainsKey(s.Country))
            .GroupBy(s => s.Country!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (citiesByCountry[g.Key], (long)g.Count()));
        return new ScalePlaces($"gazetteer {folder}", new WeightedDraw<WeightedDraw<ScalePlace>>(countries));
    }

    private static ScalePlaces FromRealSites(ScaleSources sources)
    {
        var places = sources.Sites
            .Where(s => s is { City: not null, Country: not null, Latitude: not null, Longitude: not null })
            .Select(s => (new ScalePlace(s.City!, s.Country!, s.Latitude!.Value, s.Longitude!.Value), 1L));
        return new ScalePlaces("real sites", new WeightedDraw<WeightedDraw<ScalePlace>>([(new WeightedDraw<ScalePlace>(places), 1L)]));
    }
}

/// <summary>Draws items with probability proportional to their weights (binary search over cumulative weights).</summary>
internal sealed class WeightedDraw<T>
{
    private readonly T[] _items;
    private readonly long[] _cumulative;

    public WeightedDraw(IEnumerable<(T Item, long Weight)> weighted)
    {
        var items = new List<T>();
        var cumulative = new List<long>();
        var total = 0L;
        foreach (var (item, weight) in weighted.Where(w => w.Weight > 0))
        {
            total += weight;
            items.Add(item);
            cumulative.Add(total);
        }

        if (items.Count == 0)
        {
            throw new InvalidOperationException($"Nothing to draw {typeof(T).Name} values from.");
        }

        _items = [.. items];
        _cumulative = [.. cumulative];
    }

    public T Draw(Random random)
    {
        var target = random.NextInt64(_cumulative[^1]);
        var index = Array.BinarySearch(_cumulative, target + 1);
        return _items[index >= 0 ? index : ~index];
    }
}
