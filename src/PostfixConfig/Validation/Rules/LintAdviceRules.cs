using FluentValidation;
using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;
using PostfixConfig.Text;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// Advice for existing main.cf files, run by lint (not by YAML validation): what the TLS lines of a
/// distribution default actually do. Debian's default offers STARTTLS with the self-signed "snakeoil"
/// certificate, older ones with the legacy <c>smtpd_use_tls = yes</c>; these rules say that inbound
/// TLS is on but unverifiable, which security level replaces a legacy switch, that
/// <c>smtpd_tls_chain_files</c> is the preferred way to name key and certificate where the release has
/// it, and whether outbound TLS is off. Effective values are expanded as Postfix would, defaults included.
/// </summary>
internal sealed class LintAdviceRules : RuleSet
{
    /// <summary>Debian's self-signed certificate (package ssl-cert).</summary>
    internal const string SnakeoilCertificate = "/etc/ssl/certs/ssl-cert-snakeoil.pem";

    /// <summary>Debian's self-signed certificate's key (package ssl-cert).</summary>
    internal const string SnakeoilKey = "/etc/ssl/private/ssl-cert-snakeoil.key";

    public static LintAdviceRules Instance { get; } = new();

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        var facts = new Facts(t);
        Inbound(context, t, facts);
        foreach (var family in LegacyTlsMigration.Families)
        {
            LegacySwitches(context, t, facts, family);
        }

        Outbound(context, t, facts);
    }

    /// <summary>Effective (expanded) values of the target, defaults included.</summary>
    private sealed class Facts(ValidationTarget target)
    {
        private readonly ParameterExpansion _expansion = ParameterExpansion.For(target.Config.Main, target.Version, target.Catalog);

        public bool Knows(string name) => target.Catalog.Find(name)?.IsKnownIn(target.Version) == true;

        public string Value(string name) =>
            Knows(name) || target.IsSet(name) ? (_expansion.ExpandParameter(name).Value ?? target.Text(name) ?? string.Empty).Trim() : string.Empty;

        public bool Yes(string name) => LegacyTlsMigration.Boolean(_expansion, name) == true;

        public bool? Boolean(string name) => LegacyTlsMigration.Boolean(_expansion, name);
    }

    private static void Inbound(ValidationContext<ValidationTarget> context, ValidationTarget t, Facts f)
    {
        var level = f.Knows("smtpd_tls_security_level") ? f.Value("smtpd_tls_security_level") : string.Empty;
        var on = level.Length > 0
            ? !level.Equals("none", StringComparison.OrdinalIgnoreCase)
            : f.Yes("smtpd_use_tls") || f.Yes("smtpd_enforce_tls");
        var chain = f.Knows("smtpd_tls_chain_files") ? f.Value("smtpd_tls_chain_files") : string.Empty;
        var cert = f.Value("smtpd_tls_cert_file");
        var key = f.Value("smtpd_tls_key_file");
        var how = level.Length > 0 ? $"smtpd_tls_security_level = {level}" : f.Yes("smtpd_enforce_tls") ? "smtpd_enforce_tls = yes" : "smtpd_use_tls = yes";

        var snakeoilIn = chain.Length > 0
            ? (PostfixText.SplitList(chain).Contains(SnakeoilCertificate, StringComparer.Ordinal) ? "smtpd_tls_chain_files" : null)
            : cert == SnakeoilCertificate ? "smtpd_tls_cert_file" : null;
        if (on && snakeoilIn is not null)
        {
            // Information, as for any self-signed certificate (PFX7016): opportunistic TLS works with it.
            context.Info(DiagnosticCodes.SnakeoilCertificate, snakeoilIn,
                $"Inbound TLS is on ({how}: STARTTLS is offered), but with Debian's self-signed \"snakeoil\" certificate {SnakeoilCertificate}: "
                + "mail arrives encrypted, yet senders that verify certificates against public CAs (MTA-STS) cannot trust this server. "
                + "Get a certificate for this host's name (for example from Let's Encrypt) and name its key and chain instead.",
                t.SpanOf(snakeoilIn));
        }

        var chainInfo = t.Catalog.Find("smtpd_tls_chain_files");
        if (chainInfo is not null && chainInfo.IsKnownIn(t.Version) && !t.IsSet("smtpd_tls_chain_files")
            && t.IsSet("smtpd_tls_cert_file") && cert.Length > 0 && !cert.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            var keyFile = key.Length > 0 ? key : cert;
            context.Info(DiagnosticCodes.ChainFilesPreferred, "smtpd_tls_cert_file",
                $"On Postfix {chainInfo.Since.Describe()} and later, smtpd_tls_chain_files is the preferred way to name the server's key and certificate: "
                + $"write smtpd_tls_chain_files = {keyFile}, {cert} (the key first, then the certificate and its chain) and remove smtpd_tls_cert_file and smtpd_tls_key_file "
                + "('postfix-config merge --migrate' comments them out once smtpd_tls_chain_files is set).",
                t.NameSpanOf("smtpd_tls_cert_file"));
        }
    }

    private static void LegacySwitches(ValidationContext<ValidationTarget> context, ValidationTarget t, Facts f, LegacyTlsMigration.Family family)
    {
        var set = family.LegacyNames.Where(t.IsSet).ToList();
        if (set.Count == 0 || !f.Knows(family.Level))
        {
            return;
        }

        var first = set.OrderBy(n => t.NameSpanOf(n)?.Line ?? int.MaxValue).First();
        var written = string.Join(", ", set.Select(n => $"{n} = {t.Text(n)}"));
        var levelSet = t.Text(family.Level) is { } lt && lt.Trim().Length > 0;
        var effectiveLevel = f.Value(family.Level);
        string message;
        if (levelSet || effectiveLevel.Length > 0)
        {
            message = $"{written}: ignored, because {family.Level} = {effectiveLevel} is in effect and overrides the legacy switches; remove them.";
        }
        else if (f.Boolean(family.Use) is not { } use || f.Boolean(family.Enforce) is not { } enforce
                 || (family.PeerName is { } peerName ? f.Boolean(peerName) : true) is not { } peer)
        {
            message = $"{written}: legacy switches, superseded by {family.Level} (Postfix 2.3 and later); set {family.Level} instead and remove them.";
        }
        else
        {
            var level = family.LevelFor(use, enforce, peer);
            message = level.Length == 0
                ? $"{written}: legacy switches that amount to no TLS, which is what an unset {family.Level} means; remove them."
                : $"{written}: superseded by {family.Level} = {level} (Postfix 2.3 and later); write that instead and remove the legacy switches ('postfix-config merge --migrate' does both).";
        }

        context.Warning(DiagnosticCodes.LegacyTlsSwitch, first, message, t.NameSpanOf(first));
    }

    private static void Outbound(ValidationContext<ValidationTarget> context, ValidationTarget t, Facts f)
    {
        var level = f.Knows("smtp_tls_security_level") ? f.Value("smtp_tls_security_level") : string.Empty;
        var off = level.Length > 0
            ? level.Equals("none", StringComparison.OrdinalIgnoreCase)
            : !f.Yes("smtp_use_tls") && !f.Yes("smtp_enforce_tls");
        if (!off)
        {
            return;
        }

        var maps = t.Text("smtp_tls_policy_maps") is { Length: > 0 } m ? $" except for destinations that smtp_tls_policy_maps = {m} lists" : string.Empty;
        var why = t.IsSet("smtp_tls_security_level")
            ? "smtp_tls_security_level = none"
            : f.Knows("smtp_tls_security_level") ? "smtp_tls_security_level is not set" : $"Postfix {t.Version} has no smtp_tls_security_level and smtp_use_tls is not yes";
        var fix = f.Knows("smtp_tls_security_level")
            ? "Set smtp_tls_security_level = may (opportunistic TLS), or dane together with smtp_dns_support_level = dnssec."
            : "Set smtp_use_tls = yes.";
        context.Warning(DiagnosticCodes.OutboundTlsOff, "smtp_tls_security_level",
            $"Outbound TLS is off{maps}: the SMTP client sends mail in clear text, even to servers that offer STARTTLS, because {why}. {fix}",
            t.SpanOf("smtp_tls_security_level"));
    }
}
