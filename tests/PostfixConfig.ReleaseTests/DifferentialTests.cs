using System.Collections.Concurrent;
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
public class DifferentialTests(ITestOutputHelper output)
{
    [ReleaseTheory]
    [MemberData(nameof(ReleaseData.All), MemberType = typeof(ReleaseData))]
    public void Differential_LibraryAndReleaseAgree(ReleaseTree release)
    {
        ArgumentNullException.ThrowIfNull(release);
        Releases.RequireEnvironment();
        var seed = CaseGenerator.SeedFor(release);
        var cases = new CaseGenerator(release, seed).Generate();
        var results = new ConcurrentDictionary<string, (ProductVerdict Product, Verdict Release, string Transcript)>(StringComparer.Ordinal);
        Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = 2 }, c =>
        {
            var (verdict, transcript) = ReleaseJudge.Judge(release, c, (layout, harness) => c.Yaml(release, harness, layout), out var product);
            results[c.Id] = (product, verdict, transcript);
        });

        int agree = 0, stricter = 0;
        var disagreements = new List<string>();
        output.WriteLine($"{release.MailVersion}: {cases.Count} cases, seed {seed}");
        foreach (var c in cases)
        {
            var (product, verdict, transcript) = results[c.Id];
            string outcome;
            if (product.Severity == verdict.Severity)
            {
                agree++;
                outcome = "agree";
            }
            else if (product.Severity > verdict.Severity && product.CodesAbove(verdict.Severity).All(StricterRules.Codes.Contains))
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
        Assert.True(disagreements.Count == 0, $"{release.MailVersion} (seed {seed}): {disagreements.Count} disagreements\n" + string.Join("\n\n", disagreements));
    }

    private static string Indent(string text) => "    " + text.Replace("\n", "\n    ", StringComparison.Ordinal);
}
