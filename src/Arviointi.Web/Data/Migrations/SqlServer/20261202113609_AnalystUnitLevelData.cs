using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Arviointi.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AnalystUnitLevelData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "UnitLevelData",
                table: "AspNetUsers",
                type: "bit",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "UnitLevelData",
                table: "AspNetUsers");
        }
    }
}
