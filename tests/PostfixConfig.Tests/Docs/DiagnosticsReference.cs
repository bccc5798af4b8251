using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Tests.Docs;

/// <summary>
/// Writes docs/diagnostics.md from the code: the constants of <see cref="DiagnosticCodes"/> (code and
/// name), their XML doc summaries (the one-line meaning, read from the library's documentation file the
/// compiler writes), the area summaries of <see cref="DiagnosticArea"/> (the headings), and
/// <see cref="DiagnosticCatalog"/> (severities and an example message).
/// </summary>
internal static partial class DiagnosticsReference
{
    public const string PagePath = "docs/diagnostics.md";

    public static IReadOnlyList<(string Code, string Name)> Codes() => typeof(DiagnosticCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => ((string)f.GetRawConstantValue()!, f.Name))
        .OrderBy(c => c.Item1, StringComparer.Ordinal)
        .ToList();

    public static string Generate()
    {
        var docs = XDocument.Load(Path.Combine(AppContext.BaseDirectory, "PostfixConfig.xml"));
        var summaries = docs.Descendants("member").ToDictionary(
            m => (string)m.Attribute("name")!, m => m.Element("summary") is { } s ? OneLine(s) : string.Empty, StringComparer.Ordinal);
        var catalog = DiagnosticCatalog.All.ToDictionary(e => e.Code, StringComparer.Ordinal);

        var page = new StringBuilder();
        page.Append("""
            # Diagnostic codes

            **What does a diagnostic code such as PFX3003 mean?**

            Every finding of `validate`, `render`, `lint`, `merge`, `apply`, `--check-files`, `tlsa` and `probe` carries a
            stable code, printed as `file(line,column): severity CODE: message [parameter]` (and as `code` in
            `--format json`). Severity **error**: Postfix would refuse to run, defer mail or silently do something
            else than intended, and nothing is written (exit code 1); **warning**: Postfix logs a warning or the
            setting has no effect; **info**: advice, and facts that depend on settings outside the input. A code
            listed with several severities is reported with the one that fits the case (its message says why).
            In C# the codes are the constants of `DiagnosticCodes`, and `Diagnostic.Area` gives the range.

            This page is generated from the code: the meaning is the doc comment of the code's constant in
            `src/PostfixConfig/Diagnostics/DiagnosticCodes*.cs`, severities and the example message come from
            `DiagnosticCatalog.cs` next to it. `DiagnosticsReferenceTests` fails when this page differs from what
            the generator writes; `UPDATE_GOLDEN=1 dotnet test tests/PostfixConfig.Tests --filter DiagnosticsReference`
            rewrites it.

            """.Replace("\r\n", "\n", StringComparison.Ordinal));

        foreach (var area in Codes().GroupBy(c => c.Code[3]))
        {
            var areaName = Enum.GetName((DiagnosticArea)(area.Key - '0'))!;
            page.Append("\n## ").Append(summaries[$"F:PostfixConfig.Diagnostics.DiagnosticArea.{areaName}"].TrimEnd('.')).Append("\n\n");
            page.Append("| code | title | severity | meaning | example |\n| --- | --- | --- | --- | --- |\n");
            foreach (var (code, name) in area)
            {
                var entry = catalog[code];
                var severities = string.Join(", ", entry.Severities.Select(s => s.ToString().ToLowerInvariant()));
                page.Append(CultureInvariant($"| {code} | {Cell(entry.Title)} | {severities} | {Cell(summaries[$"F:PostfixConfig.Diagnostics.DiagnosticCodes.{name}"])} | {Cell(entry.Example)} |\n"));
            }
        }

        return page.ToString();
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>A doc comment as one line of Markdown: <c>&lt;c&gt;x&lt;/c&gt;</c> as <c>`x`</c>, a cref as its last name.</summary>
    private static string OneLine(XElement summary)
    {
        var text = new StringBuilder();
        foreach (var node in summary.Nodes())
        {
            text.Append(node switch
            {
                XText t => t.Value,
                XElement { Name.LocalName: "c" } c => "`" + c.Value + "`",
                XElement { Name.LocalName: "see" } see when see.Attribute("cref") is { } cref => "`" + cref.Value[(cref.Value.LastIndexOfAny(['.', ':']) + 1)..] + "`",
                XElement { Name.LocalName: "see" } see when see.Attribute("langword") is { } word => "`" + word.Value + "`",
                XElement e => e.Value,
                _ => string.Empty,
            });
        }

        return Whitespace().Replace(text.ToString(), " ").Trim();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
