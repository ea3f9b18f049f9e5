using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFinder.Data.Migrations
{
    /// <summary>
    /// What the places were imported from (a fingerprint of the gazetteer files and the import's rules), so that a start
    /// re-imports them only when the gazetteer or the rules changed (<c>import-places --if-changed</c>); and the places
    /// move the catalogue version on, as studies and sites do, so no search answer cached under an older version outlives
    /// the places it was resolved with. Plain SQL, as the catalogue version's own migration.
    /// </summary>
    public partial class PlacesImportFingerprint : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE places_import (
                    id integer PRIMARY KEY CHECK (id = 1),
                    fingerprint text NOT NULL,
                    imported_at timestamp with time zone NOT NULL
                );
                CREATE TRIGGER places_catalog_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON places
                    FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS places_catalog_version ON places;
                DROP TABLE IF EXISTS places_import;
                """);
        }
    }
}
