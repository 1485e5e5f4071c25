using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Arviointi.Web.Data;
using CsvHelper;
using CsvHelper.Configuration;
using Parquet;
using Parquet.Schema;

namespace Arviointi.Web.Features.Export;

/// <summary>
/// Writes a <see cref="ResearchDataset"/> as one zip, streamed: the data as CSV (UTF-8 with a byte-order mark, so Excel
/// reads it; and a semicolon variant for Finnish Excel), as Parquet (typed integer columns, value labels in the file's
/// metadata), the codebook as Markdown and JSON, and the risk report. Each data file reads the rows from the database
/// again in the dataset's order (the same respondent numbers in each), so nothing is held whole in memory; Parquet is
/// written through a temporary file, as its footer needs the row groups' offsets.
/// </summary>
internal static class DatasetZip
{
    /// <summary>Rows per Parquet row group: a few megabytes of integers.</summary>
    private const int RowGroupSize = 10_000;

    public static async Task WriteAsync(ResearchDataset dataset, AppDbContext db, Stream output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        // The asynchronous zip API (.NET 10): the response stream allows no synchronous writes.
        await using var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct);
        await WriteCsvAsync(dataset, db, await EntryAsync(zip, $"{dataset.Stem}.csv", ct), ",", ct);
        await WriteCsvAsync(dataset, db, await EntryAsync(zip, $"{dataset.Stem}-puolipiste.csv", ct), ";", ct);

        var temporary = Path.Combine(Path.GetTempPath(), $"arviointi-{Guid.NewGuid():n}.parquet");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await WriteParquetAsync(dataset, db, file, ct);
            }

            await using var source = new FileStream(temporary, FileMode.Open, FileAccess.Read, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using var target = await EntryAsync(zip, $"{dataset.Stem}.parquet", ct);
            await source.CopyToAsync(target, ct);
        }
        finally
        {
            File.Delete(temporary);
        }

        await using (var json = await EntryAsync(zip, "koodikirja.json", ct))
        {
            await JsonSerializer.SerializeAsync(json, Codebook.Json(dataset), Codebook.JsonOptions, ct);
        }

        await using (var markdown = new StreamWriter(await EntryAsync(zip, "koodikirja.md", ct), new UTF8Encoding(false)))
        {
            await markdown.WriteAsync(Codebook.Markdown(dataset));
        }

        await using (var risk = new StreamWriter(await EntryAsync(zip, "riskiraportti.md", ct), new UTF8Encoding(false)))
        {
            await risk.WriteAsync(Codebook.RiskMarkdown(dataset));
        }
    }

    /// <summary>A new entry of the zip, compressed fast: the files are mostly digits and the download waits on it.</summary>
    public static Task<Stream> EntryAsync(ZipArchive zip, string name, CancellationToken ct) => zip.CreateEntry(name, CompressionLevel.Fastest).OpenAsync(ct);

    /// <summary>CSV with a byte-order mark; numbers only, so the semicolon variant differs only in its separator.</summary>
    private static async Task WriteCsvAsync(ResearchDataset dataset, AppDbContext db, Stream entry, string delimiter, CancellationToken ct)
    {
        await using var writer = new StreamWriter(entry, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16);
        await using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = delimiter });
        foreach (var column in dataset.Columns)
        {
            csv.WriteField(column.Name);
        }

        await csv.NextRecordAsync();
        await foreach (var row in dataset.RowsAsync(db, ct))
        {
            foreach (var value in row)
            {
                csv.WriteField(value.ToString(CultureInfo.InvariantCulture));
            }

            await csv.NextRecordAsync();
        }
    }

    /// <summary>Parquet: one 32-bit integer column per dataset column, row groups of <see cref="RowGroupSize"/>, labels in the metadata.</summary>
    private static async Task WriteParquetAsync(ResearchDataset dataset, AppDbContext db, Stream file, CancellationToken ct)
    {
        var fields = dataset.Columns.Select(c => new DataField<int>(c.Name)).ToArray();
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file, cancellationToken: ct);
        writer.CustomMetadata = new Dictionary<string, string>
        {
            ["arviointi.codebook"] = JsonSerializer.Serialize(Codebook.Json(dataset), Codebook.JsonOptions),
            ["arviointi.value_labels"] = JsonSerializer.Serialize(dataset.Columns.Where(c => c.Labels.Count > 0).ToDictionary(c => c.Name, c => c.Labels.ToDictionary(l => l.Key.ToString(CultureInfo.InvariantCulture), l => l.Value["fi"])), Codebook.JsonOptions),
            ["arviointi.missing_codes"] = JsonSerializer.Serialize(Codebook.MissingLabels.ToDictionary(m => m.Key.ToString(CultureInfo.InvariantCulture), m => m.Value["fi"]), Codebook.JsonOptions),
        };
        var buffers = dataset.Columns.Select(_ => new int[RowGroupSize]).ToArray();
        var filled = 0;
        await foreach (var row in dataset.RowsAsync(db, ct))
        {
            for (var c = 0; c < row.Length; c++)
            {
                buffers[c][filled] = row[c];
            }

            if (++filled == RowGroupSize)
            {
                await FlushAsync(writer, fields, buffers, filled, ct);
                filled = 0;
            }
        }

        if (filled > 0 || dataset.RowCount == 0)
        {
            await FlushAsync(writer, fields, buffers, filled, ct);
        }
    }

    private static async Task FlushAsync(ParquetWriter writer, DataField<int>[] fields, int[][] buffers, int rows, CancellationToken ct)
    {
        using var group = writer.CreateRowGroup();
        for (var c = 0; c < fields.Length; c++)
        {
            await group.WriteAsync<int>(fields[c], buffers[c].AsMemory(0, rows), null, null, ct);
        }
    }
}
