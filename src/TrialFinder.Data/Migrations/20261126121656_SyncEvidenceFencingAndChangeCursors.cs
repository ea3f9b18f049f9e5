using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFinder.Data.Migrations
{
    /// <inheritdoc />
    public partial class SyncEvidenceFencingAndChangeCursors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "delisting_skipped_reason",
                table: "sync_runs",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "delistings_withheld",
                table: "sync_runs",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "lease",
                table: "sync_runs",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<List<int>>(
                name: "query_received",
                table: "sync_runs",
                type: "integer[]",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.AddColumn<List<int>>(
                name: "query_totals",
                table: "sync_runs",
                type: "integer[]",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.AddColumn<int>(
                name: "full_run_misses",
                table: "studies",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "bookmarked_at_change_id",
                table: "bookmarks",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "seen_up_to_change_id",
                table: "bookmarks",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "digest_change_cursor",
                table: "AspNetUsers",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "sync_run_sightings",
                columns: table => new
                {
                    sync_run_id = table.Column<long>(type: "bigint", nullable: false),
                    nct_id = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sync_run_sightings", x => new { x.sync_run_id, x.nct_id });
                    table.ForeignKey(
                        name: "fk_sync_run_sightings_sync_runs_sync_run_id",
                        column: x => x.sync_run_id,
                        principalTable: "sync_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Existing runs get a lease of their own; existing cursors start where the old timestamps stood,
            // so nobody is e-mailed or badged again for changes they already had.
            migrationBuilder.Sql("UPDATE sync_runs SET lease = md5(id::text || clock_timestamp()::text)::uuid;");
            migrationBuilder.Sql(@"
                UPDATE bookmarks b SET
                    bookmarked_at_change_id = COALESCE((SELECT max(c.id) FROM study_changes c WHERE c.detected_at <= b.created_at), 0),
                    seen_up_to_change_id = COALESCE((SELECT max(c.id) FROM study_changes c WHERE c.detected_at <= b.seen_at), 0);");
            migrationBuilder.Sql(@"
                UPDATE ""AspNetUsers"" u SET
                    digest_change_cursor = COALESCE((SELECT max(c.id) FROM study_changes c WHERE c.detected_at <= u.last_digest_at), 0)
                WHERE u.last_digest_at IS NOT NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sync_run_sightings");

            migrationBuilder.DropColumn(
                name: "delisting_skipped_reason",
                table: "sync_runs");

            migrationBuilder.DropColumn(
                name: "delistings_withheld",
                table: "sync_runs");

            migrationBuilder.DropColumn(
                name: "lease",
                table: "sync_runs");

            migrationBuilder.DropColumn(
                name: "query_received",
                table: "sync_runs");

            migrationBuilder.DropColumn(
                name: "query_totals",
                table: "sync_runs");

            migrationBuilder.DropColumn(
                name: "full_run_misses",
                table: "studies");

            migrationBuilder.DropColumn(
                name: "bookmarked_at_change_id",
                table: "bookmarks");

            migrationBuilder.DropColumn(
                name: "seen_up_to_change_id",
                table: "bookmarks");

            migrationBuilder.DropColumn(
                name: "digest_change_cursor",
                table: "AspNetUsers");
        }
    }
}
