using PdfSharp.Drawing;

namespace Arviointi.Web.Features.Shared;

/// <summary>Word wrapping for PDFsharp, which draws single lines only.</summary>
internal static class PdfText
{
    public static List<string> Wrap(XGraphics gfx, string text, XFont font, double width)
    {
        ArgumentNullException.ThrowIfNull(gfx);
        ArgumentNullException.ThrowIfNull(text);
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : $"{line} {word}";
            if (line.Length > 0 && gfx.MeasureString(candidate, font).Width > width)
            {
                lines.Add(line);
                line = word;
            }
            else
            {
                line = candidate;
            }
        }

        if (line.Length > 0)
        {
            lines.Add(line);
        }

        return lines;
    }
}
