using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Arviointi.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UnitRegister : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "ClosedOn",
                table: "Units",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MergedIntoId",
                table: "Units",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "UnitNameChanges",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UnitId = table.Column<int>(type: "INTEGER", nullable: false),
                    OldName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    NewName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ChangedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UnitNameChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UnitNameChanges_Units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "Units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Units_MergedIntoId",
                table: "Units",
                column: "MergedIntoId");

            migrationBuilder.CreateIndex(
                name: "IX_UnitNameChanges_UnitId_ChangedOn",
                table: "UnitNameChanges",
                columns: new[] { "UnitId", "ChangedOn" });

            migrationBuilder.AddForeignKey(
                name: "FK_Units_Units_MergedIntoId",
                table: "Units",
                column: "MergedIntoId",
                principalTable: "Units",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Units_Units_MergedIntoId",
                table: "Units");

            migrationBuilder.DropTable(
                name: "UnitNameChanges");

            migrationBuilder.DropIndex(
                name: "IX_Units_MergedIntoId",
                table: "Units");

            migrationBuilder.DropColumn(
                name: "ClosedOn",
                table: "Units");

            migrationBuilder.DropColumn(
                name: "MergedIntoId",
                table: "Units");
        }
    }
}
