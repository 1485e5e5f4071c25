namespace Arviointi.Web.Features.Answering;

/// <summary>The answer scales' labels (Finnish, the localizer's keys), for the form and the review alike.</summary>
internal static class ScaleLabels
{
    public static readonly IReadOnlyList<string> Agreement = ["Täysin eri mieltä", "Jokseenkin eri mieltä", "Ei samaa eikä eri mieltä", "Jokseenkin samaa mieltä", "Täysin samaa mieltä"];

    public static readonly IReadOnlyList<string> Smiley = ["Surullinen", "Siltä väliltä", "Iloinen"];
}
