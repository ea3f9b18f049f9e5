using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFinder.Data.Migrations
{
    /// <summary>
    /// One counter that every statement writing studies or sites moves on, in the writer's own transaction: readers
    /// see a new version exactly when the new catalogue is visible, whichever process wrote it, so answers cached
    /// per version are never stale. Plain SQL: EF Core models neither statement triggers nor this one-row table.
    /// </summary>
    public partial class CatalogVersion : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE catalog_version (
                    id integer PRIMARY KEY CHECK (id = 1),
                    version bigint NOT NULL
                );
                INSERT INTO catalog_version (id, version) VALUES (1, 0);

                CREATE FUNCTION bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE catalog_version SET version = version + 1 WHERE id = 1;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER studies_catalog_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON studies
                    FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();
                CREATE TRIGGER sites_catalog_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sites
                    FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS sites_catalog_version ON sites;
                DROP TRIGGER IF EXISTS studies_catalog_version ON studies;
                DROP FUNCTION IF EXISTS bump_catalog_version();
                DROP TABLE IF EXISTS catalog_version;
                """);
        }
    }
}
