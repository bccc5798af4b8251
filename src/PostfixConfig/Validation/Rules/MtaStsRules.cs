using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.MtaSts;
using PostfixConfig.Syntax;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// The MTA-STS policy resolver Postfix asks through <c>smtp_tls_policy_maps</c> (the <c>mta_sts</c>
/// section, or a resolver's socketmap written in main): its address, the attributes its answers carry
/// against the target release (<c>servername</c> from 3.4, <c>policy_type</c>/<c>policy_domain</c>
/// from 3.10), the trust anchors its <c>secure</c> answers need, its place after the site's own table,
/// and how it goes with DANE. The socketmap syntax itself is checked with every table reference
/// (<see cref="MapReferenceRules"/>).
/// </summary>
internal sealed class MtaStsRules : RuleSet
{
    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        var resolver = t.Config.MtaSts;
        var maps = t.Text(MtaStsSetup.PolicyMaps) ?? string.Empty;
        var found = t.Knows(MtaStsSetup.PolicyMaps) ? MtaStsSetup.FindResolvers(maps, resolver) : [];
        if (resolver is null && found.Count == 0)
        {
            return;
        }

        var span = resolver?.Span ?? t.SpanOf(MtaStsSetup.PolicyMaps);
        if (resolver is not null && !CheckSection(context, t, resolver) && found.Count == 0)
        {
            return; // nothing was set up, and main names no resolver of its own
        }

        foreach (var map in found)
        {
            if (map.MapName == MtaStsSetup.TlspolQueryWithTlsRpt && !Thresholds.PolicyPluginAttributes.IsSatisfiedBy(t.Version))
            {
                context.Error(DiagnosticCodes.MtaStsAttributeNotInRelease, MtaStsSetup.PolicyMaps,
                    $"{map.Text}: postfix-tlspol answers {MtaStsSetup.TlspolQueryWithTlsRpt} lookups with policy_type and policy_domain attributes, which Postfix {Thresholds.PolicyPluginAttributes.Describe()} brought; {t.Release} finds them invalid and defers the mail of every MTA-STS and DANE domain. Use socketmap:{map.Endpoint}:{MtaStsSetup.TlspolQuery} (or 'mta_sts: {{resolver: postfix-tlspol}}', which picks the name for the release).",
                    t.SpanOf(MtaStsSetup.PolicyMaps));
            }
            else if (map.MapName == MtaStsSetup.TlspolQuery && Thresholds.PolicyPluginAttributes.IsSatisfiedBy(t.Version))
            {
                context.Info(DiagnosticCodes.MtaStsNote, MtaStsSetup.PolicyMaps,
                    $"{map.Text}: from Postfix {Thresholds.PolicyPluginAttributes.Describe()} postfix-tlspol's {MtaStsSetup.TlspolQueryWithTlsRpt} gives Postfix the policy attributes that TLSRPT reports and smtp_tls_enforce_sts_mx_patterns need (also with TLSRPT turned off); use socketmap:{map.Endpoint}:{MtaStsSetup.TlspolQueryWithTlsRpt}.",
                    t.SpanOf(MtaStsSetup.PolicyMaps));
            }
        }

        CheckTrustAnchors(context, t, span);
        CheckOrder(context, t, maps, found);
        CheckDane(context, t, resolver, found, span);
    }

    /// <summary>The section's own settings; false when its address is unusable (nothing was set up then).</summary>
    private static bool CheckSection(ValidationContext<ValidationTarget> context, ValidationTarget t, MtaStsResolver resolver)
    {
        var name = MtaStsResolver.NameOf(resolver.Kind);
        if (SocketmapSyntax.CheckEndpoint(resolver.Address) is { } problem)
        {
            context.Error(DiagnosticCodes.InvalidMtaStsResolver, "mta_sts.address",
                $"mta_sts.address: {problem}. The address is where {name} listens, as Postfix names a socketmap server: inet:HOST:PORT or unix:PATH.",
                resolver.AddressSpan ?? resolver.Span);
            return false;
        }

        if (!t.Knows(MtaStsSetup.PolicyMaps))
        {
            context.Error(DiagnosticCodes.MtaStsAttributeNotInRelease, "mta_sts",
                $"{t.Release} has no smtp_tls_policy_maps, through which Postfix asks an MTA-STS resolver; remove mta_sts or target a newer release.",
                resolver.Span);
            return false;
        }

        if (resolver.Kind == MtaStsResolverKind.PostfixTlspol)
        {
            foreach (var (key, given) in new[] { ("require_sni", resolver.RequireSniSpan), ("tlsrpt", resolver.TlsRptSpan) })
            {
                if (given is not null)
                {
                    context.Warning(DiagnosticCodes.SettingHasNoEffect, $"mta_sts.{key}",
                        $"mta_sts.{key} describes postfix-mta-sts-resolver's configuration and has no effect for postfix-tlspol (which sends no servername, and the TLSRPT attributes with {MtaStsSetup.TlspolQueryWithTlsRpt}, chosen from Postfix {Thresholds.PolicyPluginAttributes.Describe()}). Remove it.",
                        given);
                }
            }

            var mapName = MtaStsSetup.MapName(resolver, t.Version);
            if (mapName == MtaStsSetup.TlspolQuery)
            {
                context.Info(DiagnosticCodes.MtaStsNote, "mta_sts",
                    $"postfix-tlspol is asked with the map name {MtaStsSetup.TlspolQuery} for {t.Release}: {MtaStsSetup.TlspolQueryWithTlsRpt}, which adds the TLSRPT policy attributes, needs Postfix {Thresholds.PolicyPluginAttributes.Describe()}. After an upgrade, render again.",
                    resolver.Span);
            }

            return true;
        }

        if (resolver.RequireSni && !Thresholds.PolicyServerName.IsSatisfiedBy(t.Version))
        {
            context.Error(DiagnosticCodes.MtaStsAttributeNotInRelease, "mta_sts.resolver",
                $"postfix-mta-sts-resolver answers secure match=... servername=hostname (its require_sni, on by default), and servername= needs Postfix {Thresholds.PolicyServerName.Describe()}: {t.Release} finds the answer invalid and defers the mail of every MTA-STS domain. Set 'require_sni: false' in the zones of mta-sts-daemon.yml and here (mta_sts.require_sni: false), or upgrade Postfix.",
                resolver.RequireSniSpan ?? resolver.KindSpan ?? resolver.Span);
        }

        if (resolver.TlsRpt && !Thresholds.PolicyPluginAttributes.IsSatisfiedBy(t.Version))
        {
            context.Error(DiagnosticCodes.MtaStsAttributeNotInRelease, "mta_sts.tlsrpt",
                $"With tlsrpt: true postfix-mta-sts-resolver adds policy_type, policy_domain and the other TLSRPT attributes, which Postfix {Thresholds.PolicyPluginAttributes.Describe()} brought: {t.Release} finds the answer invalid and defers the mail of every MTA-STS domain. Turn tlsrpt off in mta-sts-daemon.yml and here.",
                resolver.TlsRptSpan ?? resolver.Span);
        }
        else if (!resolver.TlsRpt && Thresholds.PolicyPluginAttributes.IsSatisfiedBy(t.Version))
        {
            context.Info(DiagnosticCodes.MtaStsNote, "mta_sts",
                $"postfix-mta-sts-resolver sends Postfix the TLSRPT policy attributes only with its tlsrpt option (release 1.5.0 and later; Debian 12 ships 1.1.2): without them Postfix reports no TLSRPT results for MTA-STS domains and smtp_tls_enforce_sts_mx_patterns has nothing to enforce. With a resolver that has it, set tlsrpt: true in mta-sts-daemon.yml and mta_sts.tlsrpt: true here.",
                resolver.Span);
        }

        return true;
    }

    /// <summary>A resolver answers secure (certificate verified): without a CA file or folder nothing verifies.</summary>
    private static void CheckTrustAnchors(ValidationContext<ValidationTarget> context, ValidationTarget t, SourceSpan? span)
    {
        if (t.Resolve("smtp_tls_CAfile") is { Length: 0 } && t.Resolve("smtp_tls_CApath") is { Length: 0 })
        {
            context.Warning(DiagnosticCodes.MtaStsWithoutTrustAnchors, "smtp_tls_CAfile",
                "An MTA-STS resolver answers 'secure' for domains with a policy, and Postfix then verifies the server certificate against its CAs: with neither smtp_tls_CAfile nor smtp_tls_CApath set it has none (tls_append_default_CA alone does not help), so mail for every domain whose policy is in enforce mode is deferred (\"Server certificate not trusted\"). Set smtp_tls_CAfile: /etc/ssl/certs/ca-certificates.crt.",
                span);
        }
    }

    /// <summary>The site's own tables must come first: the first table that answers wins.</summary>
    private static void CheckOrder(ValidationContext<ValidationTarget> context, ValidationTarget t, string maps, List<ResolverMap> found)
    {
        if (found.Count == 0)
        {
            return;
        }

        var first = found[0];
        var resolverIndexes = found.Select(f => f.Index).ToHashSet();
        var hidden = MapSyntax.SplitElements(maps).Select((element, index) => (element, index))
            .Where(e => e.index > first.Index && !resolverIndexes.Contains(e.index)).Select(e => e.element).ToList();
        if (hidden.Count > 0)
        {
            context.Warning(DiagnosticCodes.MtaStsLookupOrder, MtaStsSetup.PolicyMaps,
                $"{first.Text} comes before {string.Join(", ", hidden)} in smtp_tls_policy_maps: Postfix uses the first table that answers, so for every domain with an MTA-STS policy the resolver's answer wins and your own entries (DANE levels among them) are never looked up. List the resolver last.",
                t.SpanOf(MtaStsSetup.PolicyMaps));
        }
    }

    private static void CheckDane(ValidationContext<ValidationTarget> context, ValidationTarget t, MtaStsResolver? resolver, List<ResolverMap> found, SourceSpan? span)
    {
        var level = TlsFamily.Smtp.EffectiveLevel(t);
        var kinds = found.Select(f => f.Kind).Append(resolver?.Kind).OfType<MtaStsResolverKind>().ToHashSet();
        if (kinds.Contains(MtaStsResolverKind.PostfixMtaStsResolver) && level is "dane" or "dane-only")
        {
            context.Info(DiagnosticCodes.MtaStsNote, "smtp_tls_security_level",
                $"postfix-mta-sts-resolver answers 'secure' for every domain with an MTA-STS policy, also for domains that publish DANE TLSA records, which then are not checked with DANE (RFC 8461 section 2 asks senders to prefer DANE). Keep DANE for such domains with tls_policy entries at level dane-only (the site's table is asked first), or use postfix-tlspol, which checks DANE first.",
                span);
        }

        if (kinds.Contains(MtaStsResolverKind.PostfixTlspol) && t.Knows("smtp_dns_support_level")
            && t.Resolve("smtp_dns_support_level") is { } support && !support.Equals("dnssec", StringComparison.OrdinalIgnoreCase))
        {
            context.Warning(DiagnosticCodes.DaneWithoutDnssec, "smtp_dns_support_level",
                $"postfix-tlspol answers dane-only for domains with DNSSEC-signed TLSA records, and with smtp_dns_support_level = {(support.Length == 0 ? "(empty)" : support)} Postfix makes no DNSSEC lookups, so their mail is deferred. Set smtp_dns_support_level: dnssec (with a DNSSEC-validating resolver on the host) and smtp_tls_security_level: dane, as postfix-tlspol's documentation asks.",
                t.SpanOf("smtp_dns_support_level") ?? span);
        }
    }
}
