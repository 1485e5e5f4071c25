using System.Text;
using System.Text.RegularExpressions;

namespace Arviointi.Surveys.Tests;

/// <summary>
/// Ways to break a survey file, from a slip of the keyboard to hostile input: byte flips, cut and repeated lines,
/// moved indentation, keys and values replaced by random scalars, words of the real files swapped around, garbage
/// characters, deep nesting, aliases, tags, document markers, other encodings and line endings. Each input stacks
/// one to three of them, drawn from a seeded <see cref="Random"/>, so a failure can be made again from its seed.
/// </summary>
internal static partial class SurveyFileMutations
{
    private static readonly string[] Scalars =
    [
        "", "~", "null", "true", "no", "yes", "0", "-1", "-0", "1e999", ".inf", "-.nan", "0x7FFFFFFF", "2147483648",
        "99999999999999999999999999", "1_000", "0o17", "'lainattu'", "\"a\\u0000b\"", "\"\\x\"", "[]", "{}", "[a, b]",
        "{fi: x}", "{fi: [x]}", "- x", "? x", ": ", "!!binary aGVsbG8=", "&a", "*a", "|", ">", "#", "@", "`", "%",
        "ääkkönen", "ÅÄÖ å", "🎉🎉", "\u202Egnp", "a\u0000b", "\uFEFF", "\u0085", "\u2028", "\uFFFE", "e\u0301\u0301",
        "fi", "sv", "en", "xx", "id", "items", "sections", "agreement", "smiley", "text", "ecec", "basic", "guardian",
        "child", "2027", "2026", new string('a', 5000),
    ];

    private static readonly string[] Exotic =
    [
        "\0", "\u0001", "\u001b", "\u007f", "\b", "\t", "\r", "\u0085", "\u2028", "\u2029", "\u200B", "\u200F", "\u202E",
        "\uFEFF", "\uFFFD", "\uFFFF", "\u0301", "🎉", "👨‍👩‍👧", "ß", "Ω", "日本", "العربية", "\uD800", "\uDFFF", "𝔘",
    ];

    private static readonly string[] Markers = ["---", "...", "--- !!map", "%YAML 1.2", "%YAML 9.9", "%TAG ! tag:x,2000:", "---\n---", "--- |"];

    private static readonly string[] Tags = ["!!str ", "!!int ", "!!seq ", "!!map ", "!!binary ", "!custom ", "!<tag:yaml.org,2002:int> ", "! "];

    private static readonly string[] Json = ["{\"fi\": [1, 2, {\"a\": null}], \"x\": true}", "[{\"id\": \"q\"}, 1.5e3, \"\\u00e4\"]", "{\"\": {}}", "[[], [[]], {}]"];

    private sealed record Mutation(string Name, Func<Random, byte[], byte[]> Apply);

    private static readonly Mutation[] All =
    [
        new("flip bits", (r, b) => Bytes(b, bytes =>
        {
            for (var n = r.Next(1, 9); n > 0 && bytes.Count > 0; n--)
            {
                var at = r.Next(bytes.Count);
                bytes[at] ^= (byte)(1 << r.Next(8));
            }
        })),
        new("random bytes", (r, b) => Bytes(b, bytes => bytes.InsertRange(r.Next(bytes.Count + 1), RandomBytes(r, r.Next(1, 65))))),
        new("cut bytes", (r, b) => b[..r.Next(b.Length + 1)]),
        new("delete bytes", (r, b) => Bytes(b, bytes =>
        {
            var at = r.Next(bytes.Count + 1);
            bytes.RemoveRange(at, Math.Min(bytes.Count - at, r.Next(1, 200)));
        })),
        new("utf-16", (r, b) =>
        {
            var encoding = r.Next(2) == 0 ? Encoding.Unicode : Encoding.BigEndianUnicode;
            return [.. (r.Next(2) == 0 ? encoding.GetPreamble() : []), .. encoding.GetBytes(Encoding.UTF8.GetString(b))];
        }),
        new("cut text", (r, b) => Text(b, t => t[..r.Next(t.Length + 1)])),
        new("delete lines", (r, b) => Lines(b, lines =>
        {
            var at = r.Next(lines.Count);
            lines.RemoveRange(at, Math.Min(lines.Count - at, r.Next(1, 6)));
        })),
        new("duplicate lines", (r, b) => Lines(b, lines =>
        {
            var at = r.Next(lines.Count);
            lines.InsertRange(at, lines.GetRange(at, Math.Min(lines.Count - at, r.Next(1, 6))));
        })),
        new("swap lines", (r, b) => Lines(b, lines =>
        {
            var (i, j) = (r.Next(lines.Count), r.Next(lines.Count));
            (lines[i], lines[j]) = (lines[j], lines[i]);
        })),
        new("move line", (r, b) => Lines(b, lines =>
        {
            var at = r.Next(lines.Count);
            var line = lines[at];
            lines.RemoveAt(at);
            lines.Insert(r.Next(lines.Count + 1), line);
        })),
        new("reindent", (r, b) => Lines(b, lines =>
        {
            var at = r.Next(lines.Count);
            var body = lines[at].TrimStart(' ');
            lines[at] = new string(' ', r.Next(2) == 0 ? 0 : Math.Max(0, lines[at].Length - body.Length + r.Next(-6, 7))) + body;
        })),
        new("tab in indentation", (r, b) => Lines(b, lines =>
        {
            var at = r.Next(lines.Count);
            lines[at] = "\t" + (lines[at].StartsWith(' ') ? lines[at][1..] : lines[at]);
        })),
        new("random key", (r, b) => Lines(b, lines => ReplaceIn(r, lines, KeyPattern(), Pick(r, Scalars)))),
        new("random value", (r, b) => Lines(b, lines => ReplaceIn(r, lines, ValuePattern(), Pick(r, Scalars)))),
        new("huge number", (r, b) => Lines(b, lines => ReplaceIn(r, lines, r.Next(2) == 0 ? NumberPattern() : ValuePattern(),
            Pick(r, ["99999999999999999999999999999", "2147483648", "-2147483649", "0", "-1", "1.5", "1e10", "0x10", "٣", "１２"])))),
        new("swap words", (r, b) => Text(b, t =>
        {
            var words = WordPattern().Matches(t);
            if (words.Count < 2)
            {
                return t;
            }

            var (from, to) = (words[r.Next(words.Count)], words[r.Next(words.Count)]);
            return string.Concat(t.AsSpan(0, from.Index), to.Value, t.AsSpan(from.Index + from.Length));
        })),
        new("unicode garbage", (r, b) => Text(b, t => t.Insert(r.Next(t.Length + 1), string.Concat(Enumerable.Range(0, r.Next(1, 21)).Select(_ => Pick(r, Exotic)))))),
        new("syntax character", (r, b) => Text(b, t => t.Insert(r.Next(t.Length + 1), Pick(r, [":", ": ", "- ", "[", "]", "{", "}", ",", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`", "#", "? ", "\\"])))),
        new("deep nesting", (r, b) => Lines(b, lines =>
        {
            var depth = Pick(r, [5, 33, 200, 5_000, 100_000]);
            var (open, close) = Pick(r, [("[", "]"), ("{a: ", "}"), ("- ", "")]);
            var nest = open == "- "
                ? string.Concat(Enumerable.Range(1, Math.Min(depth, 100)).Select(level => "\n" + new string(' ', level) + "- "))
                : string.Concat(Enumerable.Repeat(open, depth)) + "x" + (r.Next(2) == 0 ? string.Concat(Enumerable.Repeat(close, depth)) : "");
            ReplaceIn(r, lines, ValuePattern(), nest);
        })),
        new("empty", (r, _) => Encoding.UTF8.GetBytes(Pick(r, ["", " ", "\n", "---", "...", "~", "null", "[]", "{}", "# tyhjä", "\uFEFF", "0", "\"\"", "- ", ":"]))),
        new("anchor and alias", (r, b) => Lines(b, lines =>
        {
            switch (r.Next(5))
            {
                case 0:
                    ReplaceIn(r, lines, ValuePattern(), "*nowhere");
                    break;
                case 1:
                    ReplaceIn(r, lines, ValuePattern(), "&self [*self, x]");
                    break;
                case 2:
                    lines.Insert(r.Next(lines.Count + 1), "? [*a, *a]\n: b");
                    break;
                case 3:
                    lines.Insert(r.Next(lines.Count + 1), "<<: *a");
                    break;
                default:
                    // Each level ten aliases of the one below: hashing such a key took hours before GuardedParser.
                    lines.Insert(0, "l0: &l0 [x, x, x, x, x, x, x, x, x, x]");
                    for (var level = 1; level < 12; level++)
                    {
                        lines.Insert(level, $"l{level}: &l{level} [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 10))}]");
                    }

                    lines.Insert(12, "? [*l11, *l11]\n: bomb");
                    break;
            }
        })),
        new("tag", (r, b) => Lines(b, lines => ReplaceIn(r, lines, ValueStartPattern(), Pick(r, Tags)))),
        new("document marker", (r, b) => Lines(b, lines => lines.Insert(r.Next(lines.Count + 1), Pick(r, Markers)))),
        new("line endings", (r, b) => Text(b, t => t.Replace("\n", Pick(r, ["\r\n", "\r", "\u0085", "\u2028", "\n\n"]), StringComparison.Ordinal))),
        new("long line", (r, b) => Lines(b, lines => ReplaceIn(r, lines, ValuePattern(), new string(Pick(r, ['x', 'ä', '€', ' ', ':']), 100_000)))),
        new("block scalar", (r, b) => Lines(b, lines => ReplaceIn(r, lines, ValuePattern(), Pick(r, ["|", ">-", "|+", "|2", ">\n  rivi\n    sisennetty", "|\nei sisennystä"])))),
        new("json", (r, b) => Lines(b, lines => ReplaceIn(r, lines, ValuePattern(), Pick(r, Json)))),
    ];

    /// <summary>The file broken by one to three mutations, and their names.</summary>
    public static (byte[] Bytes, string Applied) Apply(Random random, byte[] original)
    {
        var bytes = original;
        var applied = new List<string>();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var mutation = Pick(random, All);
            bytes = mutation.Apply(random, bytes);
            applied.Add(mutation.Name);
        }

        return (bytes, string.Join(" + ", applied));
    }

    public static IReadOnlyList<string> Names => [.. All.Select(m => m.Name)];

    private static T Pick<T>(Random random, IReadOnlyList<T> from) => from[random.Next(from.Count)];

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Bytes(byte[] original, Action<List<byte>> change)
    {
        var bytes = original.ToList();
        change(bytes);
        return [.. bytes];
    }

    private static byte[] Text(byte[] original, Func<string, string> change) => Encoding.UTF8.GetBytes(change(Encoding.UTF8.GetString(original)));

    private static byte[] Lines(byte[] original, Action<List<string>> change) => Text(original, text =>
    {
        var lines = text.Split('\n').ToList();
        change(lines);
        return string.Join('\n', lines);
    });

    /// <summary>Replaces the first match of <paramref name="pattern"/> on a random line that has one.</summary>
    private static void ReplaceIn(Random random, List<string> lines, Regex pattern, string replacement)
    {
        var candidates = lines.Select((line, i) => (Line: line, Index: i)).Where(l => pattern.IsMatch(l.Line)).ToList();
        if (candidates.Count == 0)
        {
            lines.Insert(random.Next(lines.Count + 1), replacement);
            return;
        }

        var (line, index) = Pick(random, candidates);
        var match = pattern.Match(line);
        var group = match.Groups["x"];
        lines[index] = string.Concat(line.AsSpan(0, group.Index), replacement, line.AsSpan(group.Index + group.Length));
    }

    [GeneratedRegex(@"^\s*(?:- )?(?<x>[\w-]+):")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@":\s(?<x>\S.*)$")]
    private static partial Regex ValuePattern();

    [GeneratedRegex(@":\s(?<x>)\S")]
    private static partial Regex ValueStartPattern();

    [GeneratedRegex(@"(?<x>\d+)")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"[\w-]{2,}")]
    private static partial Regex WordPattern();
}
