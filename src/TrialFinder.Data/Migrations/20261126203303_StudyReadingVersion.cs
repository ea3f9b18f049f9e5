using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TrialFinder.Data.Migrations
{
    /// <summary>
    /// Each study keeps the version of the reading (classifier and criteria extractor) its tags and eligibility facts
    /// come from, so that the workers re-read only studies read by an older version; re-reads are recorded in rereads.
    /// </summary>
    public partial class StudyReadingVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "reading_version",
                table: "studies",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "rereads",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    reading_version = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    only_stale = table.Column<bool>(type: "boolean", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    studies = table.Column<int>(type: "integer", nullable: false),
                    changed = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rereads", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_rereads_started_at",
                table: "rereads",
                column: "started_at");

            // Stamping a study's reading version alone changes nothing a search shows: like the sync's bookkeeping, it
            // must not move the catalogue version (re-reading an unchanged catalogue keeps every cached answer).
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION refresh_studies_catalog_version_trigger() RETURNS void LANGUAGE plpgsql AS $$
                DECLARE
                    shown text;
                BEGIN
                    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO shown
                    FROM pg_attribute
                    WHERE attrelid = 'studies'::regclass AND attnum > 0 AND NOT attisdropped
                      AND attname NOT IN ('last_seen_run_id', 'last_synced_at', 'full_run_misses', 'reading_version');
                    DROP TRIGGER IF EXISTS studies_catalog_version ON studies;
                    EXECUTE format('CREATE TRIGGER studies_catalog_version AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF %s '
                        'ON studies FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version()', shown);
                END $$;

                SELECT refresh_studies_catalog_version_trigger();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "rereads");

            migrationBuilder.DropColumn(
                name: "reading_version",
                table: "studies");

            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION refresh_studies_catalog_version_trigger() RETURNS void LANGUAGE plpgsql AS $$
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
    }
}
