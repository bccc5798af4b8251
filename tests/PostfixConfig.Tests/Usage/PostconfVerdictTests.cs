using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.MainCf;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Usage;

/// <summary>
/// The differential test of issue 21: generated main.cf/master.cf pairs (<see cref="UsageCaseGenerator"/>),
/// each linted by the product and read by the real <c>postconf -n</c> and <c>postconf -M</c> (Debian's
/// 3.7.11); the names each calls unused, undefined or read-only, in main.cf and in master.cf, must be the
/// same multisets on every case. CI runs the first <see cref="SampleCases"/> cases of seed
/// <see cref="UsageCaseGenerator.Seed"/>; <c>POSTCONF_VERDICT_CASES=10000</c> runs the full set (the
/// README gives its count and time).
/// </summary>
public partial class PostconfVerdictTests
{
    /// <summary>The cases CI runs (each spawns postconf twice).</summary>
    public const int SampleCases = 400;

    private const string DuplicateEntriesMark = "[duplicate master.cf entries] ";

    private static readonly PostfixVersion Installed = PostfixVersion.Parse("3.7.11");

    [PostfixFact]
    [Trait("Category", "Slow")]
    public void Lint_GeneratedPairs_SameUnusedUndefinedAndReadOnlyNamesAsPostconf()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("POSTCONF_VERDICT_CASES"), CultureInfo.InvariantCulture, out var n) ? n : SampleCases;
        var first = int.TryParse(Environment.GetEnvironmentVariable("POSTCONF_VERDICT_FIRST"), CultureInfo.InvariantCulture, out var f) ? f : 0;
        // POSTCONF_VERDICT_ONLY=112,1013: just those cases (to look again at the ones a report lists).
        var only = Environment.GetEnvironmentVariable("POSTCONF_VERDICT_ONLY") is { Length: > 0 } list
            ? list.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray()
            : null;
        var cases = only ?? Enumerable.Range(first, count).ToArray();
        count = cases.Length;
        var failures = new List<string>();
        Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var c = UsageCaseGenerator.Make(i);
            var problem = Compare(c);
            if (problem is not null)
            {
                lock (failures)
                {
                    failures.Add(problem);
                }
            }
        });

        if (Environment.GetEnvironmentVariable("POSTCONF_VERDICT_REPORT") is { Length: > 0 } report)
        {
            File.WriteAllText(report, string.Join("\n\n", failures.Order(StringComparer.Ordinal)));
        }

        // Where postconf itself stops (fatal: a value it cannot expand, a malformed compatibility_level, a line without '=')
        // or crashes (a loop through a relational operand), lint must report that error; everywhere else the verdicts must
        // be equal. Every case, with no allowance (the full 10 000 agree: docs/existing-files.md).
        Assert.True(failures.Count == 0, $"{failures.Count} of {count} cases disagree; the first:\n{string.Join("\n\n", failures.Order(StringComparer.Ordinal).Take(3))}");
    }

    /// <summary>Runs one case; the disagreement as text, or null.</summary>
    internal static string? Compare(UsageCase c)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("main.cf"), c.MainCf);
        File.WriteAllText(dir.File("master.cf"), c.MasterCf);
        if (Environment.GetEnvironmentVariable("POSTCONF_VERDICT_DUMP") is { Length: > 0 } dump)
        {
            // POSTCONF_VERDICT_DUMP=DIR keeps each case's pair as DIR/case-N/ (to run postconf on it by hand).
            var keep = Directory.CreateDirectory(Path.Combine(dump, $"case-{c.Index}")).FullName;
            File.WriteAllText(Path.Combine(keep, "main.cf"), c.MainCf);
            File.WriteAllText(Path.Combine(keep, "master.cf"), c.MasterCf);
        }

        Postconf.Cool(dir);
        var n = PostfixTools.Run(PostfixTools.Postconf, "-c", dir.Path, "-n");
        var m = PostfixTools.Run(PostfixTools.Postconf, "-c", dir.Path, "-M");
        var lint = PostfixTls.LintMainCfFile(dir.File("main.cf"), LintOptions.Default with
        {
            Validation = ValidationOptions.Default with { PostfixVersion = Installed },
            CheckPolicyMap = false,
        });
        if (n.ExitCode != 0 || m.ExitCode != 0)
        {
            // postconf stops on a $ expression it cannot expand (a loop through user-defined names): lint must call that an error.
            // ... or a main.cf line that is no name = value setting ("missing '=' after attribute name") ...
            var predicted = (n.StdErr.Contains("fatal: macro processing error", StringComparison.Ordinal)
                    && lint.Errors.Any(d => d.Code is DiagnosticCodes.ExpansionLoop or DiagnosticCodes.ExpansionSyntax or DiagnosticCodes.InvalidCompatibilityLevel))
                || (n.StdErr.Contains("missing '=' after attribute name", StringComparison.Ordinal)
                    && lint.Errors.Any(d => d.Code == DiagnosticCodes.MainCfMissingEquals))
                // ... or dies of a signal (a loop through a ${{a} == {b} ...} operand overflows its stack: exit 139, no message).
                || (n.ExitCode > 128 && m.ExitCode > 128
                    && lint.Errors.Any(d => d.Code == DiagnosticCodes.ExpansionLoop && d.Message.Contains("segmentation fault", StringComparison.Ordinal)));
            return predicted ? null : Describe(c, $"postconf failed: {n.StdErr}{m.StdErr}");
        }

        var theirs = Verdict(n.StdErr, dir.Path);
        var theirsM = Verdict(m.StdErr, dir.Path);
        var expectedM = theirs.Where(l => !l.StartsWith("main.cf unused ", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (!theirsM.Order(StringComparer.Ordinal).SequenceEqual(expectedM))
        {
            return Describe(c, $"postconf -M and -n disagree:\n-n: {string.Join(", ", expectedM)}\n-M: {string.Join(", ", theirsM.Order(StringComparer.Ordinal))}");
        }

        var mine = Verdict(lint, dir.File("main.cf"), dir.File("master.cf"));
        var a = theirs.Order(StringComparer.Ordinal).ToList();
        var b = mine.Order(StringComparer.Ordinal).ToList();

        // postconf repeats every master.cf finding once per entry that shares its service name and type
        // (two "x unix" entries: each unused or undefined line twice); lint says each once. Compare sets then.
        if (PostfixConfig.MainCf.MasterCf.Parse(c.MasterCf).Services.GroupBy(s => (s.Name, s.Type)).Any(g => g.Count() > 1))
        {
            a = [.. a.Distinct(StringComparer.Ordinal)];
            b = [.. b.Distinct(StringComparer.Ordinal)];
        }
        // A restriction class that the list gets more than once through a reference (classes = reject,
        // ${x:reject}) is one cause on one line: lint says it once, postconf once per word. Compare those as sets.
        var listed = lint.Where(d => d.Code is DiagnosticCodes.UndefinedReference or DiagnosticCodes.MasterCfUndefinedReference)
            .Select(d => ListedClass().Match(d.Message)).Where(m => m.Success).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        if (listed.Count > 0)
        {
            a = OncePerListedClass(a, listed);
            b = OncePerListedClass(b, listed);
        }

        if (a.SequenceEqual(b))
        {
            return null;
        }

        return Describe(c, $"postconf: {string.Join(", ", Minus(a, b))}\nproduct:  {string.Join(", ", Minus(b, a))}\n(lint said: {string.Join(" | ", lint.Where(d => d.Severity != DiagnosticSeverity.Info).Select(d => $"{d.Code} {d.Parameter}"))})");
    }

    /// <summary>The verdict lines with each "undefined" line of a listed restriction class kept once.</summary>
    private static List<string> OncePerListedClass(List<string> lines, HashSet<string> listed)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. lines.Where(l => !(l.Split(' ') is [_, "undefined", var name] && listed.Contains(name)) || seen.Add(l))];
    }

    /// <summary>The multiset difference <paramref name="a"/> minus <paramref name="b"/>.</summary>
    private static List<string> Minus(List<string> a, List<string> b)
    {
        var left = new List<string>(a);
        foreach (var x in b)
        {
            left.Remove(x);
        }

        return left;
    }

    private static string Describe(UsageCase c, string what) =>
        $"{(HasDuplicateEntries(c.MasterCf) ? DuplicateEntriesMark : string.Empty)}case {c.Index}: {what}\n--- main.cf\n{c.MainCf}--- master.cf (after the stock lines)\n{c.MasterCf.Split('\n').Skip(7).Aggregate(new StringBuilder(), (sb, l) => sb.Append(l).Append('\n'))}";

    /// <summary>Whether two master.cf entries share a service name and type.</summary>
    private static bool HasDuplicateEntries(string masterCf) =>
        masterCf.Split('\n')
            .Where(l => l.Length > 0 && !char.IsWhiteSpace(l[0]) && l[0] != '#')
            .Select(l => l.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 2)
            .GroupBy(f => (f[0], f[1]))
            .Any(g => g.Count() > 1);

    /// <summary>postconf's warnings as "FILE KIND NAME" lines (database client file lines left out).</summary>
    internal static List<string> Verdict(string stderr, string dir)
    {
        var lines = new List<string>();
        foreach (Match match in WarningPattern().Matches(stderr))
        {
            if (match.Groups["dir"].Value != dir)
            {
                continue;
            }

            var kind = match.Groups["kind"].Value switch
            {
                "unused parameter" => "unused",
                "undefined parameter" => "undefined",
                _ => "read-only",
            };
            var name = match.Groups["what"].Value;
            if (kind != "undefined")
            {
                name = name[..name.IndexOf('=', StringComparison.Ordinal)];
            }

            lines.Add($"{match.Groups["file"].Value} {kind} {name}");
        }

        return lines;
    }

    /// <summary>The product's lint findings in the same shape.</summary>
    internal static List<string> Verdict(DiagnosticList lint, string mainCf, string masterCf)
    {
        var lines = new List<string>();
        foreach (var d in lint)
        {
            var inMaster = d.Span?.File == masterCf;
            var file = inMaster ? "master.cf" : "main.cf";
            var last = d.Parameter?.Split('/')[^1];
            switch (d.Code)
            {
                case DiagnosticCodes.UnknownParameter or DiagnosticCodes.ParameterNotYetAvailable or DiagnosticCodes.ParameterRemoved
                    or DiagnosticCodes.ParameterNotInRelease or DiagnosticCodes.ServiceParameterUnused or DiagnosticCodes.InvalidParameterName
                    when !inMaster && d.Span?.File == mainCf:
                    lines.Add($"main.cf unused {d.Parameter}");
                    break;
                case DiagnosticCodes.MasterCfParameterUnused:
                    lines.Add($"master.cf unused {last}");
                    break;
                case DiagnosticCodes.ReadOnlyParameter:
                    lines.Add($"{file} read-only {last}");
                    break;
                case DiagnosticCodes.UndefinedReference or DiagnosticCodes.MasterCfUndefinedReference:
                    var m = UndefinedName().Match(d.Message);
                    lines.Add($"{file} undefined {(m.Success ? m.Groups["name"].Value : "?" + d.Message)}");
                    break;
            }
        }

        return lines;
    }

    [GeneratedRegex(@"^\S*postconf: warning: (?<dir>.*)/(?<file>main\.cf|master\.cf): (?<kind>unused parameter|undefined parameter|read-only parameter assignment): (?<what>.*)$", RegexOptions.Multiline)]
    private static partial Regex WarningPattern();

    [GeneratedRegex(@"(refers to \$|lists )(?<name>[^ ,]*)")]
    private static partial Regex UndefinedName();

    [GeneratedRegex(@"smtpd_restriction_classes lists (?<name>[^ ,]*)")]
    private static partial Regex ListedClass();
}
