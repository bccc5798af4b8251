using PostfixConfig.Diagnostics;
using PostfixConfig.ReleaseTests.Support;
using Xunit.Abstractions;

namespace PostfixConfig.ReleaseTests;

/// <summary>
/// The release's own stock main.cf and master.cf (a build tree's <c>conf/</c>, Debian's
/// <c>/usr/share/postfix/*.dist</c>), which that release reads without a word: lint gives no error, and
/// every name it calls unknown or unused is one the release's <c>postconf -n</c> warns about; import,
/// written as YAML, read back and rendered for the release gives the same <c>postconf -n</c>; merging
/// the import back changes no byte; merging the submission services into the stock master.cf gives
/// exactly the intended services and overrides under <c>postconf -M</c>/<c>-P</c>, with no warning and
/// every original line kept (the merge also adds the certificate the services need to main.cf).
/// </summary>
[Trait("Category", "Releases")]
[Trait("Category", "Slow")]
public class StockFilesTests(ITestOutputHelper output)
{
    private static readonly HashSet<string> NameCodes = new(StringComparer.Ordinal)
    {
        DiagnosticCodes.UnknownParameter, DiagnosticCodes.ParameterRemoved, DiagnosticCodes.ParameterNotYetAvailable,
        DiagnosticCodes.ParameterNotInRelease, DiagnosticCodes.ServiceParameterUnused,
    };

    private int _services;
    private int _overrides;

    [ReleaseTheory]
    [MemberData(nameof(ReleaseData.All), MemberType = typeof(ReleaseData))]
    public void StockFiles_LintImportMerge_NoFalseErrorAndExactRoundTrip(ReleaseTree release)
    {
        ArgumentNullException.ThrowIfNull(release);
        Releases.RequireEnvironment();
        var validation = ValidationOptions.Default with { PostfixVersion = release.Version };
        using var stock = ReleaseInstance.Create(release);
        var mainText = File.ReadAllText(release.StockMainCf);
        var masterText = File.ReadAllText(release.StockMasterCf);
        var mainCf = stock.WriteConfigFile("main.cf", mainText);
        stock.WriteConfigFile("master.cf", masterText);
        var postconf = stock.Postconf("-n");
        Assert.True(postconf.ExitCode == 0, postconf.Output);
        var failures = new List<string>();

        // Lint: no error, and no name called unknown or unused that the release itself accepts.
        var lint = PostfixTls.LintMainCfFile(mainCf, LintOptions.Default with { Validation = validation });
        failures.AddRange(lint.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => "lint error: " + d));
        foreach (var d in lint.Where(d => NameCodes.Contains(d.Code) && d.Parameter is not null))
        {
            if (!postconf.StdErr.Contains($"unused parameter: {d.Parameter}=", StringComparison.Ordinal))
            {
                failures.Add($"lint {d.Code} on {d.Parameter}, which postconf {release.MailVersion} reads without a warning: {d}");
            }
        }

        output.WriteLine($"lint: {lint.Count(d => d.Severity == DiagnosticSeverity.Error)} errors, {lint.Count(d => d.Severity == DiagnosticSeverity.Warning)} warnings, {lint.Count(d => d.Severity == DiagnosticSeverity.Info)} notes");
        var lintWarnings = lint.Count(d => d.Severity == DiagnosticSeverity.Warning);
        var summary = $"{lint.Count(d => d.Severity == DiagnosticSeverity.Error)} errors ({lintWarnings} {(lintWarnings == 1 ? "warning" : "warnings")})";
        foreach (var d in lint.Where(d => d.Severity >= DiagnosticSeverity.Warning))
        {
            output.WriteLine("  " + d);
        }

        // Import, as YAML and back, rendered for the release: the same postconf -n.
        var document = PostfixTls.ReadMainCfFile(mainCf);
        Assert.False(document.HasErrors, document.Diagnostics.ToString());
        var imported = PostfixTls.Import(document.Value, ImportOptions.Default with { PostfixVersion = release.Version });
        failures.AddRange(imported.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => "import error: " + d));
        if (!imported.HasErrors)
        {
            var reloaded = PostfixTls.LoadYaml(PostfixTls.ToYaml(imported.Value), "imported.yaml");
            failures.AddRange(reloaded.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => "reading the imported YAML: " + d));
            var rendered = reloaded.HasErrors ? null : PostfixTls.Render(reloaded.Value, RenderInputs.For(release));
            if (rendered is { HasErrors: false })
            {
                using var again = ReleaseInstance.Create(release);
                again.WriteConfigFile("main.cf", rendered.Value.MainCf.Content);
                again.WriteConfigFile("master.cf", masterText);
                var after = again.Postconf("-n");
                var before = ReleaseFacts.ParseLines(postconf.StdOut);
                var now = ReleaseFacts.ParseLines(after.StdOut);
                before.Remove("config_directory");
                now.Remove("config_directory");
                failures.AddRange(before.Where(kv => !now.TryGetValue(kv.Key, out var v) || v != kv.Value).Select(kv => $"import round trip: {kv.Key} was '{kv.Value}', is '{(now.TryGetValue(kv.Key, out var v) ? v : "(not set)")}'"));
                failures.AddRange(now.Keys.Where(k => !before.ContainsKey(k)).Select(k => $"import round trip: {k} = '{now[k]}' appeared"));
                output.WriteLine($"import: {before.Count} settings, rendered for {release.MailVersion}, read back by its postconf -n");
                summary += $", {before.Count} settings round trip";
                failures.AddRange(RenderedReading.Said("postconf -n of the rendered import", after).Where(p => !postconf.StdErr.Contains(p[(p.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), StringComparison.Ordinal)));
            }
            else
            {
                failures.AddRange((rendered?.Diagnostics ?? reloaded.Diagnostics).Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => "rendering the import: " + d));
            }

            // Merging the import back into the file it came from changes nothing.
            var merged = PostfixTls.Merge(imported.Value, document.Value, MergeOptions.Default with { Validation = validation });
            failures.AddRange(merged.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => "merge error: " + d));
            if (merged.Value is { MainCfChanged: true })
            {
                failures.Add("merging the import back changed main.cf:\n" + string.Join('\n', merged.Value.Changes));
            }
        }

        failures.AddRange(MergeServices(release, validation, mainText, masterText));
        summary += $", {_services} services, {_overrides} overrides";
        ReleaseSummary.Record(release, "stock", failures.Count == 0 ? summary : $"{summary}, {failures.Count} failures");
        Assert.True(failures.Count == 0, $"{release.MailVersion} ({release.StockMainCf}):\n" + string.Join('\n', failures));
    }

    /// <summary>The submission services merged into the stock master.cf, read by the release.</summary>
    private List<string> MergeServices(ReleaseTree release, ValidationOptions validation, string mainText, string masterText)
    {
        var failures = new List<string>();
        var pki = ReleasePki.Instance;
        var yaml = $"""
            postfix_version: "{release.MailVersion}"
            main:
              smtpd_tls_chain_files: [{pki.KeyFile}, {pki.ChainFile}]
            services:
              submission: {"{"}smtpd_sasl_auth_enable: "yes"{"}"}
              submissions: {"{"}smtpd_sasl_auth_enable: "yes"{"}"}
            """;
        var config = PostfixTls.LoadYaml(yaml, "services.yaml").GetValueOrThrow();
        var document = PostfixTls.ReadMainCf(mainText, "main.cf").GetValueOrThrow();
        var merged = PostfixTls.Merge(config, document, MergeOptions.Default with { Validation = validation, MasterCfText = masterText });
        if (merged.HasErrors || merged.Value.Files.Find("master.cf") is not { } master)
        {
            failures.Add("merging the services into the stock master.cf failed: " + merged.Diagnostics);
            return failures;
        }

        using var instance = ReleaseInstance.Create(release);
        instance.WriteConfigFile("main.cf", merged.Value.MainCf.Text);
        instance.WriteConfigFile("master.cf", master.Content);
        var m = instance.Postconf("-M");
        var p = instance.Postconf("-P");
        failures.AddRange(RenderedReading.Said("postconf -M of the merged master.cf", m));
        failures.AddRange(RenderedReading.Said("postconf -P of the merged master.cf", p));
        var overrides = ReleaseFacts.ParseLines(p.StdOut);
        var effective = PostfixTls.Expand(config, validation).GetValueOrThrow().Configuration;
        foreach (var service in effective.Services)
        {
            var field = service.Listen ?? service.Name;
            if (!m.StdOut.Split('\n').Any(l => l.StartsWith(field + " ", StringComparison.Ordinal) && l.Contains(" inet ", StringComparison.Ordinal)))
            {
                failures.Add($"postconf -M lists no {field}/inet after the merge");
            }

            foreach (var (name, value) in service.Overrides)
            {
                var key = $"{field}/inet/{name}";
                if (!overrides.TryGetValue(key, out var actual) || actual != string.Join(',', value.AsList()))
                {
                    failures.Add($"postconf -P: {key} = '{actual ?? "(not set)"}', intended '{value.Text}'");
                }
            }
        }

        // Every line of the stock file is still there, in order.
        var lines = master.Content.Split('\n');
        var j = 0;
        foreach (var line in masterText.Split('\n'))
        {
            while (j < lines.Length && lines[j] != line)
            {
                j++;
            }

            if (j++ >= lines.Length)
            {
                failures.Add($"the merge lost or moved the stock master.cf line \"{line}\"");
                break;
            }
        }

        output.WriteLine($"merge of submission and submissions into the stock master.cf: {effective.Services.Count} services, {effective.Services.Sum(s => s.Overrides.Count)} overrides read back");
        (_services, _overrides) = (effective.Services.Count, effective.Services.Sum(s => s.Overrides.Count));
        return failures;
    }
}
