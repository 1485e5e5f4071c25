using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Arviointi.Web.Features.Results.Charts;

/// <summary>Turns the SVG document SkiaSharp writes into markup that can sit inside an HTML page.</summary>
internal static partial class InlineSvg
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly XNamespace XLink = "http://www.w3.org/1999/xlink";

    /// <summary>
    /// Drops the XML declaration, adds role="img", aria-label, a title and a viewBox, names a generic fallback
    /// after DejaVu Sans, tidies the glyph position lists, and makes the ids unique to this chart's content.
    /// Text content and attributes stay XML-escaped, so labels from the database cannot become markup.
    /// </summary>
    public static string From(string document, string description, int width, int height)
    {
        var root = XDocument.Parse(document).Root
            ?? throw new InvalidOperationException("SkiaSharp wrote an SVG document without a root element.");

        foreach (var attribute in root.DescendantsAndSelf().SelectMany(e => e.Attributes()))
        {
            TidyAttribute(attribute);
        }

        // Several charts share one page, and Skia numbers its clip paths ("cl_4") per process: number them per
        // chart, then prefix a hash of the chart. The output stays deterministic; identical charts get identical
        // ids, which then also clip identically.
        var ordinals = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in root.DescendantsAndSelf().Attributes("id"))
        {
            ordinals[id.Value] = ordinals.Count.ToString(CultureInfo.InvariantCulture);
        }

        RenameIds(root, id => ordinals.GetValueOrDefault(id, id));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(root.ToString(SaveOptions.DisableFormatting)));
        var prefix = "c" + Convert.ToHexStringLower(hash.AsSpan(0, 5)) + "-";
        RenameIds(root, id => prefix + id);

        root.SetAttributeValue("viewBox", string.Create(CultureInfo.InvariantCulture, $"0 0 {width} {height}"));
        root.SetAttributeValue("role", "img");
        root.SetAttributeValue("aria-label", description);
        root.AddFirst(new XElement(Svg + "title", description));
        return root.ToString(SaveOptions.DisableFormatting);
    }

    private static void TidyAttribute(XAttribute attribute)
    {
        if (attribute.Name == "font-family")
        {
            attribute.Value = attribute.Value.Contains(ChartFonts.Family, StringComparison.Ordinal)
                ? $"'{ChartFonts.Family}', sans-serif"
                : attribute.Value + ", sans-serif";
        }
        else if (attribute.Name == "x" || attribute.Name == "y")
        {
            // Skia writes glyph positions as "1.5, 9.25, " – the trailing comma is not valid SVG number-list syntax.
            attribute.Value = string.Join(' ', attribute.Value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries));
        }
    }

    private static void RenameIds(XElement root, Func<string, string> rename)
    {
        foreach (var attribute in root.DescendantsAndSelf().SelectMany(e => e.Attributes()))
        {
            if (attribute.Name == "id")
            {
                attribute.Value = rename(attribute.Value);
            }
            else if ((attribute.Name == XLink + "href" || attribute.Name == "href") && attribute.Value.StartsWith('#'))
            {
                attribute.Value = "#" + rename(attribute.Value[1..]);
            }
            else if (attribute.Value.Contains("url(#", StringComparison.Ordinal))
            {
                attribute.Value = LocalUrl().Replace(attribute.Value, m => "url(#" + rename(m.Groups[1].Value) + ")");
            }
        }
    }

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex LocalUrl();
}
