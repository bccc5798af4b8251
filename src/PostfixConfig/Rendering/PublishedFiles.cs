using PostfixConfig.Catalog;
using PostfixConfig.Certificates;
using PostfixConfig.Diagnostics;
using PostfixConfig.MtaSts;
using PostfixConfig.Text;
using Scriban.Runtime;

namespace PostfixConfig.Rendering;

/// <summary>
/// What a domain publishes (<c>publish</c>): the MTA-STS policy file <c>mta-sts.txt</c> (CRLF line
/// ends, as RFC 8461 writes it) and <c>dns-records.zone</c>, the zone file lines of the
/// <c>_mta-sts</c> and <c>_smtp._tls</c> TXT records and of the mail host's TLSA records (port 25,
/// for <c>myhostname</c>, from the server certificate files when they are readable here).
/// </summary>
internal static class PublishedFiles
{
    public const string PolicyFileName = "mta-sts.txt";

    public const string ZoneFileName = "dns-records.zone";

    public static IEnumerable<RenderedFile> Render(TlsConfiguration config, TargetRelease release, TemplateSource templates, List<Diagnostic> diagnostics)
    {
        if (config.Publish is not { } publish)
        {
            yield break;
        }

        if (publish.MtaSts is { } policy)
        {
            var model = new ScriptObject
            {
                ["version"] = PolicyFile.Version,
                ["mode"] = MtaStsPolicy.NameOf(policy.Mode),
                ["mx"] = new ScriptArray(policy.Mx.Select(ConfigurationRenderer.OneLine)),
                ["max_age"] = policy.MaxAge.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            var text = ConfigurationRenderer.Normalize(ConfigurationRenderer.RenderTemplate(templates, "mta-sts.txt.sbn", model, config));
            yield return new RenderedFile(PolicyFileName, RenderedFileKind.Published, text.Replace("\n", "\r\n", StringComparison.Ordinal));
        }

        var zone = ZoneModel(config, publish, release, diagnostics);
        yield return new RenderedFile(ZoneFileName, RenderedFileKind.Published,
            ConfigurationRenderer.Normalize(ConfigurationRenderer.RenderTemplate(templates, "dns-records.zone.sbn", zone, config)));
    }

    /// <summary>The view model of <c>dns-records.zone</c>.</summary>
    internal static ScriptObject ZoneModel(TlsConfiguration config, PublishedPolicy publish, TargetRelease release, List<Diagnostic> diagnostics)
    {
        var domain = publish.Domain.ToLowerInvariant();
        var header = new ScriptArray
        {
            $"DNS records for {domain}: MTA-STS (RFC 8461), TLSRPT (RFC 8460) and DANE TLSA (RFC 7672).",
            ConfigurationRenderer.GeneratedLine(release),
        };
        if (config.SourcePath is { } source)
        {
            header.Add($"Source: {PostfixText.Printable(Path.GetFileName(source), 200)}. Change the source and render again rather than editing this file.");
        }

        var groups = new ScriptArray();
        if (publish.MtaSts is { } policy)
        {
            groups.Add(Group(
                $"MTA-STS: mode {MtaStsPolicy.NameOf(policy.Mode)}, MX {(policy.Mx.IsEmpty ? "(none)" : string.Join(", ", policy.Mx))}, max_age {policy.MaxAge.ToString(System.Globalization.CultureInfo.InvariantCulture)}.",
                [
                    $"First serve {PolicyFileName} as https://mta-sts.{domain}/.well-known/{PolicyFileName} (Content-Type text/plain,",
                    $"a certificate for mta-sts.{domain} from a public CA), then publish this record. The id changes",
                    "whenever the policy does; senders fetch the policy again when they see a new id.",
                ],
                [$"_mta-sts.{domain}. IN TXT {PolicyFile.TxtData(PolicyFile.StsRecord(policy))}"]));
        }

        if (publish.TlsRpt is { } tlsRpt)
        {
            groups.Add(Group(
                $"TLSRPT: senders report TLS successes and failures with this domain's MX hosts to {string.Join(", ", tlsRpt.Rua)}.",
                [],
                [$"_smtp._tls.{domain}. IN TXT {PolicyFile.TxtData(PolicyFile.TlsRptRecord(tlsRpt))}"]));
        }

        groups.Add(TlsaGroup(config, publish, diagnostics));
        return new ScriptObject { ["header"] = header, ["groups"] = groups };
    }

    private static ScriptObject TlsaGroup(TlsConfiguration config, PublishedPolicy publish, List<Diagnostic> diagnostics)
    {
        string? host = null;
        string? problem;
        if (config.Main.GetText("myhostname") is { } text)
        {
            host = new ParameterExpander(config.Main, "/etc/postfix").Expand(text, out var unresolved);
            problem = host is null ? $"myhostname = {text}: {unresolved} is not set in this configuration" : null;
        }
        else
        {
            problem = "myhostname is not set, so the mail host's name is unknown";
        }

        var records = new List<string>();
        var files = string.Empty;
        if (host is not null)
        {
            using var certificates = ServerCertificates.Read(config.Main, "/etc/postfix", out problem);
            if (certificates is not null)
            {
                files = certificates.Files;
                foreach (var chain in certificates.Chains)
                {
                    var made = PostfixTls.Tlsa(chain, new TlsaOptions(host));
                    if (made.Value is null)
                    {
                        problem = string.Join(" ", made.Diagnostics.Select(d => d.Message)).TrimEnd('.'); // the note adds its own full stop
                        records.Clear();
                        break;
                    }

                    records.AddRange(made.Value.Select(r => r.ToString()).Where(r => !records.Contains(r, StringComparer.Ordinal)));
                }
            }
        }

        if (records.Count == 0)
        {
            problem ??= "the server certificate yields no record";
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.NotChecked, "publish",
                $"{ZoneFileName} holds no TLSA records: {problem}. Render on the mail host (where the certificate files are) to have them, or make them with 'postfix-config tlsa'.",
                publish.Span));
            return Group("DANE: no TLSA records.", [$"Not written: {PostfixText.Printable(problem, 300)}."], []);
        }

        return Group(
            $"DANE: TLSA records for {host} port 25, from {PostfixText.Printable(files, 300)}.",
            [
                "They belong in the zone of the mail host, which must be signed with DNSSEC. The 3 1 1 record",
                "pins the current key; the 2 1 1 records pin its issuer, so a renewal with a new key from the",
                "same CA keeps matching ('postfix-config tlsa --next-key' checks a planned key change).",
            ],
            records);
    }

    private static ScriptObject Group(string title, IEnumerable<string> notes, IEnumerable<string> records) => new()
    {
        ["title"] = ConfigurationRenderer.OneLine(title),
        ["notes"] = new ScriptArray(notes.Select(ConfigurationRenderer.OneLine)),
        ["records"] = new ScriptArray(records.Select(ConfigurationRenderer.OneLine)),
    };
}
