using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFinder.Data.Migrations
{
    /// <summary>
    /// The country filter compares lower-cased names; this expression index lets it read only that country's
    /// sites instead of every site (EF Core does not model expression indexes, so it is plain SQL).
    /// </summary>
    public partial class SiteCountrySearchIndex : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE INDEX ix_sites_lower_country ON sites (lower(country), nct_id);");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_sites_lower_country;");
        }
    }
}
