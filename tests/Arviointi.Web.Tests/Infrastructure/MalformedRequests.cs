using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Arviointi.Web.Tests.Infrastructure;

/// <summary>A respondent's browser as the fuzz uses it: its cookies, its form token and the fields its survey pages show.</summary>
/// <param name="Fields">Field name → the values its page offers (empty for an open text).</param>
public sealed partial record FuzzSession(string Name, string Cookies, string Token, string Version, int Pages, IReadOnlyDictionary<string, IReadOnlyList<string>> Fields)
{
    /// <summary>Reads a respondent's cookies and walks its pages (GET only: nothing is saved) for their fields.</summary>
    public static async Task<FuzzSession> OfAsync(string name, Respondent respondent)
    {
        ArgumentNullException.ThrowIfNull(respondent);
        var fields = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var (token, version, pages) = ("", "", 0);
        for (var number = 1; number < 100; number++)
        {
            var (status, html, _, pageVersion) = await respondent.PageAsync(number);
            var shown = PageNumber().Match(html);
            if (status != HttpStatusCode.OK || !shown.Success || shown.Groups[1].Value != $"{number}")
            {
                break;
            }

            (token, version, pages) = (Browser.TokenIn(html), pageVersion, number);
            foreach (var group in Choice().Matches(html).GroupBy(m => m.Groups[1].Value))
            {
                fields[group.Key] = [.. group.Select(m => m.Groups[2].Value).Distinct()];
            }

            foreach (Match text in OpenText().Matches(html))
            {
                fields[text.Groups[1].Value] = [];
            }
        }

        Assert.True(pages > 0 && fields.Count > 0, $"{name}: no survey pages");
        var cookies = respondent.Browser.Cookies.GetCookieHeader(new Uri("http://localhost/vastaa/kysely"));
        return new FuzzSession(name, cookies, token, version, pages, fields);
    }

    [GeneratedRegex("Sivu (\\d+) / \\d+")]
    private static partial Regex PageNumber();

    [GeneratedRegex("name=\"(a_[^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex Choice();

    [GeneratedRegex("<textarea[^>]* name=\"(t_[^\"]+)\"")]
    private static partial Regex OpenText();
}

/// <summary>One generated request, described well enough to send it again by hand.</summary>
public sealed record FuzzRequest(string Description, HttpMethod Method, string Target, string? Cookies, byte[]? Body, string? ContentType)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, new Uri(new Uri("http://localhost"), Target));
        if (Cookies is not null)
        {
            message.Headers.TryAddWithoutValidation("Cookie", Cookies);
        }

        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        return message;
    }
}

/// <summary>
/// Malformed requests to every respondent endpoint, drawn from a seeded <see cref="Random"/>: forged, missing and
/// borrowed form tokens; absent, garbled and foreign cookies; huge, binary and out-of-range form values; unknown and
/// repeated fields; wrong methods and handlers; broken query strings, bodies and content types; random paths under
/// /vastaa; page numbers and languages that do not exist. About half carry a real respondent's session and form
/// token, so the pages' own handlers read them, not only the checks in front of them.
/// </summary>
public sealed class MalformedRequests(Random random, IReadOnlyList<FuzzSession> sessions, IReadOnlyList<FuzzSession> senders, IReadOnlyList<string> codes)
{
    private const string TokenField = "__RequestVerificationToken";

    /// <summary>Marks a value of random bytes, sent as raw percent escapes (mostly not UTF-8) instead of encoded text.</summary>
    private const char Raw = '\uE000';

    // No pool holds "Exception", "System." or a stack frame: a page that shows back what was posted must not look like a leak.
    private static readonly string[] Garbage =
    [
        "", " ", "0", "-1", "2147483648", "99999999999999999999", "1e309", "NaN", "null", "undefined", "true", "[]", "{}",
        "<script>alert(1)</script>", "\"'><img src=x>", "../../etc/passwd", "%00", "%", "%%", "%G1", "+", "&", "=", ";", ",", "a[", "]", "a[b]",
        "ä", "Åland", "日本語", "العربية", "🎉", "👨‍👩‍👧", "\u202Eabc", "\u200B", "\0", "a\0b", "\r\n", "\t", "\u0085", "\uFFFD", "\uFEFF",
        "eos", "EOS", "3-5", "6", "5", "1", "0x1", "٣", "１", " 4", "4 ", "4.0", "+4", "04", "255", "256", "65536",
        "seuraava", "edellinen", "yhteenveto", "fi", "sv", "en", "xx", "kaytetty", "paattynyt",
    ];

    private static readonly string[] Languages = ["fi", "sv", "en", "FI", "fi-FI", "se", "ar", "xx", "", " ", "fi;en", "fi\0", "ü", "english", "../fi", "<b>", new string('f', 300)];

    private static readonly string[] PageNumbers = ["1", "2", "3", "7", "8", "99", "0", "-1", "-2147483648", "2147483647", "2147483648", "1e3", "abc", "", " 2", "2.5", "0x2", "%00", "١"];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "FOO"];

    private static readonly string[] Paths =
    [
        "/vastaa", "/vastaa/", "/vastaa/kysely", "/vastaa/yhteenveto", "/vastaa/kiitos", "/vastaa/kysely/", "/vastaa/kysely/1",
        "/vastaa/x", "/vastaa/..", "/vastaa/%2e%2e/hallinta", "/vastaa/%01", "/vastaa/kysely%7F", "/vastaa/Survey", "/vastaa/_SurveyForm",
        "/vastaa/kysely.cshtml", "/vastaa//kysely", "/vastaa/kysely;x=1", "/vastaa/%E4%F6", "/vastaa/%FF%FE", "/vastaa/ä", "/VASTAA/KYSELY",
        "/vastaa/" + new string('a', 3000), "/vastaa/kysely/../yhteenveto", "/vastaa/kiitos/kaytetty", "/vastaa?Code=ABCDE-FGHJK",
        "/vastaa/seuraava-vastaaja",
    ];

    private static readonly string[] Handlers = ["Autosave", "autosave", "AUTOSAVE", "Autosave2", "", "Get", "Post", "Enter", "%00", "..", "Autosave&handler=x"];

    private static readonly string[] ContentTypes =
    [
        "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8", "application/x-www-form-urlencoded; charset=latin1",
        "application/x-www-form-urlencoded; charset=nonsense", "multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=x",
        "application/json", "text/plain", "text/html", "application/octet-stream", "", ";", "x/y; a=\"", "application/x-www-form-urlencoded, text/plain",
    ];

    private static readonly string[] CultureCookies = ["c=fi|uic=fi", "c=sv|uic=sv", "c=xx|uic=yy", "c=|uic=", "garbage", "c=fi-FI|uic=en-US", "c=ar|uic=ar", "%00"];

    /// <summary>The next request; <paramref name="sender"/> is the index of a sender session it may send, if any.</summary>
    public FuzzRequest Next(out int? sender)
    {
        sender = null;
        return random.Next(100) switch
        {
            < 12 => CodeEntry(),
            < 30 => SurveyPage(HttpMethod.Get),
            < 55 => SurveyPage(HttpMethod.Post),
            < 70 => Autosave(),
            < 76 => Review(out sender),
            < 80 => Thanks(),
            < 85 => LanguageSwitch(),
            < 93 => WrongMethodOrPath(),
            _ => BrokenBody(),
        };
    }

    private FuzzRequest CodeEntry()
    {
        var session = Pick(sessions);
        var code = random.Next(6) switch
        {
            0 => Pick(codes),
            1 => Pick(codes).ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal),
            2 => new string(Enumerable.Range(0, 10).Select(_ => "ABCDEFGHJKMNPQRSTUVWXYZ23456789"[random.Next(31)]).ToArray()),
            3 => Huge(),
            _ => Value(),
        };
        var fields = new List<(string, string)> { ("Code", code) };
        if (random.Next(5) == 0)
        {
            fields.Add(("Code", Value()));
        }

        return Post("code entry", "/vastaa" + Query(), session, fields);
    }

    private FuzzRequest SurveyPage(HttpMethod method)
    {
        var session = Pick(sessions);
        var target = $"/vastaa/kysely?sivu={Escape(Pick(PageNumbers))}" + (random.Next(2) == 0 ? $"&kieli={Escape(Pick(Languages))}" : "") + Query();
        return method == HttpMethod.Get
            ? new FuzzRequest($"survey page GET as {session.Name}", HttpMethod.Get, target, Cookies(session), null, null)
            : Post("survey page POST", target, session, AnswerFields(session));
    }

    private FuzzRequest Autosave()
    {
        var session = Pick(sessions);
        var handler = random.Next(3) == 0 ? Pick(Handlers) : "Autosave";
        return Post("autosave", $"/vastaa/kysely?handler={handler}&sivu={Escape(Pick(PageNumbers))}" + Query(), session, AnswerFields(session));
    }

    /// <summary>The review page. A respondent's own session is sent only with a broken token (sending would end it); a sender's may be sent.</summary>
    private FuzzRequest Review(out int? sender)
    {
        sender = null;
        var target = "/vastaa/yhteenveto" + (random.Next(2) == 0 ? $"?kieli={Escape(Pick(Languages))}" : "") + Query();
        if (random.Next(3) == 0)
        {
            return new FuzzRequest("review GET", HttpMethod.Get, target, Cookies(Pick(sessions)), null, null);
        }

        if (random.Next(2) == 0)
        {
            var index = random.Next(senders.Count);
            sender = index;
            var fields = new List<(string, string)> { (TokenField, senders[index].Token), ("kieli", Pick(Languages)) };
            fields.AddRange(Enumerable.Range(0, random.Next(4)).Select(_ => (Pick(Garbage), Value())));
            return new FuzzRequest($"send as {senders[index].Name}", HttpMethod.Post, target, senders[index].Cookies, Encoding.ASCII.GetBytes(Form(fields)), "application/x-www-form-urlencoded");
        }

        var session = Pick(sessions);
        var forged = new List<(string, string)> { ("kieli", Pick(Languages)) };
        if (random.Next(2) == 0)
        {
            forged.Add((TokenField, random.Next(2) == 0 ? Value() : Pick(sessions.Where(s => s != session).ToList()).Token));
        }

        return new FuzzRequest($"send with a forged token as {session.Name}", HttpMethod.Post, target, session.Cookies, Encoding.ASCII.GetBytes(Form(forged)), "application/x-www-form-urlencoded");
    }

    private FuzzRequest Thanks() =>
        new("thanks", HttpMethod.Get, $"/vastaa/kiitos?tila={Escape(Value())}" + Query(), Cookies(Pick(sessions)), null, null);

    private FuzzRequest LanguageSwitch()
    {
        var returnUrl = Pick(["/vastaa/kysely?sivu=2", "//evil.example", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "/%2F%2Fevil", "", "/vastaa\r\nSet-Cookie: x=1", "/" + new string('a', 5000), Value()]);
        // A NUL in the path never reaches the app: Kestrel refuses it, and the test host's client throws.
        var language = Pick(Languages).Replace("\0", "", StringComparison.Ordinal);
        return new FuzzRequest("language switch", HttpMethod.Get, $"/kieli/{Escape(language)}?returnUrl={Escape(returnUrl)}" + Query(), Cookies(Pick(sessions)), null, null);
    }

    private FuzzRequest WrongMethodOrPath()
    {
        var session = Pick(sessions);
        var method = new HttpMethod(Pick(Methods));
        var fields = new List<(string, string)> { ("suunta", "seuraava"), ("versio", session.Version) };
        if (random.Next(2) == 0)
        {
            fields.Add((TokenField, session.Token));
        }

        var body = method == HttpMethod.Get || method == HttpMethod.Head ? null : Encoding.ASCII.GetBytes(Form(fields));
        return new FuzzRequest($"{method} {(body is null ? "" : "with a form ")}as {session.Name}", method, Pick(Paths) + Query(), Cookies(session), body, body is null ? null : "application/x-www-form-urlencoded");
    }

    private FuzzRequest BrokenBody()
    {
        var session = Pick(sessions);
        var target = Pick(["/vastaa", "/vastaa/kysely?sivu=1", "/vastaa/kysely?handler=Autosave", "/vastaa/yhteenveto"]);
        var valid = Form([(TokenField, session.Token), ("suunta", "seuraava"), ("versio", session.Version), .. AnswerFields(session).Skip(3)]);
        byte[] body = random.Next(7) switch
        {
            0 => Bytes(random.Next(1, 4096)),
            1 => Encoding.ASCII.GetBytes(valid[..random.Next(valid.Length + 1)]),
            2 => Encoding.ASCII.GetBytes(string.Join('&', Enumerable.Range(0, 1100).Select(i => $"a_x{i}=1")) + $"&{TokenField}={Uri.EscapeDataString(session.Token)}"),
            3 => Multipart(session, random.Next(2) == 0),
            4 => Encoding.ASCII.GetBytes("{\"suunta\": \"seuraava\", \"a_vk_h_001\": 4}"),
            5 => Encoding.ASCII.GetBytes($"{TokenField}={Uri.EscapeDataString(session.Token)}&t_vk_h_open={new string('x', random.Next(4) == 0 ? 5 * 1024 * 1024 : 100_000)}"),
            _ => [.. Encoding.ASCII.GetBytes(valid), .. Bytes(random.Next(1, 64))],
        };
        var contentType = random.Next(3) == 0 ? Pick(ContentTypes) : "application/x-www-form-urlencoded";
        return new FuzzRequest($"broken body ({body.Length} B, {contentType}) as {session.Name}", HttpMethod.Post, target, Cookies(session), body, contentType);
    }

    private FuzzRequest Post(string what, string target, FuzzSession session, List<(string, string)> fields)
    {
        var token = random.Next(16) switch
        {
            0 => null,
            1 => Value(),
            2 => Pick(sessions.Where(s => s != session).ToList()).Token,
            3 => session.Token[..random.Next(session.Token.Length)],
            _ => session.Token,
        };
        if (token is not null)
        {
            fields.Insert(random.Next(fields.Count + 1), (TokenField, token));
        }

        if (random.Next(20) == 0)
        {
            fields.Add((TokenField, session.Token));
        }

        return new FuzzRequest($"{what} as {session.Name}", HttpMethod.Post, target, Cookies(session), Encoding.ASCII.GetBytes(Form(fields)), "application/x-www-form-urlencoded");
    }

    /// <summary>
    /// A third of the time a page a respondent could post (the survey's fields with values they offer), so that saving
    /// and moving on are fuzzed too; otherwise with values they do not offer, unknown, repeated or the wrong kind of fields.
    /// </summary>
    private List<(string, string)> AnswerFields(FuzzSession session)
    {
        var clean = random.Next(3) == 0;
        var fields = new List<(string, string)>();
        if (clean || random.Next(8) != 0)
        {
            fields.Add(("suunta", clean || random.Next(3) != 0 ? Pick(["seuraava", "edellinen"]) : Value()));
        }

        if (clean || random.Next(8) != 0)
        {
            fields.Add(("versio", clean || random.Next(4) != 0 ? session.Version : Value()));
        }

        var names = session.Fields.Keys.ToList();
        for (var n = random.Next(0, clean ? 4 : 13); n > 0; n--)
        {
            var name = clean || random.Next(6) != 0
                ? Pick(names)
                : Pick(["a_nope", "t_nope", "a_", "t_", "a_" + new string('x', 3000), "a_<b>", "t_" + Pick(names)[2..], "a_" + Pick(names)[2..] + "\0", "A_" + Pick(names)[2..], Pick(names) + "[", Pick(names) + "[0]", "[", Value()]);
            var offered = session.Fields.GetValueOrDefault(name) ?? [];
            var value = offered.Count > 0 && (clean || random.Next(2) == 0) ? Pick(offered)
                : name.StartsWith("t_", StringComparison.Ordinal) && (clean || random.Next(2) == 0) ? Text()
                : Value();
            fields.Add((name, value));
            if (!clean && random.Next(6) == 0)
            {
                fields.Add((name, offered.Count > 0 ? Pick(offered) : Value()));
            }
        }

        return fields;
    }

    /// <summary>Cookies mostly as the browser has them, sometimes none, garbled, cut, borrowed or with a bogus language.</summary>
    private string? Cookies(FuzzSession session)
    {
        var cookies = session.Cookies.Split("; ", StringSplitOptions.RemoveEmptyEntries).ToList();
        switch (random.Next(16))
        {
            case 0:
                return null;
            case 1:
                return AsciiGarbage(random.Next(1, 300));
            case 2:
                var at = random.Next(cookies.Count);
                var (name, value) = (cookies[at][..cookies[at].IndexOf('=', StringComparison.Ordinal)], cookies[at][(cookies[at].IndexOf('=', StringComparison.Ordinal) + 1)..]);
                cookies[at] = name + "=" + random.Next(4) switch
                {
                    0 => value[..random.Next(value.Length + 1)],
                    1 => Flip(value),
                    2 => AsciiGarbage(random.Next(0, 8000)),
                    _ => "",
                };
                break;
            case 3:
                cookies.RemoveAt(random.Next(cookies.Count));
                break;
            case 4:
                cookies.AddRange(Pick(sessions.Where(s => s != session).ToList()).Cookies.Split("; "));
                break;
            case 5:
                cookies.Add(".AspNetCore.Culture=" + Escape(Pick(CultureCookies)));
                break;
        }

        return string.Join("; ", cookies);
    }

    private string Query() => random.Next(8) switch
    {
        0 => "&" + Pick(["culture=xx", "ui-culture=zz", "culture=fi&ui-culture=ar", "sivu=2&sivu=3", "kieli=fi&kieli=sv", "%", "%%41", "&&&", "=x", "x=%E4", "a=" + new string('b', 4000), "handler=Autosave", "sivu[=2", "kieli[]=fi", "x]=1", "a[b=c"]),
        _ => "",
    };

    private string Value() => random.Next(20) switch
    {
        0 => Huge(),
        1 or 2 => Raw + Encoding.Latin1.GetString(Bytes(random.Next(1, 40))),
        _ => Pick(Garbage),
    };

    private string Text() => random.Next(4) switch
    {
        0 => new string(Pick(['x', 'ä', '€', '<', '"']), random.Next(990, 1010)),
        _ => string.Concat(Enumerable.Range(0, random.Next(1, 20)).Select(_ => Pick(Garbage))),
    };

    private string Huge() => new(Pick(['x', 'ä', '0']), random.Next(20) == 0 ? 200_000 : Pick([2_000, 20_000]));

    private string Flip(string value)
    {
        if (value.Length == 0)
        {
            return "x";
        }

        var chars = value.ToCharArray();
        var at = random.Next(chars.Length);
        chars[at] = chars[at] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    private string AsciiGarbage(int length) => new(Enumerable.Range(0, length).Select(_ => (char)random.Next(0x21, 0x7F)).Where(c => c != ';').ToArray());

    private byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private byte[] Multipart(FuzzSession session, bool broken)
    {
        const string boundary = "----fuzz";
        var body = new StringBuilder();
        foreach (var (name, value) in new List<(string, string)> { (TokenField, session.Token), ("versio", session.Version) }.Concat(AnswerFields(session)))
        {
            body.Append(CultureInfo.InvariantCulture, $"--{boundary}\r\nContent-Disposition: form-data; name=\"{name.Replace("\"", "", StringComparison.Ordinal)}\"\r\n\r\n{value}\r\n");
        }

        body.Append(broken ? $"--{boundary}\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nno end" : $"--{boundary}--\r\n");
        return Encoding.UTF8.GetBytes(body.ToString());
    }

    private T Pick<T>(IReadOnlyList<T> from) => from[random.Next(from.Count)];

    /// <summary>URL-encoded as a browser would, except that random bytes go in as raw percent escapes.</summary>
    private static string Form(IEnumerable<(string Name, string Value)> fields) => string.Join('&', fields.Select(f => Escape(f.Name) + "=" + Escape(f.Value)));

    private static string Escape(string value) =>
        value.StartsWith(Raw) ? string.Concat(Encoding.Latin1.GetBytes(value[1..]).Select(b => $"%{b:X2}")) : Uri.EscapeDataString(value);
}
