namespace Arviointi.Web.Features.Results;

/// <summary>One row of an item table: a cell, where its name links to, and whether it is the row the reader looks for.</summary>
internal sealed record ItemRow(Cell Cell, string? Link = null, bool Emphasis = false, bool Total = false);

/// <summary>An item's table: its rows, a link to the item's charts, and which comparison columns apply.</summary>
/// <param name="RestLabel">The heading of the comparison column: against the rest of the region, or of the municipality.</param>
internal sealed record ItemTable(ItemResults Item, IReadOnlyList<ItemRow> Rows, string? ItemLink, string RestLabel, int? PreviousYear);
