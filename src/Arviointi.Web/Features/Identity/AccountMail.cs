using System.Text;
using Arviointi.Web.Features.Notifications;
using Arviointi.Web.Features.Organisation;

namespace Arviointi.Web.Features.Identity;

/// <summary>
/// The invitation and password-reset messages, plain text, in the person's language (fi, sv or en; Finnish otherwise).
/// Each goes into the outbox under a key of its own, so a resent invitation is a new message.
/// </summary>
internal static class AccountMail
{
    /// <summary>The user claim that keeps the language the coordinator chose for the person's messages.</summary>
    public const string LanguageClaim = "arviointi:language";

    public static string Language(string? language) => language is "sv" or "en" ? language : "fi";

    public static OutgoingMail Invitation(AppUser user, string role, string link, DateTimeOffset expires, string? language, DateTimeOffset now)
    {
        var name = user.DisplayName;
        var until = Region.LocalText(expires);
        var (subject, body) = Language(language) switch
        {
            "sv" => ("Inbjudan till Arviointi",
                $"""
                Hej {name},

                Du har bjudits in till Arviointi, utvärderingstjänsten för bildningstjänsterna i Päijänne-Tavastland, som {RoleName(role, "sv")}.
                Ditt användarnamn är: {user.UserName}

                Välj ditt eget lösenord via den här länken:
                {link}

                Länken gäller till {until} (finsk tid) och fungerar en gång. Om länken har gått ut, be regionens koordinator om en ny inbjudan.
                Om du inte väntade dig det här meddelandet kan du lämna det utan åtgärd.
                """),
            "en" => ("Invitation to Arviointi",
                $"""
                Hello {name},

                You have been invited to Arviointi, the evaluation service of education services in Päijät-Häme, as {RoleName(role, "en")}.
                Your user name is: {user.UserName}

                Choose your own password with this link:
                {link}

                The link works until {until} (Finnish time), and only once. If it has expired, ask the regional coordinator for a new invitation.
                If you did not expect this message, you can ignore it.
                """),
            _ => ("Kutsu Arviointi-palveluun",
                $"""
                Hei {name},

                Sinut on kutsuttu Päijät-Hämeen sivistyspalvelujen arviointipalveluun Arviointiin roolissa {RoleName(role, "fi")}.
                Käyttäjätunnuksesi on: {user.UserName}

                Aseta oma salasanasi tästä linkistä:
                {link}

                Linkki on voimassa {until} asti (Suomen aikaa) ja toimii kerran. Jos linkki on vanhentunut, pyydä alueen koordinaattorilta uusi kutsu.
                Jos et odottanut tätä viestiä, voit jättää sen huomiotta.
                """),
        };
        return Mail($"invitation:{user.Id}:{Guid.NewGuid():n}", user, subject, body, language, now);
    }

    public static OutgoingMail PasswordReset(AppUser user, string link, DateTimeOffset expires, string? language, DateTimeOffset now)
    {
        var name = user.DisplayName;
        var until = Region.LocalText(expires);
        var (subject, body) = Language(language) switch
        {
            "sv" => ("Byte av lösenord – Arviointi",
                $"""
                Hej {name},

                Någon (förhoppningsvis du) bad om att byta lösenordet för användarnamnet {user.UserName} i Arviointi.
                Välj ett nytt lösenord via den här länken:
                {link}

                Länken gäller till {until} (finsk tid) och fungerar en gång. När lösenordet har bytts loggas alla andra sessioner ut.
                Om du inte bad om bytet kan du lämna meddelandet utan åtgärd: ditt lösenord ändras inte.
                """),
            "en" => ("Resetting your password – Arviointi",
                $"""
                Hello {name},

                Someone (hopefully you) asked to reset the password of the user name {user.UserName} in Arviointi.
                Choose a new password with this link:
                {link}

                The link works until {until} (Finnish time), and only once. Once the password is changed, every other session is signed out.
                If you did not ask for this, you can ignore this message: your password stays as it is.
                """),
            _ => ("Salasanan vaihtaminen – Arviointi",
                $"""
                Hei {name},

                Joku (toivottavasti sinä) pyysi vaihtamaan Arviointi-palvelun käyttäjätunnuksen {user.UserName} salasanan.
                Valitse uusi salasana tästä linkistä:
                {link}

                Linkki on voimassa {until} asti (Suomen aikaa) ja toimii kerran. Kun salasana on vaihdettu, kaikki muut istunnot kirjataan ulos.
                Jos et pyytänyt vaihtoa, voit jättää viestin huomiotta: salasanasi ei muutu.
                """),
        };
        return Mail($"reset:{user.Id}:{Guid.NewGuid():n}", user, subject, body, language, now);
    }

    public static string RoleName(string role, string language) => (role, Language(language)) switch
    {
        (Roles.Administrator, "sv") => "koordinator",
        (Roles.Administrator, "en") => "coordinator",
        (Roles.Administrator, _) => "koordinaattori",
        (Roles.Director, "sv") => "bildningsdirektör",
        (Roles.Director, "en") => "education director",
        (Roles.Director, _) => "sivistysjohtaja",
        (Roles.UnitLeader, "sv") => "enhetschef",
        (Roles.UnitLeader, "en") => "unit leader",
        (Roles.UnitLeader, _) => "yksikön johtaja",
        (Roles.Analyst, "sv") => "analytiker",
        (Roles.Analyst, "en") => "analyst",
        _ => "analyytikko",
    };

    private static OutgoingMail Mail(string key, AppUser to, string subject, string body, string? language, DateTimeOffset now) => new()
    {
        Key = key,
        ToAddress = to.Email!,
        ToName = to.DisplayName,
        Subject = subject,
        Body = new StringBuilder(body.ReplaceLineEndings("\n")).Append("\n\n").Append(Footer(language)).Append('\n').ToString(),
        CreatedAt = now,
        NextAttemptAt = now,
    };

    private static string Footer(string? language) => Language(language) switch
    {
        "sv" => "Detta är ett automatiskt meddelande från Arviointi.",
        "en" => "This is an automatic message from Arviointi.",
        _ => "Tämä on Arviointi-palvelun automaattinen viesti.",
    };
}
