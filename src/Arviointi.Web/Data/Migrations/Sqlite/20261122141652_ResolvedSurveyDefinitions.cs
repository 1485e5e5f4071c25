using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Arviointi.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ResolvedSurveyDefinitions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "Yaml",
                table: "SurveyVersions",
                newName: "DefinitionJson");

            migrationBuilder.AddColumn<string>(
                name: "FocusModule",
                table: "SurveyVersions",
                type: "TEXT",
                maxLength: 100,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FocusModule",
                table: "SurveyVersions");

            migrationBuilder.RenameColumn(
                name: "DefinitionJson",
                table: "SurveyVersions",
                newName: "Yaml");
        }
    }
}
