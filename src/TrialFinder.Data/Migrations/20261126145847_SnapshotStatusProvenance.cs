using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFinder.Data.Migrations
{
    /// <inheritdoc />
    public partial class SnapshotStatusProvenance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "snapshot_criteria_is_excerpt",
                table: "studies",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "snapshot_reported_site_count",
                table: "studies",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "snapshot_status_as_of",
                table: "studies",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "snapshot_status_source_title",
                table: "studies",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "snapshot_status_source_url",
                table: "studies",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "snapshot_criteria_is_excerpt",
                table: "studies");

            migrationBuilder.DropColumn(
                name: "snapshot_reported_site_count",
                table: "studies");

            migrationBuilder.DropColumn(
                name: "snapshot_status_as_of",
                table: "studies");

            migrationBuilder.DropColumn(
                name: "snapshot_status_source_title",
                table: "studies");

            migrationBuilder.DropColumn(
                name: "snapshot_status_source_url",
                table: "studies");
        }
    }
}
