using System.Text.RegularExpressions;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Rendering;

namespace PostfixConfig.ReleaseTests.Support;

/// <summary>
/// A release reads rendered files: they go into a scratch instance's config directory with the harness
/// settings added, and the release's <c>postconf -n</c> must print every rendered setting with its
/// intended value and no warning, <c>postconf -M</c>/<c>-P</c> every intended service and override with
/// no warning, <c>postmap</c> compile the maps without a word, and <c>postfix check</c> say nothing.
/// </summary>
/// <remarks>
/// The one warning allowed is the release's own notice about a parameter that the catalog says its
/// postconf warns about (<c>postconf-warns</c>: deprecated or obsolete settings a golden case keeps on
/// purpose), and only when the library warned about that parameter too; that the release does warn
/// about each such parameter is checked as well. A map whose type the build lacks (<c>postconf -m</c>;
/// these builds have no lmdb or cdb) is compiled as <c>hash:</c> from the same source.
/// </remarks>
internal static partial class RenderedReading
{
    /// <summary>The problems found (empty when the release reads everything as intended).</summary>
    /// <param name="release">The judge.</param>
    /// <param name="rendered">What the library rendered.</param>
    /// <param name="effective">The configuration with its profile and service defaults filled in (<see cref="PostfixTls.Expand"/>).</param>
    /// <param name="diagnostics">What the library said when it rendered.</param>
    public static List<string> Problems(ReleaseTree release, RenderedConfiguration rendered, TlsConfiguration effective, DiagnosticList diagnostics)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(rendered);
        ArgumentNullException.ThrowIfNull(effective);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var catalog = ParameterCatalog.Default;
        var warnedByProduct = diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Parameter is not null)
            .Select(d => d.Parameter!).ToHashSet(StringComparer.Ordinal);
        var expectedNotices = effective.Main.Keys
            .Where(n => catalog.Find(n)?.PostconfWarnsIn(release.Version) == true).ToHashSet(StringComparer.Ordinal);
        using var instance = ReleaseInstance.Create(release);
        var problems = new List<string>();
        rendered.WriteTo(instance.ConfigDirectory);
        var renderedNames = effective.Main.Keys.ToHashSet(StringComparer.Ordinal);
        var harness = instance.HarnessSettings.Where(h => !renderedNames.Contains(h.Name)).ToList();
        instance.WriteConfigFile("main.cf", rendered.MainCf.Content + "\n# release test harness\n" + ReleaseInstance.MainCfText(harness));
        if (rendered.Find("master.cf") is null)
        {
            instance.WriteConfigFile("master.cf", ReleaseInstance.MasterCfText([]));
        }
        else
        {
            File.SetLastWriteTimeUtc(Path.Combine(instance.ConfigDirectory, "master.cf"), DateTime.UtcNow.AddHours(-1));
        }

        var n = instance.Postconf("-n");
        problems.AddRange(Said("postconf -n", n));
        foreach (var name in expectedNotices.Where(x => !n.StdErr.Contains($"\"{x}\"", StringComparison.Ordinal) && !n.StdErr.Contains($"parameter {x} has been removed", StringComparison.Ordinal)))
        {
            problems.Add($"the catalog says postconf {release.MailVersion} warns about {name}; it did not");
        }
        var values = ReleaseFacts.ParseLines(n.StdOut);
        foreach (var (name, value) in effective.Main)
        {
            if (!values.TryGetValue(name, out var read))
            {
                problems.Add($"postconf -n does not list {name} (intended '{value.Text}')");
            }
            else if (read != value.Text)
            {
                problems.Add($"postconf -n reads {name} = '{read}', intended '{value.Text}'");
            }
        }

        var stray = values.Keys.Where(k => !renderedNames.Contains(k) && k != "config_directory" && harness.All(h => h.Name != k)).ToList();
        if (stray.Count > 0)
        {
            problems.Add("postconf -n lists settings nobody wrote: " + string.Join(", ", stray));
        }

        if (effective.Services.Count > 0)
        {
            var m = instance.Postconf("-M");
            problems.AddRange(Said("postconf -M", m));
            var p = instance.Postconf("-P");
            problems.AddRange(Said("postconf -P", p));
            var services = m.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
                .Select(f => $"{f[0]}/{f[1]}").ToHashSet(StringComparer.Ordinal);
            var overrides = ReleaseFacts.ParseLines(p.StdOut);
            foreach (var service in effective.Services)
            {
                var field = service.Listen ?? service.Name;
                if (!services.Contains($"{field}/inet"))
                {
                    problems.Add($"postconf -M does not list {field}/inet");
                }

                var expected = service.Overrides.ToDictionary(kv => $"{field}/inet/{kv.Key}", kv => string.Join(',', kv.Value.AsList()), StringComparer.Ordinal);
                var actual = overrides.Where(kv => kv.Key.StartsWith(field + "/inet/", StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);
                foreach (var (key, value) in expected.Where(kv => !actual.TryGetValue(kv.Key, out var a) || a != kv.Value))
                {
                    problems.Add($"postconf -P: {key} = '{(actual.TryGetValue(key, out var a) ? a : "(not set)")}', intended '{value}'");
                }

                problems.AddRange(actual.Keys.Where(k => !expected.ContainsKey(k)).Select(k => $"postconf -P: {k} = '{actual[k]}' not intended"));
            }
        }

        var types = instance.Postconf("-m").StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        foreach (var map in rendered.Files.Where(f => f.Kind == RenderedFileKind.Map && f.MapType != "texthash"))
        {
            var file = Path.Combine(instance.ConfigDirectory, map.FileName);
            var type = types.Contains(map.MapType!) ? map.MapType : "hash";
            problems.AddRange(Said($"postmap {type}:{map.FileName}", instance.Postmap($"{type}:{file}")));
        }

        problems.AddRange(Said("postfix check", instance.Check()));
        return [.. problems.Where(p => !IsExpectedNotice(p, expectedNotices, warnedByProduct)).Distinct()];
    }

    /// <summary>The release's notice about a parameter the catalog says it warns about, when the library warned too (and the line pointing to DEPRECATION_README).</summary>
    private static bool IsExpectedNotice(string problem, HashSet<string> expected, HashSet<string> warnedByProduct)
    {
        if (problem.Contains("DEPRECATION_README", StringComparison.Ordinal))
        {
            return expected.Overlaps(warnedByProduct);
        }

        return ParameterNotice().Match(problem) is { Success: true } m && expected.Contains(m.Groups[1].Value) && warnedByProduct.Contains(m.Groups[1].Value);
    }

    /// <summary>A failed exit, and every line a Postfix program printed (a warning or worse), as problems.</summary>
    public static IEnumerable<string> Said(string what, Proc.Result r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.ExitCode != 0)
        {
            yield return $"{what} exited with {r.ExitCode}: {r.StdErr.Trim()}";
            yield break;
        }

        foreach (var line in r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            yield return $"{what}: {line.Trim()}";
        }
    }

    /// <summary>The warning, error and fatal lines of some output.</summary>
    public static IEnumerable<string> Complaints(string text) =>
        (text ?? string.Empty).Split('\n').Where(l => ComplaintPattern().IsMatch(l)).Select(l => l.Trim());

    [GeneratedRegex(@"warning: .*parameter ""?([a-z0-9_]+)""? (will be|has been) removed")]
    private static partial Regex ParameterNotice();

    [GeneratedRegex(@"\b(warning|error|fatal|panic):")]
    private static partial Regex ComplaintPattern();
}
