using System.Text.RegularExpressions;
using PostfixConfig.Diagnostics;
using PostfixConfig.ReleaseTests.Support;

namespace PostfixConfig.ReleaseTests.Differential;

/// <summary>What a judge says about a configuration.</summary>
internal enum Severity
{
    Clean,
    Warning,
    Error,
}

/// <summary>A judge's verdict with its reasons (diagnostic lines of the library, log or tool lines of the release).</summary>
internal sealed record Verdict(Severity Severity, IReadOnlyList<string> Reasons)
{
    public override string ToString() => $"{Severity.ToString().ToLowerInvariant()}{(Reasons.Count == 0 ? string.Empty : ": " + string.Join(" | ", Reasons))}";
}

/// <summary>The library's verdict: the diagnostics at the highest severity (information counts as clean).</summary>
internal sealed record ProductVerdict(Severity Severity, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>The diagnostics above <paramref name="severity"/>, each with the documented stricter rule it falls under (or null).</summary>
    public IEnumerable<(Diagnostic Diagnostic, StricterRule? Rule)> Above(Severity severity) =>
        Diagnostics.Where(d => Of(d.Severity) > severity).Select(d => (d, StricterRules.Find(d)));

    /// <summary>The documented rules (code and condition) behind the diagnostics above <paramref name="severity"/>, or the bare code where none applies.</summary>
    public IEnumerable<string> CodesAbove(Severity severity) =>
        Above(severity).Select(a => a.Rule?.ToString() ?? a.Diagnostic.Code).Distinct();

    /// <summary>Whether every diagnostic above <paramref name="severity"/> is a documented stricter rule: its code, its condition, at no more than its documented severity.</summary>
    public bool OnlyStricterRulesAbove(Severity severity) => Above(severity).All(a => a.Rule is not null);

    public static Severity Of(DiagnosticSeverity s) => s switch
    {
        DiagnosticSeverity.Error => Severity.Error,
        DiagnosticSeverity.Warning => Severity.Warning,
        _ => Severity.Clean,
    };

    public override string ToString() =>
        $"{Severity.ToString().ToLowerInvariant()}{(Severity == Severity.Clean ? string.Empty : ": " + string.Join(" | ", Diagnostics.Where(d => Of(d.Severity) > Severity.Clean).Select(d => $"{d.Code} {d.Message}")))}";
}

/// <summary>
/// One rule where the library is deliberately stricter than Postfix: a diagnostic code, the condition
/// (a regular expression its message must match, so that only the documented rule is covered and not
/// every diagnostic that shares the code) and the most severe verdict the library may give for it.
/// </summary>
internal sealed record StricterRule(string Code, Regex Condition, Severity Severity)
{
    /// <summary>Whether <paramref name="d"/> is this rule: same code, the condition matches its message, no more severe than documented.</summary>
    public bool Covers(Diagnostic d) =>
        d.Code == Code && Condition.IsMatch(d.Message) && ProductVerdict.Of(d.Severity) <= Severity;

    public override string ToString() => $"{Code} `{Condition}`";
}

/// <summary>
/// The rules where the library is deliberately stricter than Postfix, read from the table in
/// docs/releases.md (section "Deliberately stricter": code, the condition as a regular expression in
/// backticks, then the library's severity): a case where the library's verdict is more severe than the
/// release's counts as agreement only when every diagnostic above the release's verdict is one of
/// these rules (code and condition), at no more than the listed severity, so the documentation and the
/// test cannot drift apart.
/// </summary>
internal static partial class StricterRules
{
    public static string DocumentPath => Path.Combine(Releases.RepoRoot, "docs", "releases.md");

    public static IReadOnlyList<StricterRule> All { get; } = Read(DocumentPath);

    /// <summary>The documented rule that covers <paramref name="d"/>, or null.</summary>
    public static StricterRule? Find(Diagnostic d) => All.FirstOrDefault(r => r.Covers(d));

    /// <summary>The rules in the "Deliberately stricter" section of a markdown file (none when it is absent).</summary>
    internal static List<StricterRule> Read(string path)
    {
        var rules = new List<StricterRule>();
        if (!File.Exists(path))
        {
            return rules;
        }

        var inSection = false;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inSection = line.Contains("Deliberately stricter", StringComparison.Ordinal);
                continue;
            }

            if (inSection && line.StartsWith('|') && RuleRow().Match(line) is { Success: true } m)
            {
                rules.Add(new StricterRule(m.Groups[1].Value, new Regex(m.Groups[2].Value, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)),
                    m.Groups[3].Value == "error" ? Severity.Error : Severity.Warning));
            }
        }

        return rules;
    }

    [GeneratedRegex(@"^\|\s*(PFX\d{4})\s*\|\s*`([^`]+)`\s*\|\s*(error|warning)\b")]
    private static partial Regex RuleRow();
}
