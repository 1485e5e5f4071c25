using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Arviointi.Surveys;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Arviointi.Web.Tests.BrowserTests;

/// <summary>
/// A child group with one adult, timed in a real browser: the group code entered once, then twenty children answer the
/// child survey one after another, each screen chosen and sent, "Seuraava lapsi" between them; once by keyboard alone
/// and once by touch on a phone. A child who stops half-way leaves nothing behind, and the listen button says when the
/// browser has no voice.
/// </summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed class ChildGroupTests(ChildGroupTests.Fixture app, ITestOutputHelper output) : IClassFixture<ChildGroupTests.Fixture>
{
    private const int Children = 20;
    private const string SurveyId = "ecec-child";

    // Measured: 53 keystrokes and 46 taps a child (this test's output); a Tab more on any screen, or a lost autofocus, breaks these.
    private const double KeystrokesPerChildAtMost = 56;
    private const double TapsPerChildAtMost = 48;

    /// <summary>The ECEC 2027 round as the cycle plans it (with its participation module), and group codes of twenty children.</summary>
    public sealed class Fixture : BrowserFixture
    {
        private readonly Queue<string> codes = [];

        public int RoundId { get; private set; }

        /// <summary>An unused group code of a child group of <see cref="Children"/>.</summary>
        public string GroupCode()
        {
            lock (codes)
            {
                return codes.Dequeue();
            }
        }

        protected override async Task SeedAsync()
        {
            var now = Clock.GetUtcNow();
            var unit = await TestData.UnitAsync(this, "398", "Päiväkoti Lapsiryhmä");
            var round = await WithScopeAsync(async services =>
            {
                var (created, errors) = await services.GetRequiredService<RoundAdmin>().CreateFromCycleAsync(2027, now.AddMinutes(-1), now.AddDays(20), "testi");
                Assert.Empty(errors);
                return created!;
            });
            RoundId = round.Id;
            var order = new CodeOrder(round.Id, unit.Id, RespondentGroup.Child, 3, AccessCodeKind.Group, UsesPerCode: Children);
            foreach (var code in await WithScopeAsync(services => services.GetRequiredService<RoundAdmin>().IssueCodesAsync(order, "testi")))
            {
                codes.Enqueue(code);
            }

            await TestData.ReconcileAsync(this);
        }
    }

    /// <summary>What has the keyboard, where the adult is, and whether the screen shows any answer.</summary>
    private sealed class Probe
    {
        public string Path { get; set; } = "";
        public string Id { get; set; } = "";
        public string Tag { get; set; } = "";
        public string Type { get; set; } = "";
        public string Text { get; set; } = "";
        public bool InSurvey { get; set; }
        public bool Checked { get; set; }
        public int Index { get; set; }
        public int Choices { get; set; }
        public int Screen { get; set; }
        public int Screens { get; set; }
        public bool AnyChecked { get; set; }
        public bool Visible { get; set; }
    }

    private const string ProbeScript = """
        () => {
          const e = document.activeElement || document.body;
          const form = e.closest ? e.closest('form') : null;
          const group = e.type === 'radio' && form ? Array.from(form.querySelectorAll('input[name="' + CSS.escape(e.name) + '"]')) : [];
          const outlined = (n) => { if (!n) return false; const s = getComputedStyle(n); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && s.opacity !== '0'; };
          const progress = document.querySelector('progress');
          return {
            path: location.pathname,
            id: e.id || '',
            tag: e.tagName.toLowerCase(),
            type: e.type || '',
            text: (e.innerText || '').trim(),
            inSurvey: !!(e.closest && e.closest('form.survey')),
            checked: !!e.checked,
            index: group.indexOf(e),
            choices: group.length,
            screen: progress ? progress.value : 0,
            screens: progress ? progress.max : 0,
            anyChecked: !!document.querySelector('form.survey input:checked'),
            visible: e === document.body || outlined(e) || outlined(e.closest('label')),
          };
        }
        """;

    /// <summary>A child's screen as the adult with a phone finds it.</summary>
    private sealed class Screen
    {
        public int Items { get; set; }
        public int Number { get; set; }
        public string Kind { get; set; } = "";
        public int Choices { get; set; }
        public bool AnyChecked { get; set; }
    }

    private const string ScreenScript = """
        () => {
          const items = document.querySelectorAll('form.survey fieldset.item');
          const item = items[0];
          const progress = document.querySelector('progress');
          return {
            items: items.length,
            number: progress ? progress.value : 0,
            kind: item && item.classList.contains('smiley') ? 'smiley' : 'choice',
            choices: item ? item.querySelectorAll('label').length : 0,
            anyChecked: !!document.querySelector('form.survey input:checked'),
          };
        }
        """;

    /// <summary>The choice a child makes on a screen: varied, so children differ and every face is reached.</summary>
    private static int Choice(int child, int screen, int choices) => ((child * 7) + screen) % choices;

    [Fact]
    public async Task A_group_of_twenty_children_answers_with_one_adult_by_keyboard_and_by_touch()
    {
        var start = await ResponseCountAsync();
        var keyboard = await KeyboardGroupAsync();
        Assert.Equal(start + Children, await ResponseCountAsync());
        var touch = await TouchGroupAsync();
        Assert.Equal(start + (2 * Children), await ResponseCountAsync());

        // Every child sent deleted their draft, and the one who stopped half-way had theirs deleted before the next began.
        await using (var db = app.CreateDbContext())
        {
            Assert.Equal(0, await db.Drafts.CountAsync(d => d.RoundId == app.RoundId));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"keyboard: {keyboard.PerChild:0.#} keystrokes/child, {keyboard.Seconds / Children:0.00} s/child; touch: {touch.PerChild:0.#} taps/child ({touch.Seconds / Children:0.00} s/child)"));
        Assert.True(keyboard.PerChild <= KeystrokesPerChildAtMost, $"{keyboard.PerChild} keystrokes a child, more than {KeystrokesPerChildAtMost}.");
        Assert.True(touch.PerChild <= TapsPerChildAtMost, $"{touch.PerChild} taps a child, more than {TapsPerChildAtMost}.");
    }

    private sealed record Figures(double PerChild, double Seconds);

    /// <summary>
    /// The adult at a computer: the code typed once, then for each child arrows (or Space) choose and Enter goes on, with
    /// the keyboard already on the question of each screen, on the send of the review and on "Seuraava lapsi".
    /// </summary>
    private async Task<Figures> KeyboardGroupAsync()
    {
        var page = await app.NewPageAsync();
        var visited = Visits(page);
        try
        {
            await page.GotoAsync("/vastaa");
            // The code once for the whole group: Tab to its field, type it, Enter. Not counted as any child's keystrokes.
            var code = app.GroupCode();
            var codeKeys = code.Length + 1;
            Probe focus;
            while ((focus = await page.EvaluateAsync<Probe>(ProbeScript)).Id != "code")
            {
                Assert.True(codeKeys++ < 40, "Tab never reached the code field.");
                await page.Keyboard.PressAsync("Tab");
            }

            await page.Keyboard.TypeAsync(code);
            await PressAsync(page, "Enter", navigates: true);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"keyboard: the group code took {codeKeys} keystrokes, once"));

            // One look at the focus per page (it must be visible, and on a fresh screen nothing chosen), then the keys the
            // choice takes from there: Space for the first, arrows to another (each checks as it moves), Enter to go on.
            var keys = 0;
            var sent = 0;
            var log = new List<string>();
            var clock = Stopwatch.StartNew();
            for (var step = 0; sent < Children; step++)
            {
                Assert.True(step < Children * 100, $"The keyboard run did not end; last keys:\n{string.Join('\n', log.TakeLast(30))}");
                focus = await page.EvaluateAsync<Probe>(ProbeScript);
                Assert.True(focus.Visible, $"Keyboard focus is not visible on <{focus.Tag} {focus.Type} {focus.Id}> at {page.Url}.");
                Assert.False(focus.AnyChecked, $"Child {sent + 1} found an answer chosen on screen {focus.Screen} ({page.Url}).");
                if (sent == 0 && focus.Screen == 2)
                {
                    // The touch run checks every kind of screen on a phone; this is a face screen on a computer.
                    await ExceptTimedAsync(clock, true, () => AssertAccessibleAsync(page, "a child's face screen at 1280 px"));
                }

                List<string> press;
                switch (focus.Path)
                {
                    case "/vastaa/kysely" when focus.InSurvey && focus.Type == "radio":
                        var target = Choice(sent, focus.Screen, focus.Choices);
                        press = focus.Index == target ? ["Space"] : [.. Enumerable.Repeat(focus.Index < target ? "ArrowRight" : "ArrowLeft", Math.Abs(target - focus.Index))];
                        press.Add("Enter");
                        break;
                    case "/vastaa/yhteenveto" when focus.Tag == "button" && focus.Text == "Lähetä vastaukset":
                        Assert.Equal(0, await page.GetByText("ei vastausta", new() { Exact = true }).CountAsync());
                        press = ["Enter"];
                        break;
                    case "/vastaa/kiitos":
                        sent++;
                        if (sent == Children)
                        {
                            await Expect(page.GetByText(NextRespondentModel.GroupUsedUp)).ToBeVisibleAsync();
                            continue;
                        }

                        Assert.Equal("Seuraava lapsi", focus.Text);
                        press = ["Enter"];
                        break;
                    default:
                        press = ["Tab"];
                        break;
                }

                log.Add($"child {sent + 1} {focus.Path} screen {focus.Screen} <{focus.Tag} {focus.Type} #{focus.Index}> {string.Join(' ', press)}");
                for (var i = 0; i < press.Count; i++)
                {
                    keys++;
                    await PressAsync(page, press[i], navigates: press[i] == "Enter");
                }
            }

            clock.Stop();
            Assert.Equal(1, visited.Count(path => path == "/vastaa"));
            return new((double)keys / Children, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>
    /// The adult with a phone: the code entered once, then for each child a tap on the chosen picture and one on "Seuraava"
    /// per screen, one on the send and one on "Seuraava lapsi". The first child's screens are checked with axe, and
    /// the eleventh child stops half-way: the adult starts the next one from the survey page.
    /// </summary>
    private async Task<Figures> TouchGroupAsync()
    {
        var page = await app.NewPageAsync(360, 740, touch: true);
        var visited = Visits(page);
        try
        {
            await page.GotoAsync("/vastaa");
            await page.GetByLabel("Vastauskoodi", new() { Exact = true }).FillAsync(app.GroupCode());
            await TapAndLeaveAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Aloita", Exact = true }));

            var taps = 0;
            var clock = Stopwatch.StartNew();
            for (var child = 0; child < Children; child++)
            {
                if (child == Children / 2)
                {
                    clock.Stop();
                    await StopHalfWayAsync(page);
                    clock.Start();
                }

                var first = child == 0;
                taps += await TapThroughScreensAsync(page, child, int.MaxValue, first ? clock : null);
                Assert.EndsWith("/vastaa/yhteenveto", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
                Assert.Equal(0, await page.GetByText("ei vastausta", new() { Exact = true }).CountAsync());
                await ExceptTimedAsync(clock, first, () => AssertAccessibleAsync(page, "the review of a child's answers"));
                taps++;
                await TapAndLeaveAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Lähetä vastaukset", Exact = true }));
                await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Kiitos vastauksestasi!");
                await ExceptTimedAsync(clock, first, () => AssertAccessibleAsync(page, "the thank-you page of a child group"));
                if (child < Children - 1)
                {
                    taps++;
                    await TapAndLeaveAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Seuraava lapsi", Exact = true }));
                }
            }

            clock.Stop();
            await Expect(page.GetByText(NextRespondentModel.GroupUsedUp)).ToBeVisibleAsync();
            Assert.Equal(1, visited.Count(path => path == "/vastaa"));
            return new((double)taps / Children, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>
    /// A child answers two screens and stops on the third; the adult taps "stop and start the next child" there, is told
    /// the answers will be deleted, and confirms. The next child starts on an empty first screen.
    /// </summary>
    private async Task StopHalfWayAsync(IPage page)
    {
        var before = await ResponseCountAsync();
        await TapThroughScreensAsync(page, Children, 2, null);
        await Expect(page.Locator("progress")).ToHaveAttributeAsync("value", "3");
        await TapAndLeaveAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Lopeta ja aloita seuraava lapsi", Exact = true }));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Seuraava lapsi");
        await Expect(page.GetByText("Tämän vastaajan vastauksia ei ole lähetetty.")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "the next child's confirmation after a child stopped half-way");
        await TapAndLeaveAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Poista vastaukset ja aloita seuraava", Exact = true }));
        await Expect(page.Locator("progress")).ToHaveAttributeAsync("value", "1");
        Assert.Equal(before, await ResponseCountAsync());
    }

    /// <summary>
    /// Taps a child through the survey's screens (at most <paramref name="screens"/>), checking that each arrives with
    /// nothing chosen; returns the taps. With <paramref name="firstChild"/>'s clock, each kind of screen is checked with
    /// axe (off the clock) and the listen button is pressed once.
    /// </summary>
    private static async Task<int> TapThroughScreensAsync(IPage page, int child, int screens, Stopwatch? firstChild)
    {
        var taps = 0;
        var seen = new HashSet<string>();
        for (var screen = 1; screen <= screens && new Uri(page.Url).AbsolutePath == "/vastaa/kysely"; screen++)
        {
            var shown = await page.EvaluateAsync<Screen>(ScreenScript);
            Assert.True(shown.Items == 1, $"Child {child + 1}'s screen {screen} has {shown.Items} questions.");
            Assert.Equal(screen, shown.Number);
            Assert.False(shown.AnyChecked, $"Child {child + 1} found an answer chosen on arriving at screen {screen}.");

            var item = page.Locator("form.survey fieldset.item");
            if (firstChild is not null && seen.Add(shown.Kind))
            {
                await ExceptTimedAsync(firstChild, true, async () =>
                {
                    await AssertAccessibleAsync(page, $"a child's screen ({shown.Kind})");
                    if (shown.Kind == "smiley")
                    {
                        // Headless Chromium has no speech voice: the button says so instead of doing nothing.
                        await item.GetByRole(AriaRole.Button, new() { Name = "Kuuntele kysymys" }).TapAsync();
                        await Expect(item.Locator(".read-aloud-status")).ToHaveTextAsync("Tässä selaimessa ei ole puheääntä tälle kielelle. Lue kysymys lapselle ääneen.");
                        await AssertAccessibleAsync(page, "a child's screen saying the browser has no voice");
                    }
                });
            }

            taps++;
            await item.Locator("label").Nth(Choice(child, screen, shown.Choices)).TapAsync();
            taps++;
            await TapAndLeaveAsync(page, page.Locator($"form.survey button[name=suunta][value={SurveyModel.Next}]"));
        }

        return taps;
    }

    [Fact]
    public async Task A_listen_press_waits_from_that_moment_for_voices_that_arrive_late()
    {
        var page = await app.NewPageAsync(360, 740, touch: true);
        try
        {
            // A speech synthesis whose Finnish voice arrives only when the test says, as Chromium's arrive a moment after asking.
            await page.AddInitScriptAsync("""
                (() => {
                  const synth = new EventTarget();
                  let voices = [];
                  synth.spoken = [];
                  synth.getVoices = () => voices;
                  synth.cancel = () => {};
                  synth.speak = (utterance) => synth.spoken.push(utterance.text);
                  window.voicesArrive = () => { voices = [{ lang: 'fi-FI', name: 'testi' }]; synth.dispatchEvent(new Event('voiceschanged')); };
                  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
                  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
                })();
                """);
            await page.GotoAsync("/vastaa");
            await page.GetByLabel("Vastauskoodi", new() { Exact = true }).FillAsync(app.GroupCode());
            await TapAndLeaveAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Aloita", Exact = true }));
            var status = page.Locator(".read-aloud-status");

            // Pressed well after the page's scripts ran (deferred, before DOMContentLoaded ends), with the voice arriving
            // 200 ms after the press: the press waits for it.
            await page.EvaluateAsync("""
                async () => {
                  await new Promise((r) => document.readyState === 'loading' ? document.addEventListener('DOMContentLoaded', r) : r());
                  const loaded = performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd;
                  while (performance.now() < loaded + 700) await new Promise((r) => setTimeout(r, 50));
                  document.querySelector('button.read-aloud').click();
                  setTimeout(window.voicesArrive, 200);
                }
                """);
            await page.WaitForFunctionAsync("() => window.speechSynthesis.spoken.length > 0 || document.querySelector('.read-aloud-status').textContent !== ''");
            Assert.Equal("", await status.TextContentAsync());
            Assert.Equal(["Kuinka vanha olet?"], await page.EvaluateAsync<string[]>("() => window.speechSynthesis.spoken"));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>The main-frame paths the page goes through, in order.</summary>
    private static ConcurrentQueue<string> Visits(IPage page)
    {
        var visited = new ConcurrentQueue<string>();
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame)
            {
                visited.Enqueue(new Uri(frame.Url).AbsolutePath);
            }
        };
        return visited;
    }

    private static async Task PressAsync(IPage page, string key, bool navigates)
    {
        var before = page.Url;
        await page.Keyboard.PressAsync(key);
        if (navigates)
        {
            await BrowserFixture.LeftAsync(page, before);
        }
    }

    private static async Task TapAndLeaveAsync(IPage page, ILocator target)
    {
        var before = page.Url;
        await target.TapAsync();
        await BrowserFixture.LeftAsync(page, before);
    }

    /// <summary>Runs <paramref name="check"/> (when <paramref name="run"/>) with the clock stopped, so checks do not count as the children's time.</summary>
    private static async Task ExceptTimedAsync(Stopwatch clock, bool run, Func<Task> check)
    {
        if (!run)
        {
            return;
        }

        clock.Stop();
        await check();
        clock.Start();
    }

    private static async Task AssertAccessibleAsync(IPage page, string what)
    {
        await BrowserFixture.AssertNoAxeViolationsAsync(page, what);
        await BrowserFixture.AssertNoSidewaysScrollingAsync(page, what);
    }

    private async Task<int> ResponseCountAsync()
    {
        await using var db = app.CreateDbContext();
        return (await PendingResponses.CountsAsync(db, app.RoundId, CancellationToken.None)).Where(c => c.Group == RespondentGroup.Child).Sum(c => c.Count);
    }
}
