using System.Collections.Concurrent;
using PostfixConfig.Diagnostics;
using PostfixConfig.ReleaseTests.Support;
using Xunit.Abstractions;

namespace PostfixConfig.ReleaseTests;

/// <summary>
/// Every example, every golden case and each profile (modern, intermediate, old; with and without the
/// smtp, submission and submissions services), rendered for the release: its <c>postconf -n</c> reads
/// every setting as intended with no warning, its <c>postconf -M</c>/<c>-P</c> every service and
/// override, its <c>postmap</c> compiles the maps, and its <c>postfix check</c> is clean. What the
/// library refuses to render for the release is counted with the reason (the golden error cases, and
/// examples that need a newer release); a profile the catalog can express is never refused.
/// </summary>
[Trait("Category", "Releases")]
[Trait("Category", "Slow")]
public class RenderTests(ITestOutputHelper output)
{
    [ReleaseTheory]
    [MemberData(nameof(ReleaseData.All), MemberType = typeof(ReleaseData))]
    public void Renders_ReadAsIntendedByTheRelease(ReleaseTree release)
    {
        ArgumentNullException.ThrowIfNull(release);
        Releases.RequireEnvironment();
        var options = RenderInputs.For(release);
        var inputs = RenderInputs.All(release).ToList();
        var results = new ConcurrentDictionary<string, (bool Rendered, List<string> Problems)>(StringComparer.Ordinal);
        Parallel.ForEach(inputs, new ParallelOptions { MaxDegreeOfParallelism = 3 }, input =>
        {
            var loaded = PostfixTls.LoadYaml(input.Yaml, input.Name);
            var rendered = loaded.HasErrors ? null : PostfixTls.Render(loaded.Value, options);
            if (rendered is null || rendered.HasErrors)
            {
                var why = (rendered?.Diagnostics ?? loaded.Diagnostics).Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Code).Distinct();
                var problems = new List<string>();
                if (input.Name.StartsWith("profile/", StringComparison.Ordinal) && rendered?.Diagnostics.Any(d => d.Code == DiagnosticCodes.ProfileNotExpressible) != true)
                {
                    problems.Add("the profile was refused: " + string.Join("; ", (rendered?.Diagnostics ?? loaded.Diagnostics).Where(d => d.Severity == DiagnosticSeverity.Error)));
                }

                results[input.Name] = (false, [.. problems, .. why.Select(c => "refused: " + c)]);
                return;
            }

            var effective = PostfixTls.Expand(loaded.Value!, options.Validation).GetValueOrThrow().Configuration;
            results[input.Name] = (true, RenderedReading.Problems(release, rendered.Value!, effective, rendered.Diagnostics));
        });

        var failures = new List<string>();
        foreach (var (name, _) in inputs)
        {
            var (rendered, problems) = results[name];
            output.WriteLine($"{name}: {(rendered ? (problems.Count == 0 ? "read as intended" : "PROBLEMS") : "not rendered")} {string.Join("; ", problems)}");
            if (rendered && problems.Count > 0 || !rendered && problems.Any(p => !p.StartsWith("refused: ", StringComparison.Ordinal)))
            {
                failures.Add($"{name}:\n  " + string.Join("\n  ", problems));
            }
        }

        var renderedCount = results.Values.Count(r => r.Rendered);
        output.WriteLine($"{release.MailVersion}: {renderedCount} of {inputs.Count} rendered, {renderedCount - failures.Count(f => results[f[..f.IndexOf(':', StringComparison.Ordinal)]].Rendered)} read as intended");
        Assert.True(failures.Count == 0, $"{release.MailVersion}:\n" + string.Join('\n', failures));
        Assert.True(renderedCount >= RenderInputs.Profiles.Length * 2, "too few configurations rendered to judge");
    }
}
