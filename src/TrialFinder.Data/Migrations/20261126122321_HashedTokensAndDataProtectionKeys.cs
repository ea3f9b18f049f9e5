using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TrialFinder.Data.Migrations
{
    /// <inheritdoc />
    public partial class HashedTokensAndDataProtectionKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Feed and unsubscribe tokens are kept only as their SHA-256 (SecretToken.Hash: lower-case hex of the
            // UTF-8 bytes), so existing feed addresses and digest links go on working. sha256() is built into
            // PostgreSQL 11 and later (no pgcrypto needed).
            migrationBuilder.RenameColumn(
                name: "feed_token",
                table: "saved_searches",
                newName: "feed_token_hash");

            migrationBuilder.RenameIndex(
                name: "ix_saved_searches_feed_token",
                table: "saved_searches",
                newName: "ix_saved_searches_feed_token_hash");

            migrationBuilder.Sql("UPDATE saved_searches SET feed_token_hash = encode(sha256(convert_to(feed_token_hash, 'UTF8')), 'hex');");

            migrationBuilder.AddColumn<string>(
                name: "unsubscribe_token_hash",
                table: "AspNetUsers",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.Sql("UPDATE \"AspNetUsers\" SET unsubscribe_token_hash = encode(sha256(convert_to(unsubscribe_token, 'UTF8')), 'hex');");

            migrationBuilder.DropColumn(
                name: "unsubscribe_token",
                table: "AspNetUsers");

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_users_unsubscribe_token_hash",
                table: "AspNetUsers",
                column: "unsubscribe_token_hash",
                unique: true);

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "text", nullable: true),
                    xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_protection_keys", x => x.id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropIndex(
                name: "ix_asp_net_users_unsubscribe_token_hash",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "unsubscribe_token_hash",
                table: "AspNetUsers");

            migrationBuilder.RenameColumn(
                name: "feed_token_hash",
                table: "saved_searches",
                newName: "feed_token");

            migrationBuilder.RenameIndex(
                name: "ix_saved_searches_feed_token_hash",
                table: "saved_searches",
                newName: "ix_saved_searches_feed_token");

            // A hash cannot be turned back into its token: every feed and unsubscribe link gets a new token.
            const string newToken = "substr(md5(random()::text) || md5(random()::text), 1, 48)";
            migrationBuilder.Sql($"UPDATE saved_searches SET feed_token = {newToken};");

            migrationBuilder.AddColumn<string>(
                name: "unsubscribe_token",
                table: "AspNetUsers",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.Sql($"UPDATE \"AspNetUsers\" SET unsubscribe_token = {newToken};");
        }
    }
}
