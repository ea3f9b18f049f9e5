using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TrialFinder.Data.Migrations
{
    /// <inheritdoc />
    public partial class SearchCoveringIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_studies_last_update_posted_on",
                table: "studies");

            migrationBuilder.DropIndex(
                name: "ix_studies_overall_status",
                table: "studies");

            migrationBuilder.DropIndex(
                name: "ix_sites_nct_id_ordinal",
                table: "sites");

            migrationBuilder.CreateIndex(
                name: "ix_studies_last_update_posted_on",
                table: "studies",
                columns: new[] { "last_update_posted_on", "nct_id" },
                descending: new[] { true, false })
                .Annotation("Npgsql:IndexNullSortOrder", new[] { NullSortOrder.NullsLast, NullSortOrder.NullsLast });

            migrationBuilder.CreateIndex(
                name: "ix_studies_overall_status",
                table: "studies",
                column: "overall_status")
                .Annotation("Npgsql:IndexInclude", new[] { "nct_id", "is_listed", "minimum_age_years", "maximum_age_years", "therapy_types", "diseases", "net_subtypes", "takes_refractory", "phases", "last_update_posted_on" });

            migrationBuilder.CreateIndex(
                name: "ix_sites_nct_id_ordinal",
                table: "sites",
                columns: new[] { "nct_id", "ordinal" })
                .Annotation("Npgsql:IndexInclude", new[] { "latitude", "longitude", "recruitment_status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_studies_last_update_posted_on",
                table: "studies");

            migrationBuilder.DropIndex(
                name: "ix_studies_overall_status",
                table: "studies");

            migrationBuilder.DropIndex(
                name: "ix_sites_nct_id_ordinal",
                table: "sites");

            migrationBuilder.CreateIndex(
                name: "ix_studies_last_update_posted_on",
                table: "studies",
                column: "last_update_posted_on");

            migrationBuilder.CreateIndex(
                name: "ix_studies_overall_status",
                table: "studies",
                column: "overall_status");

            migrationBuilder.CreateIndex(
                name: "ix_sites_nct_id_ordinal",
                table: "sites",
                columns: new[] { "nct_id", "ordinal" });
        }
    }
}
