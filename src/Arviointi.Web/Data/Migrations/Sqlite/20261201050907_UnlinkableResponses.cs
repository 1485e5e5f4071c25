using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Arviointi.Web.Data.Migrations.Sqlite
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

            // Written by hand: the table rebuilt without SubmissionHash (the column EF would drop) and WITHOUT ROWID, so rows are
            // ordered by their random id and no rowid tells in which order they were stored. EF Core has no setting for it, and
            // its own rebuilds of this table (some later column changes) would drop it: SchemaTests checks.
            migrationBuilder.Sql("""
                CREATE TABLE "ef_temp_Responses" (
                    "Id" TEXT NOT NULL CONSTRAINT "PK_Responses" PRIMARY KEY,
                    "Answers" BLOB NOT NULL,
                    "Group" TEXT NOT NULL,
                    "RoundId" INTEGER NOT NULL,
                    "SubmittedOn" TEXT NOT NULL,
                    "SurveyVersionId" INTEGER NOT NULL,
                    "UnitId" INTEGER NOT NULL,
                    CONSTRAINT "FK_Responses_Rounds_RoundId" FOREIGN KEY ("RoundId") REFERENCES "Rounds" ("Id") ON DELETE CASCADE,
                    CONSTRAINT "FK_Responses_SurveyVersions_SurveyVersionId" FOREIGN KEY ("SurveyVersionId") REFERENCES "SurveyVersions" ("Id") ON DELETE RESTRICT,
                    CONSTRAINT "FK_Responses_Units_UnitId" FOREIGN KEY ("UnitId") REFERENCES "Units" ("Id") ON DELETE RESTRICT
                ) WITHOUT ROWID;

                INSERT INTO "ef_temp_Responses" ("Id", "Answers", "Group", "RoundId", "SubmittedOn", "SurveyVersionId", "UnitId")
                SELECT "Id", "Answers", "Group", "RoundId", "SubmittedOn", "SurveyVersionId", "UnitId"
                FROM "Responses";
                """);

            // As EF's own rebuilds: without foreign keys, dropping the old table does not cascade to the open-text answers.
            migrationBuilder.Sql("PRAGMA foreign_keys = 0;", suppressTransaction: true);
            migrationBuilder.Sql("""
                DROP TABLE "Responses";
                ALTER TABLE "ef_temp_Responses" RENAME TO "Responses";
                CREATE INDEX "IX_Responses_RoundId_Group" ON "Responses" ("RoundId", "Group");
                CREATE INDEX "IX_Responses_SurveyVersionId" ON "Responses" ("SurveyVersionId");
                CREATE INDEX "IX_Responses_UnitId" ON "Responses" ("UnitId");
                """);
            migrationBuilder.Sql("PRAGMA foreign_keys = 1;", suppressTransaction: true);

            migrationBuilder.CreateTable(
                name: "PendingResponses",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RoundId = table.Column<int>(type: "INTEGER", nullable: false),
                    UnitId = table.Column<int>(type: "INTEGER", nullable: false),
                    Group = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Payload = table.Column<byte[]>(type: "BLOB", maxLength: 1048576, nullable: false)
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
                    Hash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    RoundId = table.Column<int>(type: "INTEGER", nullable: false)
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

            // Answers still waiting to be stored are lost going back; stored responses get random submission hashes.
            migrationBuilder.AddColumn<string>(
                name: "SubmissionHash",
                table: "Responses",
                type: "TEXT",
                fixedLength: true,
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.Sql("""UPDATE "Responses" SET "SubmissionHash" = lower(hex(randomblob(32)));""");

            migrationBuilder.CreateIndex(
                name: "IX_Responses_SubmissionHash",
                table: "Responses",
                column: "SubmissionHash",
                unique: true);
        }
    }
}
