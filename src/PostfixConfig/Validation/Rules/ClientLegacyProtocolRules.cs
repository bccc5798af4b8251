using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// Client protocol lists that leave only TLS 1.1 and older: OpenSSL uses the contiguous range from the
/// lowest protocol a list enables, so a gap (<c>!TLSv1.2</c> alone) or a ceiling (<c>&lt;=TLSv1.1</c>)
/// keeps only TLS 1.0 and 1.1, and from OpenSSL 3.0 the client at its default security level refuses
/// their legacy (MD5-SHA1) signatures: TLS with a server that authenticates with a certificate fails.
/// Seen live with Postfix 3.4 to 3.12 built against OpenSSL 3.0 (the release suite, docs/releases.md):
/// a fingerprint policy entry with <c>protocols=!TLSv1.2</c> deferred every message ("legacy sigalg
/// disallowed or unsupported"). An error where TLS is mandatory (the mandatory settings, policy entries
/// at encrypt or above), a warning for the opportunistic setting. The server side is not affected here:
/// what fails is the verification by this host's own OpenSSL.
/// </summary>
internal sealed class ClientLegacyProtocolRules : RuleSet
{
    private static readonly string[] Ordered = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

    private static readonly (string Name, bool Mandatory)[] Settings =
    [
        ("smtp_tls_protocols", false), ("smtp_tls_mandatory_protocols", true),
        ("lmtp_tls_protocols", false), ("lmtp_tls_mandatory_protocols", true),
    ];

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        var openSsl = t.Config.OpenSslVersion ?? ProfileCatalog.Default.DefaultOpenSsl(t.Version);
        if (openSsl < Thresholds.OpenSslRefusesLegacySignatures)
        {
            return;
        }

        foreach (var (name, mandatory) in Settings)
        {
            if (t.IsSet(name) && t.Knows(name) && t.Resolve(name) is { } text && LegacyOnly(t, text, ", ") is { } left)
            {
                context.Add(mandatory ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, DiagnosticCodes.ProtocolRangeGap, name,
                    Message($"{name} = {text}", left, openSsl, mandatory), t.SpanOf(name));
            }
        }

        foreach (var item in t.Config.TlsPolicy.Items)
        {
            if (item.Full is not { } entry || entry.Protocols.IsEmpty || entry.SecurityLevel is not { } level || level < ClientSecurityLevel.May)
            {
                continue;
            }

            if (LegacyOnly(t, string.Join(':', entry.Protocols), ":") is { } left)
            {
                var mandatory = level >= ClientSecurityLevel.Encrypt;
                context.Add(mandatory ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, DiagnosticCodes.ProtocolRangeGap, $"tls_policy[{entry.Destination}]",
                    Message($"protocols={string.Join(':', entry.Protocols)} for {entry.Destination}", left, openSsl, mandatory), entry.SpanOf("protocols"));
            }
        }
    }

    /// <summary>The protocols left when they are only TLS 1.1 and older, else null.</summary>
    private static List<string>? LegacyOnly(ValidationTarget t, string text, string joiner)
    {
        if (ProtocolSyntax.Read(t, text, joiner).Enabled is not { } enabled)
        {
            return null; // invalid or numeric: other rules report it
        }

        // A protocol the release cannot name (TLSv1.2 before 2.10, ...) or not control (TLSv1.3 before
        // 3.4 and its back-ports) stays enabled whatever the list says.
        var known = ProtocolSyntax.NamesIn(t);
        bool On(string p) => enabled.Contains(p) || !known.Contains(p) || (p == "TLSv1.3" && !t.AtLeast(Thresholds.ProtocolTls13Effective));
        var lowest = Array.FindIndex(Ordered, On);
        if (lowest < 0)
        {
            return null; // nothing enabled: ProtocolSyntax reports it
        }

        var run = Ordered.Skip(lowest).TakeWhile(On).ToList();
        return run.Contains("TLSv1.2") || run.Contains("TLSv1.3") ? null : run;
    }

    private static string Message(string what, List<string> left, OpenSslVersion openSsl, bool mandatory) =>
        $"{what} leaves the SMTP client only {string.Join(" and ", left)} (OpenSSL uses the contiguous range from the lowest protocol enabled), "
        + $"and OpenSSL {openSsl} at its default security level refuses the legacy signatures of TLS 1.1 and older, so TLS with any server that authenticates with a certificate fails"
        + (mandatory ? " and mail is deferred. " : ". ")
        + "Keep TLSv1.2 and TLSv1.3 enabled: '>=TLSv1.2' (3.6 and later), or '!SSLv2, !SSLv3, !TLSv1, !TLSv1.1'.";
}
