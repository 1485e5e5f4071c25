using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Arviointi.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class CodeBatches : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Languages",
                table: "Units",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "fi");

            migrationBuilder.AddColumn<int>(
                name: "BatchId",
                table: "AccessCodes",
                type: "int",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CodeBatches",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    RoundId = table.Column<int>(type: "int", nullable: false),
                    UnitId = table.Column<int>(type: "int", nullable: false),
                    Group = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Count = table.Column<int>(type: "int", nullable: false),
                    UsesPerCode = table.Column<int>(type: "int", nullable: false),
                    OrderedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    OrderedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    DownloadedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    DownloadedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    VoidedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CodeBatches", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CodeBatches_Rounds_RoundId",
                        column: x => x.RoundId,
                        principalTable: "Rounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CodeBatches_Units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "Units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AccessCodes_BatchId",
                table: "AccessCodes",
                column: "BatchId");

            migrationBuilder.CreateIndex(
                name: "IX_CodeBatches_RoundId",
                table: "CodeBatches",
                column: "RoundId");

            migrationBuilder.CreateIndex(
                name: "IX_CodeBatches_UnitId",
                table: "CodeBatches",
                column: "UnitId");

            migrationBuilder.AddForeignKey(
                name: "FK_AccessCodes_CodeBatches_BatchId",
                table: "AccessCodes",
                column: "BatchId",
                principalTable: "CodeBatches",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_AccessCodes_CodeBatches_BatchId",
                table: "AccessCodes");

            migrationBuilder.DropTable(
                name: "CodeBatches");

            migrationBuilder.DropIndex(
                name: "IX_AccessCodes_BatchId",
                table: "AccessCodes");

            migrationBuilder.DropColumn(
                name: "Languages",
                table: "Units");

            migrationBuilder.DropColumn(
                name: "BatchId",
                table: "AccessCodes");
        }
    }
}
