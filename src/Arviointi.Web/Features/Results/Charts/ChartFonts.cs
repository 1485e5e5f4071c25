using System.Reflection;
using ScottPlot;
using SkiaSharp;

namespace Arviointi.Web.Features.Results.Charts;

/// <summary>
/// Gives ScottPlot the DejaVu Sans shipped in this assembly (Fonts/*.ttf, embedded resources), so charts
/// render with the same letters and metrics on a bare Linux server as on a desktop. Licence: Fonts/DejaVu-LICENSE.txt.
/// </summary>
internal sealed class ChartFonts : IFontResolver
{
    /// <summary>The family every chart asks for.</summary>
    public const string Family = "DejaVu Sans";

    private static readonly Lazy<ChartFonts> Registered = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    private ChartFonts(SKTypeface regular, SKTypeface bold)
    {
        Regular = regular;
        Bold = bold;
    }

    /// <summary>The shipped regular face; lives as long as the process (ScottPlot caches it).</summary>
    public SKTypeface Regular { get; }

    /// <summary>The shipped bold face.</summary>
    public SKTypeface Bold { get; }

    /// <summary>Registers the shipped faces with ScottPlot once; safe from any thread. Call before building a plot.</summary>
    public static ChartFonts EnsureRegistered() => Registered.Value;

    public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
        IsOurs(fontName) ? (weight >= FontWeight.SemiBold ? Bold : Regular) : null;

    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
        IsOurs(fontName) ? (bold ? Bold : Regular) : null;

    private static bool IsOurs(string fontName) => string.Equals(fontName, Family, StringComparison.OrdinalIgnoreCase);

    private static ChartFonts Register()
    {
        var fonts = new ChartFonts(Load("DejaVuSans"), Load("DejaVuSans-Bold"));

        // First in the list: a system DejaVu (another version, other metrics) must not win over the shipped one.
        // The list is only read while plots render, and no plot renders before this registration finishes.
        ScottPlot.Fonts.FontResolvers.Insert(0, fonts);
        ScottPlot.Fonts.Default = Family;
        ScottPlot.Fonts.Sans = Family;
        return fonts;
    }

    private static SKTypeface Load(string face)
    {
        var name = $"Arviointi.Web.Fonts.{face}.ttf";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Font resource {name} is missing from the assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        using var data = SKData.CreateCopy(buffer.ToArray());
        return SKTypeface.FromData(data)
            ?? throw new InvalidOperationException($"Font resource {name} is not a font SkiaSharp can read.");
    }
}
