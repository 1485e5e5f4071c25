using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Arviointi.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class FocusThemeLanguages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "FocusThemeEn",
                table: "Rounds",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FocusThemeSv",
                table: "Rounds",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FocusThemeEn",
                table: "Rounds");

            migrationBuilder.DropColumn(
                name: "FocusThemeSv",
                table: "Rounds");
        }
    }
}
