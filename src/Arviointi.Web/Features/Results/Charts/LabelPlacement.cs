using ScottPlot;

namespace Arviointi.Web.Features.Results.Charts;

/// <summary>
/// Places point labels of a scatter chart greedily so they overlap neither each other nor the points: each label
/// takes the first free spot among right, upper right, lower right, left, upper left, lower left, above and below.
/// </summary>
internal static class LabelPlacement
{
    /// <summary>A point to label, in pixels from the data area's top left, with its label's size.</summary>
    internal readonly record struct Item(float X, float Y, float Width, float Height);

    /// <summary>Where a label goes: the alignment of its anchor and its offset from the point, in pixels.</summary>
    internal readonly record struct Spot(Alignment Alignment, float OffsetX, float OffsetY);

    private const float Gap = 7;
    private const float Lift = 10;
    private const float PointRadius = 5;

    private static readonly Spot[] Candidates =
    [
        new(Alignment.MiddleLeft, Gap, 0),
        new(Alignment.MiddleLeft, Gap - 1, -Lift),
        new(Alignment.MiddleLeft, Gap - 1, Lift),
        new(Alignment.MiddleRight, -Gap, 0),
        new(Alignment.MiddleRight, -Gap + 1, -Lift),
        new(Alignment.MiddleRight, -Gap + 1, Lift),
        new(Alignment.LowerCenter, 0, -Gap),
        new(Alignment.UpperCenter, 0, Gap),
    ];

    /// <summary>Spots for <paramref name="items"/> in the same order, within a data area of the given size; earlier items choose first.</summary>
    public static Spot[] Place(IReadOnlyList<Item> items, float areaWidth, float areaHeight)
    {
        var taken = items.Select(i => Box(i.X - PointRadius, i.Y - PointRadius, 2 * PointRadius, 2 * PointRadius)).ToList();
        var spots = new Spot[items.Count];
        for (int k = 0; k < items.Count; k++)
        {
            var item = items[k];
            var best = Candidates[0];
            double bestCost = double.MaxValue;
            foreach (var spot in Candidates)
            {
                var box = LabelBox(item, spot);
                double cost = taken.Sum(t => Overlap(box, t)) + (10 * Outside(box, areaWidth, areaHeight));
                if (cost < bestCost - 0.01)
                {
                    (best, bestCost) = (spot, cost);
                }

                if (cost == 0)
                {
                    break;
                }
            }

            spots[k] = best;
            taken.Add(LabelBox(item, best));
        }

        return spots;
    }

    private static (float Left, float Top, float Right, float Bottom) LabelBox(Item item, Spot spot)
    {
        float x = item.X + spot.OffsetX;
        float y = item.Y + spot.OffsetY;
        float left = spot.Alignment switch
        {
            Alignment.MiddleLeft => x,
            Alignment.MiddleRight => x - item.Width,
            _ => x - (item.Width / 2),
        };
        float top = spot.Alignment switch
        {
            Alignment.LowerCenter => y - item.Height,
            Alignment.UpperCenter => y,
            _ => y - (item.Height / 2),
        };
        return Box(left, top, item.Width, item.Height);
    }

    private static (float Left, float Top, float Right, float Bottom) Box(float left, float top, float width, float height) =>
        (left, top, left + width, top + height);

    private static double Overlap((float Left, float Top, float Right, float Bottom) a, (float Left, float Top, float Right, float Bottom) b)
    {
        double w = Math.Min(a.Right, b.Right) - Math.Max(a.Left, b.Left);
        double h = Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Top, b.Top);
        return w > 0 && h > 0 ? w * h : 0;
    }

    private static double Outside((float Left, float Top, float Right, float Bottom) box, float width, float height)
    {
        double area = (box.Right - box.Left) * (box.Bottom - box.Top);
        return area - Overlap(box, (0, 0, width, height));
    }
}
