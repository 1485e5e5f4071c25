using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Arviointi.Web.TagHelpers;

/// <summary>
/// <c>&lt;table scroll-label="…"&gt;</c>: a wide table that scrolls sideways in a region of its own on a narrow screen, so the
/// page itself never does and no column is dropped. The region can take keyboard focus (arrow keys scroll it) and is named
/// by the label, as WCAG 2.1 (1.4.10, 2.1.1) and axe's scrollable-region-focusable ask.
/// </summary>
[HtmlTargetElement("table", Attributes = LabelAttribute)]
public sealed class ScrollTableTagHelper : TagHelper
{
    private const string LabelAttribute = "scroll-label";

    /// <summary>What the scrolling region is called to a screen reader, e.g. the table's caption.</summary>
    [HtmlAttributeName(LabelAttribute)]
    public string Label { get; set; } = "";

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var region = new TagBuilder("div");
        region.AddCssClass("table-scroll");
        region.Attributes["role"] = "region";
        region.Attributes["tabindex"] = "0";
        region.Attributes["aria-label"] = Label;
        region.TagRenderMode = TagRenderMode.StartTag;
        output.PreElement.AppendHtml(region);
        output.PostElement.AppendHtml("</div>");
    }
}
