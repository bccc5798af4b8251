using System.Reflection;
using System.Text.RegularExpressions;
using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Validation;

/// <summary>Every diagnostic code is documented in code and in README.md, used by the library, and unique.</summary>
public partial class DiagnosticCodeConventionTests
{
    private static readonly (string Name, string Code)[] Codes = typeof(DiagnosticCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (f.Name, (string)f.GetRawConstantValue()!))
        .ToArray();

    private static string SourceOfCodes => string.Concat(
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "src", "PostfixConfig", "Diagnostics"), "DiagnosticCodes*.cs").Select(File.ReadAllText));

    [Fact]
    public void Codes_AreUniqueAndWellFormed()
    {
        Assert.True(Codes.Length > 50, $"only {Codes.Length} codes found");
        Assert.All(Codes, c => Assert.Matches("^PFX[0-9]{4}$", c.Code));
        var duplicates = Codes.GroupBy(c => c.Code).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(c => c.Name))}");
        Assert.Empty(duplicates);
    }

    [Fact]
    public void EveryCode_HasAnXmlDocSummary()
    {
        var lines = SourceOfCodes.Split('\n').Select(l => l.Trim()).ToList();
        var missing = Codes.Where(c =>
        {
            var at = lines.FindIndex(l => l.StartsWith($"public const string {c.Name} = ", StringComparison.Ordinal));
            var doc = lines.Take(at).Reverse().TakeWhile(l => l.StartsWith("///", StringComparison.Ordinal)).Reverse().ToList();
            var text = string.Join(" ", doc);
            return at < 0 || !text.Contains("<summary>", StringComparison.Ordinal) || !text.Contains("</summary>", StringComparison.Ordinal)
                || Regex.Replace(text, "<[^>]*>|///", string.Empty).Trim().Length < 20;
        }).Select(c => c.Name).ToList();
        Assert.True(missing.Count == 0, "constants without a <summary>: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryCode_IsUsedInTheSources()
    {
        var sources = string.Concat(Directory.GetFiles(Path.Combine(RepoPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith("DiagnosticCodes", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        var unused = Codes.Where(c => !sources.Contains("DiagnosticCodes." + c.Name, StringComparison.Ordinal)).Select(c => c.Name).ToList();
        Assert.True(unused.Count == 0, "codes never reported: " + string.Join(", ", unused));
    }

    [Fact]
    public void EveryCode_IsListedInReadmeTable()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var section = readme[readme.IndexOf("## Diagnostic codes", StringComparison.Ordinal)..];

        // README is moving into docs/ pages: a page's own "## Diagnostic codes" table counts too.
        foreach (var page in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "docs"), "*.md"))
        {
            var text = File.ReadAllText(page);
            if (text.IndexOf("## Diagnostic codes", StringComparison.Ordinal) is var at and >= 0)
            {
                section += "\n" + text[at..];
            }
        }
        var missing = Codes.Where(c => !Regex.IsMatch(section, $@"^\| {c.Code} \| {c.Name} \| \S.*\|$", RegexOptions.Multiline)).Select(c => c.Code).ToList();
        Assert.True(missing.Count == 0, "codes missing from README's Diagnostic codes table: " + string.Join(", ", missing));
        var listed = TableRow().Matches(section).Select(m => m.Groups[1].Value).ToList();
        var stale = listed.Except(Codes.Select(c => c.Code)).ToList();
        Assert.True(stale.Count == 0, "README lists codes that do not exist: " + string.Join(", ", stale));
    }

    [GeneratedRegex(@"^\| (PFX[0-9]{4}) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
