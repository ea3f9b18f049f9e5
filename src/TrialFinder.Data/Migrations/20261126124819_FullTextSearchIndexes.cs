using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace TrialFinder.Data.Migrations
{
    /// <inheritdoc />
    public partial class FullTextSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:cube", ",,")
                .Annotation("Npgsql:PostgresExtension:earthdistance", ",,")
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:cube", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:earthdistance", ",,");

            migrationBuilder.AddColumn<string>(
                name: "search_text",
                table: "studies",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "search_vector",
                table: "studies",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "to_tsvector('english', search_text)",
                stored: true);

            // Stored studies get the same text the mapper composes (Study.ComposeSearchText).
            migrationBuilder.Sql(@"
                UPDATE studies s SET search_text = concat_ws(' ',
                    s.brief_title, NULLIF(s.official_title, ''), NULLIF(s.acronym, ''),
                    NULLIF(array_to_string(s.conditions, ' '), ''), NULLIF(array_to_string(s.keywords, ' '), ''),
                    (SELECT string_agg(concat_ws(' ',
                                coalesce(i->>'Name', i->>'name'), coalesce(i->>'Description', i->>'description'),
                                (SELECT string_agg(o, ' ') FROM jsonb_array_elements_text(coalesce(i->'OtherNames', i->'other_names', '[]'::jsonb)) o)), ' ')
                     FROM jsonb_array_elements(coalesce(s.interventions, '[]'::jsonb)) i));");

            migrationBuilder.CreateIndex(
                name: "ix_studies_brief_title_trgm",
                table: "studies",
                column: "brief_title")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_studies_nct_id_trgm",
                table: "studies",
                column: "nct_id")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_studies_search_vector",
                table: "studies",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "gin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_studies_brief_title_trgm",
                table: "studies");

            migrationBuilder.DropIndex(
                name: "ix_studies_nct_id_trgm",
                table: "studies");

            migrationBuilder.DropIndex(
                name: "ix_studies_search_vector",
                table: "studies");

            migrationBuilder.DropColumn(
                name: "search_vector",
                table: "studies");

            migrationBuilder.DropColumn(
                name: "search_text",
                table: "studies");

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:cube", ",,")
                .Annotation("Npgsql:PostgresExtension:earthdistance", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:cube", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:earthdistance", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,");
        }
    }
}
