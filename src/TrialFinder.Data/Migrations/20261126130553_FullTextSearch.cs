using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TrialFinder.Data.Migrations
{
    /// <inheritdoc />
    public partial class FullTextSearch : Migration
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

            // search_vector is kept by a trigger that runs only when search_text is written, so the updates a sync
            // makes to unchanged studies (last seen, last synced) never recompute it; EF does not map it.
            migrationBuilder.Sql(@"
                ALTER TABLE studies ADD COLUMN search_vector tsvector;
                CREATE FUNCTION studies_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.search_vector := to_tsvector('english', NEW.search_text);
                    RETURN NEW;
                END $$;
                CREATE TRIGGER studies_search_vector BEFORE INSERT OR UPDATE OF search_text ON studies
                    FOR EACH ROW EXECUTE FUNCTION studies_search_vector();");

            // Stored studies get the same text the mapper composes (Study.ComposeSearchText).
            migrationBuilder.Sql(@"
                UPDATE studies s SET search_text = concat_ws(' ',
                    s.brief_title, NULLIF(s.official_title, ''), NULLIF(s.acronym, ''),
                    NULLIF(array_to_string(s.conditions, ' '), ''), NULLIF(array_to_string(s.keywords, ' '), ''),
                    (SELECT string_agg(concat_ws(' ',
                                coalesce(i->>'Name', i->>'name'), coalesce(i->>'Description', i->>'description'),
                                (SELECT string_agg(o, ' ') FROM jsonb_array_elements_text(coalesce(i->'OtherNames', i->'other_names', '[]'::jsonb)) o)), ' ')
                     FROM jsonb_array_elements(coalesce(s.interventions, '[]'::jsonb)) i));");

            migrationBuilder.Sql(@"
                CREATE INDEX ix_studies_search_vector ON studies USING gin (search_vector);
                CREATE INDEX ix_studies_nct_id_lower_trgm ON studies USING gin (lower(nct_id) gin_trgm_ops);
                -- Room on each page for the small updates a sync makes, so they stay heap-only (no index writes).
                ALTER TABLE studies SET (fillfactor = 80);");

            migrationBuilder.CreateIndex(
                name: "ix_studies_brief_title_trgm",
                table: "studies",
                column: "brief_title")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"
                ALTER TABLE studies RESET (fillfactor);
                DROP INDEX ix_studies_nct_id_lower_trgm;
                DROP INDEX ix_studies_search_vector;
                DROP TRIGGER studies_search_vector ON studies;
                DROP FUNCTION studies_search_vector();
                ALTER TABLE studies DROP COLUMN search_vector;");

            migrationBuilder.DropIndex(
                name: "ix_studies_brief_title_trgm",
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
