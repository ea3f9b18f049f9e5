using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFinder.Data.Migrations
{
    /// <summary>
    /// Every committed change to the catalogue (the statements that move catalog_version) and to sync runs is announced
    /// on the channel catalog_changed (NOTIFY, sent by PostgreSQL at the writer's commit, never on a rollback, one notice
    /// a transaction however many statements it ran), so the site can keep the catalogue's version in memory until the
    /// next notice instead of reading it on every request. Sync runs do not move the version: they only announce, since
    /// the header's catalogue line and whether a sync is writing are read from them. The migration announces itself too,
    /// so a site that listened before it committed reads the version again.
    /// </summary>
    public partial class CatalogChangeNotices : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE catalog_version SET version = version + 1 WHERE id = 1;
                    PERFORM pg_notify('catalog_changed', '');
                    RETURN NULL;
                END $$;
                CREATE FUNCTION announce_catalog_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('catalog_changed', '');
                    RETURN NULL;
                END $$;
                CREATE TRIGGER sync_runs_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sync_runs
                    FOR EACH STATEMENT EXECUTE FUNCTION announce_catalog_change();
                SELECT pg_notify('catalog_changed', '');
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS sync_runs_catalog_changed ON sync_runs;
                DROP FUNCTION IF EXISTS announce_catalog_change();
                CREATE OR REPLACE FUNCTION bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE catalog_version SET version = version + 1 WHERE id = 1;
                    RETURN NULL;
                END $$;
                """);
        }
    }
}
