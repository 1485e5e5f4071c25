using Arviointi.Surveys;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.YearView;

namespace Arviointi.Web.Features.Demo;

/// <summary>
/// The demo's years, chosen from the day it is created, so that a demo made on any day has an open ECEC round (the
/// coming evaluation year's) and a published basic-education round whose raw data is kept, with an earlier one before it.
/// The sectors follow <c>surveys/cycle.yaml</c>; a year past the cycle's last entry takes its surveys, focus module and
/// theme from the latest entry of the same sector (<see cref="ContentYear"/>).
/// </summary>
internal sealed record DemoYears(int Open, int Published, int Earlier)
{
    private const int Search = 12;

    public static DemoYears For(DateTimeOffset now, SurveyLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        var open = Find(YearPlan.EvaluationYearOf(Region.Day(now)), +1, y => library.SectorOf(y) == Sector.Ecec);
        var published = Find(open - 1, -1, y => library.SectorOf(y) == Sector.Basic && PublishAt(y) <= now);
        var earlier = Find(published - 1, -1, y => library.SectorOf(y) == Sector.Basic);
        return new DemoYears(open, published, earlier);
    }

    /// <summary>A closed demo round answered in January–February of its year.</summary>
    public static DateTimeOffset OpensAt(int year) => new(year, 1, 12, 6, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset ClosesAt(int year) => new(year, 2, 13, 14, 0, 0, TimeSpan.Zero);

    /// <summary>Results published in April, as the region publishes them.</summary>
    public static DateTimeOffset PublishAt(int year) => new(year, 4, 15, 6, 0, 0, TimeSpan.Zero);

    /// <summary>The cycle year whose surveys and theme a demo round of <paramref name="year"/> uses: the year itself when the cycle has it.</summary>
    public static int ContentYear(int year, SurveyLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        var sector = library.SectorOf(year);
        return library.Cycle.Any(y => y.Year == year)
            ? year
            : library.Cycle.Where(y => y.Sector == sector && y.Year < year && (y.FocusModule is not null || y.Theme is not null))
                .Select(y => y.Year).DefaultIfEmpty(year).Max();
    }

    private static int Find(int from, int step, Func<int, bool> fits)
    {
        for (var (year, tries) = (from, 0); tries < Search; year += step, tries++)
        {
            if (fits(year))
            {
                return year;
            }
        }

        throw new InvalidOperationException($"The demo needs an ECEC and a basic-education year near {from} in surveys/cycle.yaml.");
    }
}
