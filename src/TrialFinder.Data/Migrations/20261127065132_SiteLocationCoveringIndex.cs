using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFinder.Data.Migrations
{
    /// <summary>
    /// The location index carries what a place search reads of each site (its study, coordinates and recruitment
    /// status), so the sites in a search's rectangles come from the index alone instead of one heap page each: at
    /// 100,000 studies, the 51,771 sites within 50 km of New York were read from 15,468 heap pages. The rebuilt index is
    /// smaller than the one it replaces after a few syncs (110 against 126 MB there). EF Core does not model expression
    /// indexes, so it stays plain SQL.
    /// </summary>
    public partial class SiteLocationCoveringIndex : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS ix_sites_location;
                CREATE INDEX ix_sites_location ON sites USING gist (point(longitude, latitude))
                    INCLUDE (nct_id, latitude, longitude, recruitment_status)
                    WHERE latitude IS NOT NULL AND longitude IS NOT NULL;
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS ix_sites_location;
                CREATE INDEX ix_sites_location ON sites USING gist (point(longitude, latitude))
                    WHERE latitude IS NOT NULL AND longitude IS NOT NULL;
                """);
        }
    }
}
