using System.Collections.Frozen;
using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// Fingerprints (level <c>fingerprint</c>, 2.5+; <c>relay_clientcerts</c>): a fingerprint level needs
/// fingerprints to match, each must be hex bytes (colon-free from 3.6), its length must fit the
/// digest in effect, and the digest default that changes with <c>compatibility_level</c> (md5 below
/// 3.6, sha256 from 3.6) should be written out. Raw public keys (3.9) only match public-key fingerprints.
/// </summary>
internal sealed class FingerprintRules : RuleSet
{
    /// <summary>Digest output sizes in bytes.</summary>
    private static readonly FrozenDictionary<string, int> DigestBytes = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["md5"] = 16,
        ["sha1"] = 20,
        ["sha224"] = 28,
        ["sha256"] = 32,
        ["sha384"] = 48,
        ["sha512"] = 64,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads a fingerprint: the number of bytes, or an issue.</summary>
    internal static (int Bytes, SyntaxIssue? Issue) Read(ValidationTarget t, string fingerprint)
    {
        // Hex bytes, either all separated by colons (AB:CD:...) or none; checked without allocation
        // (a big policy table has tens of thousands of fingerprints).
        var colons = fingerprint.Contains(':', StringComparison.Ordinal);
        var digits = 0;
        var group = 0;
        var wellFormed = true;
        foreach (var c in fingerprint)
        {
            if (c == ':')
            {
                wellFormed &= group == 2;
                group = 0;
            }
            else
            {
                wellFormed &= char.IsAsciiHexDigit(c);
                digits++;
                group++;
            }
        }

        wellFormed &= digits > 0 && digits % 2 == 0 && (!colons || group == 2);
        if (!wellFormed)
        {
            return (0, new SyntaxIssue(DiagnosticSeverity.Error, DiagnosticCodes.InvalidFingerprint,
                $"'{fingerprint}' is not a fingerprint; write the digest as hex bytes separated by colons, as 'openssl x509 -noout -fingerprint -sha256' prints it (AB:CD:...)."));
        }

        if (!colons && !t.AtLeast(Thresholds.ColonFreeFingerprints))
        {
            var hex = fingerprint;
            return (hex.Length / 2, new SyntaxIssue(DiagnosticSeverity.Error, DiagnosticCodes.InvalidFingerprint,
                $"'{fingerprint}' has no colons; {t.Release} only reads fingerprints as colon-separated bytes (plain hex needs Postfix {Thresholds.ColonFreeFingerprints.Describe()}). Write {string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)))}."));
        }

        return (digits / 2, null);
    }

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        if (!t.AtLeast(Thresholds.FingerprintLevel))
        {
            return; // no fingerprint level; the parameters and level word are reported by release
        }

        var mainLevel = TlsFamily.Smtp.EffectiveLevel(t);
        var mainMatch = t.Resolve("smtp_tls_fingerprint_cert_match");
        var used = new List<(string Where, string Fingerprint, SourceSpan? Span)>();
        if (t.IsSet("smtp_tls_fingerprint_cert_match") && mainMatch is not null)
        {
            foreach (var fp in PostfixText.SplitList(mainMatch))
            {
                used.Add(("smtp_tls_fingerprint_cert_match", fp, t.SpanOf("smtp_tls_fingerprint_cert_match")));
            }
        }

        if (mainLevel == "fingerprint" && t.IsSet("smtp_tls_security_level") && mainMatch is { Length: 0 })
        {
            context.Error(DiagnosticCodes.FingerprintWithoutMatch, "smtp_tls_security_level",
                "smtp_tls_security_level = fingerprint needs the expected fingerprints in smtp_tls_fingerprint_cert_match; without them Postfix defers the mail of every destination "
                + "that has no policy entry with match=. Add smtp_tls_fingerprint_cert_match.",
                t.SpanOf("smtp_tls_security_level"));
        }

        foreach (var item in t.Config.TlsPolicy.Items)
        {
            if (!string.Equals(item.Level.Trim(), "fingerprint", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var entry = item.Entry;

            var where = $"tls_policy[{entry.Destination}]";
            if (entry.Match.IsEmpty && mainMatch is { Length: 0 })
            {
                context.Error(DiagnosticCodes.FingerprintWithoutMatch, where,
                    $"Level fingerprint for {entry.Destination} has no fingerprint to match (no match= and smtp_tls_fingerprint_cert_match is empty), so Postfix defers its mail. "
                    + "Add match: with the server's certificate or public-key fingerprint.",
                    entry.SpanOf("level"));
            }

            var matchSpan = entry.SpanOf("match");
            foreach (var m in entry.Match)
            {
                if (!m.Contains('|', StringComparison.Ordinal))
                {
                    if (m.Length > 0)
                    {
                        used.Add((where, m, matchSpan)); // the common case: one fingerprint per list item
                    }

                    continue;
                }

                foreach (var fp in m.Split('|', StringSplitOptions.RemoveEmptyEntries))
                {
                    used.Add((where, fp, matchSpan));
                }
            }
        }

        var lengths = new List<(string Where, int Bytes, SourceSpan? Span)>();
        foreach (var (where, fp, span) in used)
        {
            var (bytes, issue) = Read(t, fp.Trim());
            if (issue is not null)
            {
                context.Add(issue.Severity, issue.Code, where, issue.Message, span);
            }

            if (bytes > 0)
            {
                lengths.Add((where, bytes, span));
            }
        }

        CheckDigest(context, t, "smtp_tls_fingerprint_digest", lengths);
        CheckServerDigest(context, t);
        CheckRawPublicKeys(context, t, mainLevel, used.Count > 0);
    }

    private static void CheckDigest(ValidationContext<ValidationTarget> context, ValidationTarget t, string parameter, List<(string Where, int Bytes, SourceSpan? Span)> lengths)
    {
        if (lengths.Count == 0 || !t.Knows(parameter))
        {
            return;
        }

        var digest = t.Resolve(parameter);
        if (digest is null)
        {
            var guess = DigestBytes.FirstOrDefault(d => d.Value == lengths[0].Bytes).Key;
            context.Warning(DiagnosticCodes.FingerprintDigestMismatch, parameter,
                $"{parameter} is not set, and in {t.Release} its default depends on compatibility_level (md5 below {Thresholds.Sha256FingerprintCompatibilityLevel}, sha256 from it), "
                + $"which is not set here. Set {parameter} = {guess ?? "sha256"} to match the fingerprints you listed.",
                lengths[0].Span);
            return;
        }

        if (!DigestBytes.TryGetValue(digest, out var expected))
        {
            return; // another digest OpenSSL knows; sizes unknown here
        }

        foreach (var (where, bytes, span) in lengths.Where(l => l.Bytes != expected).DistinctBy(l => l.Where))
        {
            var fits = DigestBytes.FirstOrDefault(d => d.Value == bytes).Key;
            context.Error(DiagnosticCodes.FingerprintDigestMismatch, where,
                $"A fingerprint of {where} has {bytes} bytes, but {parameter} = {digest} produces {expected}, so it can never match and mail is deferred. "
                + (fits is null ? $"Write {digest} fingerprints." : $"Set {parameter} = {fits}, or write {digest} fingerprints."),
                span);
        }

        if (!t.IsSet(parameter) && t.AtLeast(Thresholds.FingerprintDigestByCompatibilityLevel) && digest.Equals("md5", StringComparison.OrdinalIgnoreCase))
        {
            context.Warning(DiagnosticCodes.DefaultDependsOnCompatibilityLevel, parameter,
                $"{parameter} is not set, so {t.Release} uses md5 because compatibility_level is below {Thresholds.Sha256FingerprintCompatibilityLevel} (and logs a warning each time); "
                + $"raising compatibility_level would switch to sha256 and break these fingerprints. Set {parameter} = md5 explicitly, or better, sha256 with new fingerprints.",
                lengths[0].Span);
        }
    }

    /// <summary>relay_clientcerts holds fingerprints of smtpd_tls_fingerprint_digest, whose default may change with compatibility_level.</summary>
    private static void CheckServerDigest(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        const string Digest = "smtpd_tls_fingerprint_digest";
        if (!t.IsSet("relay_clientcerts") || !t.Knows(Digest) || t.IsSet(Digest)
            || !t.AtLeast(Thresholds.FingerprintDigestByCompatibilityLevel) || t.Resolve(Digest) is { Length: > 0 })
        {
            return;
        }

        context.Warning(DiagnosticCodes.DefaultDependsOnCompatibilityLevel, Digest,
            $"relay_clientcerts holds fingerprints made with {Digest}, whose default in {t.Release} depends on compatibility_level (md5 below {Thresholds.Sha256FingerprintCompatibilityLevel}, sha256 from it). "
            + $"Set {Digest} to the digest the table was made with (md5 or sha256).",
            t.SpanOf("relay_clientcerts"));
    }

    private static void CheckRawPublicKeys(ValidationContext<ValidationTarget> context, ValidationTarget t, string? mainLevel, bool fingerprints)
    {
        var rpk = t.Knows("smtp_tls_enable_rpk") && t.Flag("smtp_tls_enable_rpk") == true;
        // Items, not entries: a compact row (destination: level) has no enable_rpk and is not built.
        var entries = new List<TlsPolicyEntry>();
        var rpkPolicy = false;
        foreach (var item in t.Config.TlsPolicy.Items)
        {
            if (string.Equals(item.Level.Trim(), "fingerprint", StringComparison.OrdinalIgnoreCase))
            {
                rpkPolicy |= item.Full?.EnableRpk != false;
                if (item.Full is { EnableRpk: true } entry)
                {
                    entries.Add(entry);
                }
            }
        }

        if (rpk && fingerprints && (mainLevel == "fingerprint" || rpkPolicy))
        {
            // Information, not a warning: a fingerprint does not say whether it is of a certificate or of a public key,
            // and a correct setup with public-key fingerprints must not get a warning.
            context.Info(DiagnosticCodes.RawPublicKeyFingerprints, "smtp_tls_enable_rpk",
                "With smtp_tls_enable_rpk = yes servers may send a raw public key instead of a certificate, and then only public-key fingerprints match; "
                + "make sure the match lists hold public-key fingerprints ('postfix-config fingerprint --public-key CERT.pem') or turn raw public keys off.",
                t.SpanOf("smtp_tls_enable_rpk"));
        }

        foreach (var entry in entries.Where(_ => !rpk))
        {
            context.Info(DiagnosticCodes.RawPublicKeyFingerprints, $"tls_policy[{entry.Destination}]",
                $"enable_rpk = yes for {entry.Destination}: a server that sends a raw public key only matches public-key fingerprints, not certificate fingerprints; make sure match lists public-key fingerprints ('postfix-config fingerprint --public-key CERT.pem').",
                entry.SpanOf("enable_rpk"));
        }
    }
}
