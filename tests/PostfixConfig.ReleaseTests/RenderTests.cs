using System.Collections.Concurrent;
using PostfixConfig.Diagnostics;
using PostfixConfig.ReleaseTests.Differential;
using PostfixConfig.ReleaseTests.Support;
using Xunit.Abstractions;

namespace PostfixConfig.ReleaseTests;

/// <summary>
/// Every example, every golden case and each profile (modern, intermediate, old; with and without the
/// smtp, submission and submissions services), rendered for the release: its <c>postconf -n</c> reads
/// every setting as intended with no warning, its <c>postconf -M</c>/<c>-P</c> every service and
/// override, its <c>postmap</c> compiles the maps, and its <c>postfix check</c> is clean. What the
/// library refuses to render for the release is judged reason by reason: a documented stricter rule,
/// or the release objects to the same setting too (<see cref="JudgeRefusals"/>). A profile the catalog
/// can express is never refused.
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
        Assert.Equal(RenderInputs.Count, inputs.Count);
        var results = new ConcurrentDictionary<string, (bool Rendered, List<string> Problems)>(StringComparer.Ordinal);
        var refused = new ConcurrentDictionary<string, (TlsConfiguration? Config, List<Diagnostic> Errors)>(StringComparer.Ordinal);
        Parallel.ForEach(inputs, new ParallelOptions { MaxDegreeOfParallelism = 3 }, input =>
        {
            var loaded = PostfixTls.LoadYaml(input.Yaml, input.Name);
            var rendered = loaded.HasErrors ? null : PostfixTls.Render(loaded.Value, options);
            if (rendered is null || rendered.HasErrors)
            {
                var errors = (rendered?.Diagnostics ?? loaded.Diagnostics).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                var problems = new List<string>();
                var profile = input.Name.StartsWith("profile/", StringComparison.Ordinal);
                if (profile && !errors.Any(d => d.Code == DiagnosticCodes.ProfileNotExpressible))
                {
                    problems.Add("the profile was refused: " + string.Join("; ", errors));
                }

                if (!profile)
                {
                    refused[input.Name] = (loaded.HasErrors ? null : loaded.Value, errors);
                }

                results[input.Name] = (false, [.. problems, .. errors.Select(d => d.Code).Distinct().Select(c => "refused: " + c)]);
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

        var (confirmed, stricter, wrong) = JudgeRefusals(release, refused);
        failures.AddRange(wrong);
        var renderedCount = results.Values.Count(r => r.Rendered);
        var readCount = renderedCount - failures.Count(f => results.TryGetValue(f[..f.IndexOf(':', StringComparison.Ordinal)], out var r) && r.Rendered);
        output.WriteLine($"{release.MailVersion}: {renderedCount} of {inputs.Count} rendered, {readCount} read as intended, {refused.Count} refused "
            + $"({confirmed} reasons the release confirms, {stricter} documented stricter, {wrong.Count} wrong)");
        ReleaseSummary.Record(release, "inputs", inputs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ReleaseSummary.Record(release, "renders", $"{renderedCount} rendered, {readCount} read as intended");
        ReleaseSummary.Record(release, "refusals", $"{refused.Count} refused: {confirmed} reasons the release confirms, {stricter} documented stricter{(wrong.Count > 0 ? $", {wrong.Count} wrong" : string.Empty)}");
        Assert.True(failures.Count == 0, $"{release.MailVersion}:\n" + string.Join('\n', failures));

        Assert.True(results.Any(r => r.Key.StartsWith("examples/", StringComparison.Ordinal) && r.Value.Rendered), "no example rendered for " + release.MailVersion);
        Assert.True(results.Any(r => r.Key.StartsWith("golden/", StringComparison.Ordinal) && r.Value.Rendered), "no golden case rendered for " + release.MailVersion);
    }

    /// <summary>
    /// Judges each reason (error) the library gives for refusing an input: either it is a documented
    /// stricter rule (docs/releases.md, code and condition), or the release itself, given the setting the
    /// reason names on the clean base of the differential cases (<see cref="RefusalCases"/>), objects too
    /// (an error or a warning from postconf, postmap, postfix check, the start, the handshake, the
    /// delivery or the log). Anything else is a wrong refusal.
    /// </summary>
    private (int Confirmed, int Stricter, List<string> Wrong) JudgeRefusals(ReleaseTree release, IDictionary<string, (TlsConfiguration? Config, List<Diagnostic> Errors)> refused)
    {
        int stricter = 0, number = 0;
        var wrong = new List<string>();
        var toJudge = new List<(string Input, Diagnostic Error, DiffCase Case)>();
        foreach (var (input, (config, errors)) in refused.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            foreach (var error in errors)
            {
                if (StricterRules.Find(error) is { } rule)
                {
                    stricter++;
                    output.WriteLine($"{input}: refused for {error.Code} ({error.Parameter}): documented stricter rule {rule}");
                }
                else if (config is not null && RefusalCases.For(config, error, ++number) is { } c)
                {
                    toJudge.Add((input, error, c));
                }
                else
                {
                    wrong.Add($"{input}: refused for \"{error}\", which is no documented stricter rule and names no setting the release could judge");
                }
            }
        }

        // One judgement per distinct setting (several inputs or reasons may name the same one).
        var verdicts = new ConcurrentDictionary<string, (Verdict Verdict, string Transcript)>(StringComparer.Ordinal);
        var distinct = toJudge.GroupBy(j => Key(j.Case)).Select(g => g.First().Case).ToList();
        Parallel.ForEach(distinct, new ParallelOptions { MaxDegreeOfParallelism = 2 }, c =>
        {
            verdicts[Key(c)] = ReleaseJudge.Judge(release, c, (layout, harness) => c.Yaml(release, harness, layout), out _, out _);
        });

        var confirmed = 0;
        foreach (var (input, error, c) in toJudge)
        {
            var (verdict, transcript) = verdicts[Key(c)];
            output.WriteLine($"{input}: refused for {error.Code} ({error.Parameter}); {release.MailVersion} on {Key(c)}: {verdict}");
            if (verdict.Severity >= Severity.Warning)
            {
                confirmed++;
            }
            else
            {
                wrong.Add($"{input}: refused for \"{error}\", but {release.MailVersion} finds the equivalent input clean ({c})\n    "
                    + transcript.Replace("\n", "\n    ", StringComparison.Ordinal));
            }
        }

        return (confirmed, stricter, wrong);

        // The setting judged: the main.cf line, or the policy entry.
        static string Key(DiffCase c) => c.Policy is { } p
            ? "policy entry " + string.Join(' ', new[] { p.Level }.Concat(p.Attributes.Select(a => $"{a.Name}={a.Value}")))
            : string.Join(", ", c.Main.Select(m => $"{m.Name} = {m.Value}"));
    }
}
