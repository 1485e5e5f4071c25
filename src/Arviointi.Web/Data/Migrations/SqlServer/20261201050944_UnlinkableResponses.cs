using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Arviointi.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class UnlinkableResponses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Responses_SubmissionHash",
                table: "Responses");

            migrationBuilder.DropColumn(
                name: "SubmissionHash",
                table: "Responses");

            // Dropping a column only hides it: the old hashes stay in the rows' bytes until the table is rebuilt.
            migrationBuilder.Sql("ALTER TABLE [Responses] REBUILD;");

            migrationBuilder.CreateTable(
                name: "PendingResponses",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    RoundId = table.Column<int>(type: "int", nullable: false),
                    UnitId = table.Column<int>(type: "int", nullable: false),
                    Group = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Payload = table.Column<byte[]>(type: "varbinary(max)", maxLength: 1048576, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PendingResponses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PendingResponses_Rounds_RoundId",
                        column: x => x.RoundId,
                        principalTable: "Rounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PendingResponses_Units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "Units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Submissions",
                columns: table => new
                {
                    Hash = table.Column<string>(type: "nchar(64)", fixedLength: true, maxLength: 64, nullable: false),
                    RoundId = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Submissions", x => x.Hash);
                    table.ForeignKey(
                        name: "FK_Submissions_Rounds_RoundId",
                        column: x => x.RoundId,
                        principalTable: "Rounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PendingResponses_RoundId_Group",
                table: "PendingResponses",
                columns: new[] { "RoundId", "Group" });

            migrationBuilder.CreateIndex(
                name: "IX_PendingResponses_UnitId",
                table: "PendingResponses",
                column: "UnitId");

            migrationBuilder.CreateIndex(
                name: "IX_Submissions_RoundId",
                table: "Submissions",
                column: "RoundId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PendingResponses");

            migrationBuilder.DropTable(
                name: "Submissions");

            migrationBuilder.AddColumn<string>(
                name: "SubmissionHash",
                table: "Responses",
                type: "nchar(64)",
                fixedLength: true,
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            // Answers still waiting to be stored are lost going back; stored responses get random submission hashes.
            migrationBuilder.Sql("UPDATE [Responses] SET [SubmissionHash] = LOWER(CONVERT(nchar(64), CRYPT_GEN_RANDOM(32), 2));");

            migrationBuilder.CreateIndex(
                name: "IX_Responses_SubmissionHash",
                table: "Responses",
                column: "SubmissionHash",
                unique: true);
        }
    }
}
