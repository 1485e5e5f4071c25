namespace Arviointi.Web.Features.Organisation;

/// <summary>The ten municipalities of Päijät-Häme (DOMAIN.md): reference data present in every installation.</summary>
internal static class Region
{
    public const string NameFi = "Päijät-Häme";

    /// <summary>Finnish time: rounds are planned in it, and a "day" (answer dates, daily figures) is a day in it.</summary>
    public static readonly TimeZoneInfo TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki");

    /// <summary>The Finnish calendar day of an instant.</summary>
    public static DateOnly Day(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

    /// <summary>An instant as Finnish wall-clock time, e.g. "12.2.2027 16:00".</summary>
    public static string LocalText(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, TimeZone).ToString("d.M.yyyy HH:mm", System.Globalization.CultureInfo.GetCultureInfo("fi"));

    public static IReadOnlyList<Municipality> Municipalities() =>
    [
        new() { Code = "398", NameFi = "Lahti", NameSv = "Lahtis", Population = 121_000 },
        new() { Code = "098", NameFi = "Hollola", NameSv = "Hollola", Population = 23_000 },
        new() { Code = "111", NameFi = "Heinola", NameSv = "Heinola", Population = 18_500 },
        new() { Code = "560", NameFi = "Orimattila", NameSv = "Orimattila", Population = 16_000 },
        new() { Code = "016", NameFi = "Asikkala", NameSv = "Asikkala", Population = 7_900 },
        new() { Code = "142", NameFi = "Iitti", NameSv = "Itis", Population = 6_500 },
        new() { Code = "316", NameFi = "Kärkölä", NameSv = "Kärkölä", Population = 4_300 },
        new() { Code = "781", NameFi = "Sysmä", NameSv = "Sysmä", Population = 3_500 },
        new() { Code = "576", NameFi = "Padasjoki", NameSv = "Padasjoki", Population = 2_700 },
        new() { Code = "081", NameFi = "Hartola", NameSv = "Gustav Adolfs", Population = 2_700 },
    ];
}
