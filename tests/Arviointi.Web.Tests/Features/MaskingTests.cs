using Arviointi.Web.Features.OpenAnswers;

namespace Arviointi.Web.Tests.Features;

/// <summary>Personal data in open answers, masked before anyone reads them; ordinary words left alone.</summary>
public sealed class MaskingTests
{
    [Theory]
    [InlineData("Lapseni henkilötunnus on 131052-308T, korjatkaa rekisteri.", "Lapseni henkilötunnus on [henkilötunnus], korjatkaa rekisteri.")]
    [InlineData("Uuden vuosituhannen lapsi 010203A123B ja 311299+9875.", "Uuden vuosituhannen lapsi [henkilötunnus] ja [henkilötunnus].")]
    [InlineData("Vastatkaa: maija.meikalainen@example.fi kiitos", "Vastatkaa: [sähköposti] kiitos")]
    [InlineData("Soita 040 123 4567 tai 040-1234567.", "Soita [puhelinnumero] tai [puhelinnumero].")]
    [InlineData("Numero +358 40 123 4567 ja (03) 814 4000.", "Numero [puhelinnumero] ja [puhelinnumero].")]
    [InlineData("Asumme osoitteessa Koulukatu 5 B 12 Lahdessa.", "Asumme osoitteessa [osoite] Lahdessa.")]
    [InlineData("Vastapäätä Mannerheimintie 12:ta ei ole valoja.", "Vastapäätä [osoite]:ta ei ole valoja.")]
    [InlineData("Opettaja Mikko Virtanen on ihana, Mikon tunneilla viihdytään.", "Opettaja [nimi] [nimi] on ihana, [nimi] tunneilla viihdytään.")]
    [InlineData("Kiitos Annalle ja Niemisen Sannalle!", "Kiitos [nimi] ja [nimi] [nimi]!")]
    [InlineData("Ellas lärare Erik är bra.", "[nimi] lärare [nimi] är bra.")]
    public void Personal_data_is_replaced_by_what_it_was(string text, string masked) =>
        Assert.Equal(masked, Masking.Mask(text));

    [Theory]
    [InlineData("Kaikki on hyvin ja koulu toimii.")]
    [InlineData("Koulumatka on pitkä, 3 km ja 15 minuuttia.")]
    [InlineData("Luokassa on 24 oppilasta vuonna 2026.")]
    [InlineData("Opettaja ja rehtori vastaavat viesteihin nopeasti.")]
    [InlineData("Kalenteri ja viestit ovat selkeitä.")]
    public void Ordinary_text_and_small_numbers_are_left_alone(string text) =>
        Assert.Equal(text, Masking.Mask(text));
}
