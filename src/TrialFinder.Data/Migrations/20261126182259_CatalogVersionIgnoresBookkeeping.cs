using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFinder.Data.Migrations
{
    /// <summary>
    /// The catalogue version no longer moves when a sync only records that it saw studies (last_seen_run_id,
    /// last_synced_at, full_run_misses): no search answer shows those, and an hourly sync that found nothing new
    /// threw every cached answer away. The trigger fires on updates of every other column; a migration that adds a
    /// column to studies calls <c>SELECT refresh_studies_catalog_version_trigger();</c> after it (a test checks).
    /// </summary>
    public partial class CatalogVersionIgnoresBookkeeping : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION refresh_studies_catalog_version_trigger() RETURNS void LANGUAGE plpgsql AS $$
                DECLARE
                    shown text;
                BEGIN
                    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO shown
                    FROM pg_attribute
                    WHERE attrelid = 'studies'::regclass AND attnum > 0 AND NOT attisdropped
                      AND attname NOT IN ('last_seen_run_id', 'last_synced_at', 'full_run_misses');
                    DROP TRIGGER IF EXISTS studies_catalog_version ON studies;
                    EXECUTE format('CREATE TRIGGER studies_catalog_version AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF %s '
                        'ON studies FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version()', shown);
                END $$;

                SELECT refresh_studies_catalog_version_trigger();
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION IF EXISTS refresh_studies_catalog_version_trigger();
                DROP TRIGGER IF EXISTS studies_catalog_version ON studies;
                CREATE TRIGGER studies_catalog_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON studies
                    FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();
                """);
        }
    }
}
