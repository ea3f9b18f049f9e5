using System.Diagnostics;
using System.Globalization;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using TrialFinder.Core.Places;
using TrialFinder.Data;

namespace TrialFinder.Sync.Places;

/// <summary>
/// Loads the offline gazetteer (a folder laid out by <c>tf_gazetteer_fetch</c>, see <see cref="GazetteerFolder"/>)
/// into <c>places</c>: GeoNames cities (and, for cities of <see cref="AlternateNamesMinimumPopulation"/>+ people, one more row
/// per other name GeoNames gives them: "München", "Den Haag"), US ZIP codes, French postcodes and the postcodes of GeoNames'
/// postal-code files when there are any, replacing what was there in one transaction (readers see the old places until it
/// commits) by a binary COPY.
/// </summary>
public static class ImportPlaces
{
    /// <param name="Folder">The unpacked gazetteer folder.</param>
    /// <param name="OnlyIfEmpty">Skip the import when places are already loaded (first run).</param>
    /// <param name="PostalCodes">A GeoNames postal-code file, or a folder of them; by default the folder's <c>geonames-postal/</c> when it exists.</param>
    /// <param name="OnlyIfChanged">
    /// Skip the import when the places were imported from these very files by these rules (<see cref="GazetteerFingerprint"/>) and are there,
    /// as a start does: an upgraded installation gets a newer gazetteer, or places imported by newer rules, without a manual import.
    /// </param>
    public sealed record Command(string Folder, bool OnlyIfEmpty = false, string? PostalCodes = null, bool OnlyIfChanged = false) : IRequest<Result>;

    /// <summary>
    /// The version of what this import does with the files: raise it when a change to the readers or to the rows they make
    /// (names, keys, positions) should reach installations whose gazetteer files did not change.
    /// </summary>
    public const int RulesVersion = 2;

    /// <summary>Smaller towns keep only their GeoNames name: their other names are mostly other languages' spellings, which would crowd the look-up.</summary>
    public const int AlternateNamesMinimumPopulation = 15_000;

    public sealed record Result(bool Skipped, int Cities, int AlternateNames, int UsZipCodes, int FrenchPostcodes, int OtherPostcodes, TimeSpan Elapsed)
    {
        public int Total => Cities + AlternateNames + UsZipCodes + FrenchPostcodes + OtherPostcodes;

        public override string ToString() => Skipped
            ? "Places are already loaded; nothing imported."
            : string.Create(CultureInfo.InvariantCulture,
                $"Imported {Total:N0} places: {Cities:N0} cities (and {AlternateNames:N0} other names of them), {UsZipCodes:N0} US ZIP codes, {FrenchPostcodes:N0} French postcodes, {OtherPostcodes:N0} other postcodes in {Elapsed.TotalSeconds:0.0} s.");
    }

    public sealed class Handler(TrialFinderDbContext db, ILogger<Handler> logger) : IRequestHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var stopwatch = Stopwatch.StartNew();
            if (command.OnlyIfEmpty && await db.Places.AnyAsync(cancellationToken))
            {
                logger.LogInformation("Places are already loaded; the gazetteer was not imported");
                return new Result(true, 0, 0, 0, 0, 0, stopwatch.Elapsed);
            }

            var folder = GazetteerFolder.Open(command.Folder);
            var postalCodePath = command.PostalCodes ?? (Directory.Exists(folder.PostalCodes) ? folder.PostalCodes : null);
            var postalCodeFiles = postalCodePath is null ? [] : GeoNamesPostalCodeReader.FilesAt(postalCodePath);
            var fingerprint = await GazetteerFingerprint.OfAsync(folder, postalCodeFiles, RulesVersion, cancellationToken);
            if (command.OnlyIfChanged && await ImportedFingerprintAsync(cancellationToken) == fingerprint && await db.Places.AnyAsync(cancellationToken))
            {
                logger.LogInformation("Places are already imported from this gazetteer ({Fingerprint}); nothing imported", fingerprint);
                return new Result(true, 0, 0, 0, 0, 0, stopwatch.Elapsed);
            }

            var regions = RegionNames.Read(folder.RegionNames);
            var geoNames = GeoNamesCityReader.Read(folder.Cities);
            var cities = Cities(geoNames, regions).ToList();
            var zipCodes = UsZipCodeReader.Read(folder.UsZipCodes, regions).ToList();
            var frenchPostcodes = FrenchPostcodeReader.Read(folder.FrenchPostcodes, geoNames, regions).ToList();
            var alternateNames = AlternateNames(geoNames, GeoNamesAlternateNameReader.Read(folder.AlternateNames, BigCityIds(geoNames)), regions).ToList();
            var otherPostcodes = GeoNamesPostalCodeReader.Read(postalCodeFiles, geoNames, alternateNames).ToList();
            logger.LogInformation(
                "Read {Cities} cities ({AlternateNames} other names), {ZipCodes} US ZIP codes, {FrenchPostcodes} French postcodes and {OtherPostcodes} other postcodes ({PostalCodePath}) from {Folder} in {Seconds:0.0} s",
                cities.Count, alternateNames.Count, zipCodes.Count, frenchPostcodes.Count, otherPostcodes.Count, postalCodePath ?? "no GeoNames postal-code files",
                folder.Path, stopwatch.Elapsed.TotalSeconds);

            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                var table = PlacesTable.From(db.Model);
                await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
                {
                    // One import at a time; readers go on seeing the old rows until the commit.
                    await ExecuteAsync(connection, $"LOCK TABLE {table.Name} IN EXCLUSIVE MODE", cancellationToken);
                    if ((command.OnlyIfEmpty && await ExistsAsync(connection, table, cancellationToken))
                        || (command.OnlyIfChanged && await ImportedFingerprintAsync(connection, cancellationToken) == fingerprint
                            && await ExistsAsync(connection, table, cancellationToken)))
                    {
                        return new Result(true, 0, 0, 0, 0, 0, stopwatch.Elapsed);
                    }

                    await ExecuteAsync(connection, $"DELETE FROM {table.Name}", cancellationToken);
                    await CopyAsync(connection, table, cities.Concat(alternateNames).Concat(zipCodes).Concat(frenchPostcodes).Concat(otherPostcodes), cancellationToken);
                    await RecordFingerprintAsync(connection, fingerprint, cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                }

                await ExecuteAsync(connection, $"ANALYZE {table.Name}", cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }

            var result = new Result(false, cities.Count, alternateNames.Count, zipCodes.Count, frenchPostcodes.Count, otherPostcodes.Count, stopwatch.Elapsed);
            logger.LogInformation("{Result}", result);
            return result;
        }

        private static IEnumerable<Place> Cities(IEnumerable<GeoNamesCity> cities, RegionNames regions)
        {
            foreach (var city in cities)
            {
                var key = PlaceSearchKey.From(city.Name);
                if (key.Length == 0 || city.CountryCode.Length != 2)
                {
                    continue;
                }

                yield return new Place
                {
                    Kind = PlaceKind.City,
                    Name = city.Name,
                    SearchKey = key,
                    CountryCode = city.CountryCode,
                    Region = regions.Find(city.CountryCode, city.AdminCode),
                    Latitude = city.Latitude,
                    Longitude = city.Longitude,
                    Population = city.Population,
                };
            }
        }

        private static HashSet<long> BigCityIds(IEnumerable<GeoNamesCity> cities) =>
            cities.Where(c => c.Population >= AlternateNamesMinimumPopulation).Select(c => c.Id).ToHashSet();

        /// <summary>One more row per other name of a city, under that name's key but showing the city's own name.</summary>
        private static IEnumerable<Place> AlternateNames(
            IEnumerable<GeoNamesCity> cities, Dictionary<long, IReadOnlyList<string>> alternateNames, RegionNames regions)
        {
            foreach (var city in cities)
            {
                var key = PlaceSearchKey.From(city.Name);
                if (key.Length == 0 || city.CountryCode.Length != 2 || !alternateNames.TryGetValue(city.Id, out var names))
                {
                    continue;
                }

                // Two letters are abbreviations ("Ly" for Leigh), not names a family types.
                foreach (var otherKey in names.Select(PlaceSearchKey.From).Where(k => k.Length >= 3 && k != key).Distinct())
                {
                    yield return new Place
                    {
                        Kind = PlaceKind.CityOtherName,
                        Name = city.Name,
                        SearchKey = otherKey,
                        CountryCode = city.CountryCode,
                        Region = regions.Find(city.CountryCode, city.AdminCode),
                        Latitude = city.Latitude,
                        Longitude = city.Longitude,
                        Population = city.Population,
                    };
                }
            }
        }

        private static async Task CopyAsync(NpgsqlConnection connection, PlacesTable table, IEnumerable<Place> places, CancellationToken cancellationToken)
        {
            await using var writer = await connection.BeginBinaryImportAsync(
                $"COPY {table.Name} ({table.Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var place in places)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(place.Kind.Stored(), NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(place.Name, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(place.SearchKey, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(place.CountryCode, NpgsqlDbType.Varchar, cancellationToken);
                await WriteNullableAsync(writer, place.Region, cancellationToken);
                await WriteNullableAsync(writer, place.PostalCode, cancellationToken);
                await writer.WriteAsync(place.Latitude, NpgsqlDbType.Double, cancellationToken);
                await writer.WriteAsync(place.Longitude, NpgsqlDbType.Double, cancellationToken);
                await writer.WriteAsync(place.Population, NpgsqlDbType.Integer, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? value, CancellationToken cancellationToken) =>
            value is null ? writer.WriteNullAsync(cancellationToken) : writer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

        /// <summary>The fingerprint of the gazetteer the places were last imported from; null when none was recorded (before this was kept).</summary>
        private async Task<string?> ImportedFingerprintAsync(CancellationToken cancellationToken) =>
            await db.Database.SqlQueryRaw<string>("SELECT fingerprint AS \"Value\" FROM places_import WHERE id = 1").SingleOrDefaultAsync(cancellationToken);

        private static async Task<string?> ImportedFingerprintAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand("SELECT fingerprint FROM places_import WHERE id = 1", connection);
            return await command.ExecuteScalarAsync(cancellationToken) as string;
        }

        private static async Task RecordFingerprintAsync(NpgsqlConnection connection, string fingerprint, CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand(
                "INSERT INTO places_import (id, fingerprint, imported_at) VALUES (1, @fingerprint, now()) "
                + "ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, imported_at = excluded.imported_at",
                connection);
            command.Parameters.AddWithValue("fingerprint", fingerprint);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        private static async Task<bool> ExistsAsync(NpgsqlConnection connection, PlacesTable table, CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {table.Name})", connection);
            return await command.ExecuteScalarAsync(cancellationToken) is true;
        }

        private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The table and the COPY column list, in <see cref="Handler"/>'s write order, named as the EF model maps them.</summary>
    private sealed record PlacesTable(string Name, string Columns)
    {
        public static PlacesTable From(IModel model)
        {
            var entity = model.FindEntityType(typeof(Place)) ?? throw new InvalidOperationException("Place is not in the EF model.");
            var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            string Column(string property) => Quote(entity.FindProperty(property)!.GetColumnName(store)!);
            var columns = new[]
            {
                nameof(Place.Kind), nameof(Place.Name), nameof(Place.SearchKey), nameof(Place.CountryCode), nameof(Place.Region),
                nameof(Place.PostalCode), nameof(Place.Latitude), nameof(Place.Longitude), nameof(Place.Population),
            }.Select(Column);
            var name = entity.GetSchema() is { } schema ? $"{Quote(schema)}.{Quote(store.Name)}" : Quote(store.Name);
            return new PlacesTable(name, string.Join(", ", columns));
        }

        private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
