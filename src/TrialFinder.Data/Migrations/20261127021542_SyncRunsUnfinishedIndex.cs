using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFinder.Data.Migrations
{
    /// <inheritdoc />
    public partial class SyncRunsUnfinishedIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_sync_runs_unfinished",
                table: "sync_runs",
                column: "last_progress_at",
                filter: "finished_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_sync_runs_unfinished",
                table: "sync_runs");
        }
    }
}
