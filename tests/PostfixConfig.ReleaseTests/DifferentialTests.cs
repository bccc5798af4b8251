using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using PostfixConfig.Catalog;
using PostfixConfig.ReleaseTests.Differential;
using PostfixConfig.ReleaseTests.Support;
using Xunit.Abstractions;

namespace PostfixConfig.ReleaseTests;

/// <summary>
/// Differential validation: seeded configurations around the release's thresholds
/// (<see cref="CaseGenerator"/>) are judged by the library (<c>validate --check-files</c>: error,
/// warning or clean) and by the release itself (postconf, postmap, <c>postfix check</c>, a live start
/// on loopback with a STARTTLS handshake or a delivery, and the log). Each case must get the same
/// verdict from both, or a more severe one from the library where every reason is a rule that
/// docs/releases.md lists as deliberately stricter. The counts are printed per release.
/// </summary>
/// <remarks>
/// Run one release's cases again with <c>RELEASE_DIFF_SEED=N</c> (the seed is printed); set
/// <c>KEEP_LIVE_POSTFIX=1</c> to keep each case's instance folder.
/// </remarks>
[Trait("Category", "Releases")]
[Trait("Category", "Slow")]
public partial class DifferentialTests(ITestOutputHelper output)
{
    [ReleaseTheory]
    [MemberData(nameof(ReleaseData.All), MemberType = typeof(ReleaseData))]
    public void Differential_LibraryAndReleaseAgree(ReleaseTree release)
    {
        ArgumentNullException.ThrowIfNull(release);
        Releases.RequireEnvironment();
        var seed = CaseGenerator.SeedFor(release);
        var cases = new CaseGenerator(release, seed).Generate();
        var results = new ConcurrentDictionary<string, (ProductVerdict Product, Verdict Release, string Transcript, List<string> Catalog)>(StringComparer.Ordinal);
        Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = 2 }, c =>
        {
            var (verdict, transcript) = ReleaseJudge.Judge(release, c, (layout, harness) => c.Yaml(release, harness, layout), out var product, out var postconfSaid);
            results[c.Id] = (product, verdict, transcript, CatalogClaims(release, c, postconfSaid));
        });

        int agree = 0, stricter = 0;
        var disagreements = new List<string>();
        output.WriteLine($"{release.MailVersion}: {cases.Count} cases, seed {seed}");
        foreach (var c in cases)
        {
            var (product, verdict, transcript, catalogClaims) = results[c.Id];
            string outcome;
            if (catalogClaims.Count > 0)
            {
                outcome = "DISAGREE (catalog)";
                disagreements.Add($"{c}\n  " + string.Join("\n  ", catalogClaims));
            }
            else if (product.Severity == verdict.Severity)
            {
                agree++;
                outcome = "agree";
            }
            else if (product.Severity > verdict.Severity && product.OnlyStricterRulesAbove(verdict.Severity))
            {
                stricter++;
                outcome = "library stricter (" + string.Join(", ", product.CodesAbove(verdict.Severity)) + ")";
            }
            else
            {
                outcome = "DISAGREE";
                disagreements.Add($"{c}\n  library: {product}\n  release: {verdict}\n{Indent(transcript)}");
            }

            output.WriteLine($"{c}: {outcome}\n  library: {product}\n  release: {verdict}");
        }

        output.WriteLine($"{release.MailVersion}: {agree} agree, {stricter} library deliberately stricter, {disagreements.Count} disagree (of {cases.Count})");
        ReleaseSummary.Record(release, "differential", $"{agree} + {stricter} / {cases.Count}, {disagreements.Count} disagree (seed {seed})");
        Assert.True(disagreements.Count == 0, $"{release.MailVersion} (seed {seed}): {disagreements.Count} disagreements\n" + string.Join("\n\n", disagreements));
    }

    /// <summary>
    /// What the catalog claims about the case's parameters in this release, against the release's postconf:
    /// every parameter whose postconf the catalog says warns is warned about, every notice postconf gives
    /// is one the catalog expects, and a parameter postconf calls unused is one the catalog says the
    /// release does not have (and the other way round).
    /// </summary>
    private static List<string> CatalogClaims(ReleaseTree release, DiffCase c, string postconfSaid)
    {
        var catalog = ParameterCatalog.Default;
        var version = release.Version;
        var claims = new List<string>();
        // postconf counts a name that a default of the release refers to ($name, ${name...}) as used: a renamed
        // parameter read through its successor's default (tlsproxy_client_level from 3.7) is never "unused".
        var referenced = ReleaseFacts.Defaults(release).Values
            .SelectMany(v => Regex.Matches(v, @"\$\{?([A-Za-z0-9_]+)").Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var (name, _) in c.Main)
        {
            var info = catalog.Find(name);
            var removedNotice = postconfSaid.Contains($"parameter {name} has been removed", StringComparison.Ordinal);
            if (info?.PostconfWarnsIn(version) == true && !postconfSaid.Contains($"\"{name}\"", StringComparison.Ordinal) && !removedNotice)
            {
                claims.Add($"the catalog says postconf {release.MailVersion} warns about {name}; it does not");
            }

            var unused = removedNotice || postconfSaid.Contains($"unused parameter: {name}=", StringComparison.Ordinal);
            if (unused == catalog.IsKnownName(name, version) && !(!unused && referenced.Contains(name)))
            {
                claims.Add(unused
                    ? $"postconf {release.MailVersion} calls {name} unused; the catalog says the release has it"
                    : $"the catalog says {release.MailVersion} does not have {name}; its postconf does not call it unused");
            }
        }

        foreach (Match m in ParameterNotice().Matches(postconfSaid))
        {
            if (catalog.Find(m.Groups[1].Value)?.PostconfWarnsIn(version) != true)
            {
                claims.Add($"postconf {release.MailVersion} warns about {m.Groups[1].Value}; the catalog does not say so (postconf-warns)");
            }
        }

        return claims;
    }

    [GeneratedRegex(@"warning: .*parameter ""?([a-z0-9_]+)""? (will be|has been) removed")]
    private static partial Regex ParameterNotice();

    private static string Indent(string text) => "    " + text.Replace("\n", "\n    ", StringComparison.Ordinal);
}
