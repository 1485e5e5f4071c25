using System.Globalization;
using System.Resources;

namespace Arviointi.Web.Features.Export;

/// <summary>
/// A UI text in Finnish, Swedish and English for the codebook and the Parquet labels, which are written in every
/// language at once (a request's localizer gives one): read from the same resources as the pages.
/// </summary>
internal static class DatasetTexts
{
    private static readonly ResourceManager Resources = new("Arviointi.Web.Resources.Features.Shared.SharedResource", typeof(DatasetTexts).Assembly);

    public static IReadOnlyDictionary<string, string> Of(string finnish) => new Dictionary<string, string>
    {
        ["fi"] = finnish,
        ["sv"] = Resources.GetString(finnish, CultureInfo.GetCultureInfo("sv")) ?? finnish,
        ["en"] = Resources.GetString(finnish, CultureInfo.GetCultureInfo("en")) ?? finnish,
    };
}
