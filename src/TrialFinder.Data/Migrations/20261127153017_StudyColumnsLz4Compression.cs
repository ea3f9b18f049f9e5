using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFinder.Data.Migrations
{
    /// <summary>
    /// The large columns of a study (its registry JSON, texts and readings, a few kB each) are compressed with lz4
    /// instead of PostgreSQL's default pglz: in an ingest of 5,000 studies pglz was PostgreSQL's costliest function (a
    /// ninth of its CPU); with these columns in lz4 PostgreSQL took a fifth less CPU (3.24 against 4.12 s, three ingests
    /// each, alternated). Only values written from now on use it; a server built without lz4 keeps its default. Changing
    /// a column's compression rewrites nothing. Down gives the columns back to the server's default_toast_compression.
    /// </summary>
    public partial class StudyColumnsLz4Compression : Migration
    {
        private static readonly string[] LargeColumns =
        [
            "raw_json", "brief_summary", "eligibility_criteria", "search_text", "search_vector", "interventions", "tag_evidence",
            "eligibility_facts", "official_title",
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            SetCompression(migrationBuilder, "lz4", "'lz4' = ANY (enumvals)");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            SetCompression(migrationBuilder, "DEFAULT", "true");

        private static void SetCompression(MigrationBuilder migrationBuilder, string method, string serverSupports)
        {
            var columns = string.Join(", ", LargeColumns.Select(c => $"ALTER COLUMN {c} SET COMPRESSION {method}"));
            migrationBuilder.Sql($"""
                DO $$
                BEGIN
                    IF EXISTS (SELECT FROM pg_settings WHERE name = 'default_toast_compression' AND {serverSupports}) THEN
                        ALTER TABLE studies {columns};
                    END IF;
                END $$;
                """);
        }
    }
}
