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
    /// <summary>The codes of the diagnostics above <paramref name="severity"/>.</summary>
    public IEnumerable<string> CodesAbove(Severity severity) =>
        Diagnostics.Where(d => Of(d.Severity) > severity).Select(d => d.Code).Distinct();

    /// <summary>Whether every diagnostic above <paramref name="severity"/> is a documented stricter rule at no more than its documented severity.</summary>
    public bool OnlyStricterRulesAbove(Severity severity) =>
        Diagnostics.Where(d => Of(d.Severity) > severity)
            .All(d => StricterRules.Codes.TryGetValue(d.Code, out var documented) && Of(d.Severity) <= documented);

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
/// The rules where the library is deliberately stricter than Postfix, read from the table in
/// docs/releases.md (section "Deliberately stricter": code, then the library's severity): a case where
/// the library's verdict is more severe than the release's counts as agreement only when every
/// diagnostic above the release's verdict has a code listed there, at no more than the listed severity,
/// so the documentation and the test cannot drift apart.
/// </summary>
internal static partial class StricterRules
{
    public static string DocumentPath => Path.Combine(Releases.RepoRoot, "docs", "releases.md");

    public static IReadOnlyDictionary<string, Severity> Codes { get; } = Read();

    private static Dictionary<string, Severity> Read()
    {
        var codes = new Dictionary<string, Severity>(StringComparer.Ordinal);
        if (!File.Exists(DocumentPath))
        {
            return codes;
        }

        var inSection = false;
        foreach (var line in File.ReadLines(DocumentPath))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inSection = line.Contains("Deliberately stricter", StringComparison.Ordinal);
                continue;
            }

            if (inSection && line.StartsWith('|') && CodeCell().Match(line) is { Success: true } m)
            {
                codes[m.Groups[1].Value] = m.Groups[2].Value == "error" ? Severity.Error : Severity.Warning;
            }
        }

        return codes;
    }

    [GeneratedRegex(@"^\|\s*(PFX\d{4})\b[^|]*\|\s*(error|warning)\b")]
    private static partial Regex CodeCell();
}
