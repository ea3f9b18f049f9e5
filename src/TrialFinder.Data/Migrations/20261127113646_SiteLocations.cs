using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFinder.Data.Migrations
{
    /// <summary>
    /// The points where sites are (<c>site_locations</c>), each with its number of sites, and the sites of each point in
    /// NCT id order: a place search reads the nearest points first and stops at the end of its page, instead of reading
    /// every site within its reach (at 100,000 studies, 51,771 sites within 50 km of New York, at 608 points). One
    /// statement trigger per kind of write on <c>sites</c> keeps the counts, so the COPY of a sync, the deletion of a
    /// study's old sites and any later writer keep them exact; a point whose last site goes is removed. The app role
    /// writes the table through those triggers (default privileges cover new tables). EF Core does not model triggers
    /// or expression indexes, so those stay plain SQL.
    /// </summary>
    public partial class SiteLocations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "site_locations",
                columns: table => new
                {
                    latitude = table.Column<double>(type: "double precision", nullable: false),
                    longitude = table.Column<double>(type: "double precision", nullable: false),
                    sites = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_site_locations", x => new { x.latitude, x.longitude });
                });

            migrationBuilder.CreateIndex(
                name: "ix_sites_latitude_longitude_nct_id",
                table: "sites",
                columns: new[] { "latitude", "longitude", "nct_id" },
                filter: "latitude IS NOT NULL AND longitude IS NOT NULL")
                .Annotation("Npgsql:IndexInclude", new[] { "recruitment_status" });

            migrationBuilder.Sql("""
                CREATE INDEX ix_site_locations_point ON site_locations USING gist (point(longitude, latitude)) INCLUDE (sites);

                CREATE FUNCTION count_site_locations() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'TRUNCATE' THEN
                        DELETE FROM site_locations;
                        RETURN NULL;
                    END IF;
                    IF TG_OP IN ('DELETE', 'UPDATE') THEN
                        UPDATE site_locations l SET sites = l.sites - r.sites
                        FROM (SELECT latitude, longitude, count(*)::int AS sites FROM removed_sites
                              WHERE latitude IS NOT NULL AND longitude IS NOT NULL GROUP BY latitude, longitude) r
                        WHERE l.latitude = r.latitude AND l.longitude = r.longitude;
                    END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN
                        INSERT INTO site_locations AS l (latitude, longitude, sites)
                        SELECT latitude, longitude, count(*)::int FROM added_sites
                        WHERE latitude IS NOT NULL AND longitude IS NOT NULL
                        GROUP BY latitude, longitude
                        ORDER BY latitude, longitude
                        ON CONFLICT (latitude, longitude) DO UPDATE SET sites = l.sites + excluded.sites;
                    END IF;
                    IF TG_OP IN ('DELETE', 'UPDATE') THEN
                        DELETE FROM site_locations l
                        USING (SELECT DISTINCT latitude, longitude FROM removed_sites) r
                        WHERE l.latitude = r.latitude AND l.longitude = r.longitude AND l.sites <= 0;
                    END IF;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER sites_added_locations AFTER INSERT ON sites
                    REFERENCING NEW TABLE AS added_sites FOR EACH STATEMENT EXECUTE FUNCTION count_site_locations();
                CREATE TRIGGER sites_removed_locations AFTER DELETE ON sites
                    REFERENCING OLD TABLE AS removed_sites FOR EACH STATEMENT EXECUTE FUNCTION count_site_locations();
                CREATE TRIGGER sites_moved_locations AFTER UPDATE ON sites
                    REFERENCING OLD TABLE AS removed_sites NEW TABLE AS added_sites FOR EACH STATEMENT EXECUTE FUNCTION count_site_locations();
                CREATE TRIGGER sites_truncated_locations AFTER TRUNCATE ON sites
                    FOR EACH STATEMENT EXECUTE FUNCTION count_site_locations();

                INSERT INTO site_locations (latitude, longitude, sites)
                SELECT latitude, longitude, count(*)::int FROM sites
                WHERE latitude IS NOT NULL AND longitude IS NOT NULL
                GROUP BY latitude, longitude;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER sites_added_locations ON sites;
                DROP TRIGGER sites_removed_locations ON sites;
                DROP TRIGGER sites_moved_locations ON sites;
                DROP TRIGGER sites_truncated_locations ON sites;
                DROP FUNCTION count_site_locations();
                """);

            migrationBuilder.DropTable(
                name: "site_locations");

            migrationBuilder.DropIndex(
                name: "ix_sites_latitude_longitude_nct_id",
                table: "sites");
        }
    }
}
