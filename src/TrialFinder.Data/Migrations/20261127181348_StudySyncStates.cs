using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFinder.Data.Migrations
{
    /// <summary>
    /// What a sync records each time it sees a study (when, which run, the full runs that missed it) moves from the study's
    /// wide row to a narrow table of its own, half of each page left free so that a sync's write is an update in place.
    /// A full sync writes it for every study; in the wide row, right after an ingest (its pages full), each write was a new
    /// copy of the row with new entries in each of its nine indexes. Existing values are copied over (and back on Down);
    /// the catalogue-version trigger never watched the three columns.
    /// </summary>
    public partial class StudySyncStates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "study_sync_states",
                columns: table => new
                {
                    nct_id = table.Column<string>(type: "character varying(11)", maxLength: 11, nullable: false),
                    last_synced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_seen_run_id = table.Column<long>(type: "bigint", nullable: true),
                    full_run_misses = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_study_sync_states", x => x.nct_id);
                    table.ForeignKey(
                        name: "fk_study_sync_states_studies_nct_id",
                        column: x => x.nct_id,
                        principalTable: "studies",
                        principalColumn: "nct_id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("Npgsql:StorageParameter:fillfactor", 50);

            migrationBuilder.Sql("""
                INSERT INTO study_sync_states (nct_id, last_synced_at, last_seen_run_id, full_run_misses)
                SELECT nct_id, last_synced_at, last_seen_run_id, full_run_misses FROM studies;
                """);

            // The old columns stay, no longer written, until a later release drops them: a site or worker of the release
            // before this one may still be running while the migration commits (README, "For a new release") and reads
            // and writes them. This code inserts studies without them; the one that had no default takes the insert's time.
            migrationBuilder.Sql("ALTER TABLE studies ALTER COLUMN last_synced_at SET DEFAULT now();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE studies s
                SET last_synced_at = st.last_synced_at, last_seen_run_id = st.last_seen_run_id, full_run_misses = st.full_run_misses
                FROM study_sync_states st
                WHERE st.nct_id = s.nct_id;
                ALTER TABLE studies ALTER COLUMN last_synced_at DROP DEFAULT;
                """);

            migrationBuilder.DropTable(
                name: "study_sync_states");
        }
    }
}
