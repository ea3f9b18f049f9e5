using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TrialFinder.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialCatalog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:cube", ",,")
                .Annotation("Npgsql:PostgresExtension:earthdistance", ",,");

            migrationBuilder.CreateTable(
                name: "studies",
                columns: table => new
                {
                    nct_id = table.Column<string>(type: "character varying(11)", maxLength: 11, nullable: false),
                    brief_title = table.Column<string>(type: "text", nullable: false),
                    official_title = table.Column<string>(type: "text", nullable: true),
                    acronym = table.Column<string>(type: "text", nullable: true),
                    overall_status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    phases = table.Column<List<string>>(type: "text[]", nullable: false),
                    study_type = table.Column<string>(type: "text", nullable: true),
                    conditions = table.Column<List<string>>(type: "text[]", nullable: false),
                    keywords = table.Column<List<string>>(type: "text[]", nullable: false),
                    brief_summary = table.Column<string>(type: "text", nullable: true),
                    minimum_age_years = table.Column<decimal>(type: "numeric(9,4)", precision: 9, scale: 4, nullable: true),
                    maximum_age_years = table.Column<decimal>(type: "numeric(9,4)", precision: 9, scale: 4, nullable: true),
                    minimum_age_text = table.Column<string>(type: "text", nullable: true),
                    maximum_age_text = table.Column<string>(type: "text", nullable: true),
                    sex = table.Column<string>(type: "text", nullable: true),
                    healthy_volunteers = table.Column<bool>(type: "boolean", nullable: true),
                    eligibility_criteria = table.Column<string>(type: "text", nullable: true),
                    lead_sponsor = table.Column<string>(type: "text", nullable: true),
                    start_date = table.Column<string>(type: "text", nullable: true),
                    first_posted_on = table.Column<DateOnly>(type: "date", nullable: true),
                    last_update_posted_on = table.Column<DateOnly>(type: "date", nullable: true),
                    diseases = table.Column<List<string>>(type: "text[]", nullable: false),
                    net_subtypes = table.Column<List<string>>(type: "text[]", nullable: false),
                    takes_refractory = table.Column<bool>(type: "boolean", nullable: false),
                    therapy_types = table.Column<List<string>>(type: "text[]", nullable: false),
                    raw_json = table.Column<string>(type: "jsonb", nullable: false),
                    content_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    is_listed = table.Column<bool>(type: "boolean", nullable: false),
                    delisted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    first_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_synced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    last_seen_run_id = table.Column<long>(type: "bigint", nullable: true),
                    interventions = table.Column<string>(type: "jsonb", nullable: true),
                    tag_evidence = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_studies", x => x.nct_id);
                });

            migrationBuilder.CreateTable(
                name: "sync_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    outcome = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_progress_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_since = table.Column<DateOnly>(type: "date", nullable: true),
                    queries = table.Column<List<string>>(type: "text[]", nullable: false),
                    nct_ids = table.Column<List<string>>(type: "text[]", nullable: false),
                    query_index = table.Column<int>(type: "integer", nullable: false),
                    page_token = table.Column<string>(type: "text", nullable: true),
                    expected_studies = table.Column<int>(type: "integer", nullable: true),
                    pages = table.Column<int>(type: "integer", nullable: false),
                    seen = table.Column<int>(type: "integer", nullable: false),
                    inserted = table.Column<int>(type: "integer", nullable: false),
                    updated = table.Column<int>(type: "integer", nullable: false),
                    unchanged = table.Column<int>(type: "integer", nullable: false),
                    delisted = table.Column<int>(type: "integer", nullable: false),
                    failed = table.Column<int>(type: "integer", nullable: false),
                    message = table.Column<string>(type: "text", nullable: true),
                    cancel_requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    snapshot_taken_on = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sync_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sites",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    nct_id = table.Column<string>(type: "character varying(11)", nullable: false),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    facility = table.Column<string>(type: "text", nullable: true),
                    city = table.Column<string>(type: "text", nullable: true),
                    state = table.Column<string>(type: "text", nullable: true),
                    postal_code = table.Column<string>(type: "text", nullable: true),
                    country = table.Column<string>(type: "text", nullable: true),
                    recruitment_status = table.Column<string>(type: "text", nullable: true),
                    latitude = table.Column<double>(type: "double precision", nullable: true),
                    longitude = table.Column<double>(type: "double precision", nullable: true),
                    contacts = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sites", x => x.id);
                    table.ForeignKey(
                        name: "fk_sites_studies_nct_id",
                        column: x => x.nct_id,
                        principalTable: "studies",
                        principalColumn: "nct_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "study_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    nct_id = table.Column<string>(type: "character varying(11)", nullable: false),
                    sync_run_id = table.Column<long>(type: "bigint", nullable: true),
                    detected_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    summary = table.Column<string>(type: "text", nullable: false),
                    old_value = table.Column<string>(type: "text", nullable: true),
                    new_value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_study_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_study_changes_studies_nct_id",
                        column: x => x.nct_id,
                        principalTable: "studies",
                        principalColumn: "nct_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sync_errors",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    sync_run_id = table.Column<long>(type: "bigint", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    nct_id = table.Column<string>(type: "text", nullable: true),
                    page = table.Column<int>(type: "integer", nullable: true),
                    query = table.Column<string>(type: "text", nullable: true),
                    message = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sync_errors", x => x.id);
                    table.ForeignKey(
                        name: "fk_sync_errors_sync_runs_sync_run_id",
                        column: x => x.sync_run_id,
                        principalTable: "sync_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_sites_country",
                table: "sites",
                column: "country");

            migrationBuilder.CreateIndex(
                name: "ix_sites_nct_id_ordinal",
                table: "sites",
                columns: new[] { "nct_id", "ordinal" });

            migrationBuilder.CreateIndex(
                name: "ix_studies_diseases",
                table: "studies",
                column: "diseases")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_studies_last_update_posted_on",
                table: "studies",
                column: "last_update_posted_on");

            migrationBuilder.CreateIndex(
                name: "ix_studies_overall_status",
                table: "studies",
                column: "overall_status");

            migrationBuilder.CreateIndex(
                name: "ix_studies_therapy_types",
                table: "studies",
                column: "therapy_types")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_study_changes_nct_id_detected_at",
                table: "study_changes",
                columns: new[] { "nct_id", "detected_at" });

            migrationBuilder.CreateIndex(
                name: "ix_sync_errors_sync_run_id",
                table: "sync_errors",
                column: "sync_run_id");

            migrationBuilder.CreateIndex(
                name: "ix_sync_runs_kind_started_at",
                table: "sync_runs",
                columns: new[] { "kind", "started_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sites");

            migrationBuilder.DropTable(
                name: "study_changes");

            migrationBuilder.DropTable(
                name: "sync_errors");

            migrationBuilder.DropTable(
                name: "studies");

            migrationBuilder.DropTable(
                name: "sync_runs");
        }
    }
}
