using FluentValidation;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// DANE (levels <c>dane</c> and <c>dane-only</c>, in main.cf or the policy table, 2.11+): the DNS
/// settings it needs (<c>smtp_dns_support_level = dnssec</c>, <c>dns</c> in <c>smtp_host_lookup</c>,
/// MX lookup errors not ignored, no resolver search options) and <c>tls_dane_digests</c>. Without
/// them Postfix silently downgrades dane to may and defers dane-only mail.
/// </summary>
internal sealed class DaneRules : RuleSet
{
    /// <summary>Digest names OpenSSL knows that are plausible for TLSA records.</summary>
    private static readonly string[] KnownDigests =
        ["sha1", "sha224", "sha256", "sha384", "sha512", "sha512-224", "sha512-256", "sha3-224", "sha3-256", "sha3-384", "sha3-512", "md5", "sm3", "blake2b512", "blake2s256"];

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        CheckDigests(context, t);
        CheckFamily(context, t, TlsFamily.Smtp, "smtp", withPolicy: true);
        CheckFamily(context, t, TlsFamily.Lmtp, "lmtp", withPolicy: false);
    }

    private static void CheckFamily(ValidationContext<ValidationTarget> context, ValidationTarget t, TlsFamily family, string prefix, bool withPolicy)
    {
        // Who uses DANE: the main.cf level, and the policy entries at dane or dane-only. The entries
        // share one diagnostic per problem (at the first, with the count): the cause is in main.cf,
        // and a big table can have tens of thousands of them.
        var users = new List<(string Parameter, string Level, string Who, SourceSpan? Span)>(2);
        if (t.IsSet(family.Level) && family.EffectiveLevel(t) is "dane" or "dane-only" && t.Knows(family.Level))
        {
            var mainLevel = family.EffectiveLevel(t)!;
            users.Add((family.Level, mainLevel, $"Level {mainLevel}", t.SpanOf(family.Level)));
        }

        if (withPolicy && PolicyTableRules.FirstMatching(t.Config.TlsPolicy, item => IsDane(item.Level), out var count) is { } first)
        {
            var others = PolicyTableRules.AndMore(count, "with dane or dane-only");
            var level = first.Level.Trim().ToLowerInvariant();
            users.Add(($"tls_policy[{first.Destination}]", level, $"Level {level} for {first.Destination}{others}", first.Entry.SpanOf("level")));
        }

        var dnsLevel = prefix + "_dns_support_level";
        if (users.Count == 0 || !t.Knows(dnsLevel))
        {
            return; // no DANE, or a release without DANE (the level itself is reported)
        }

        var support = t.Resolve(dnsLevel);
        var lookup = t.Resolve(prefix + "_host_lookup");
        var ignoreMx = prefix == "smtp" && t.Flag("ignore_mx_lookup_error") == true;
        var resolver = t.Knows(prefix + "_dns_resolver_options") ? t.Resolve(prefix + "_dns_resolver_options") : string.Empty;
        foreach (var (parameter, level, who, span) in users)
        {
            var effect = level == "dane"
                ? "dane silently acts as may (unauthenticated TLS)"
                : "dane-only defers all mail";
            if (support is not null && !support.Equals("dnssec", StringComparison.OrdinalIgnoreCase))
            {
                var now = support.Length == 0 ? "not set" : $"'{support}'";
                context.Error(DiagnosticCodes.DaneWithoutDnssec, parameter,
                    $"{who} needs {dnsLevel} = dnssec, but it is {now}: without DNSSEC lookups no TLSA record can be trusted, so {effect}. Add {dnsLevel} = dnssec (and use a DNSSEC-validating resolver).",
                    span);
            }

            if (lookup is not null && !PostfixText.SplitList(lookup).Contains("dns", StringComparer.OrdinalIgnoreCase))
            {
                context.Error(DiagnosticCodes.DaneDnsSettings, parameter,
                    $"{who} needs DNS host lookups, but {prefix}_host_lookup = {lookup} has no 'dns', so {effect}. Write {prefix}_host_lookup = dns (or 'dns, native').",
                    span);
            }

            if (ignoreMx)
            {
                context.Error(DiagnosticCodes.DaneDnsSettings, parameter,
                    $"{who} cannot work with ignore_mx_lookup_error = yes (DNSSEC failures would be ignored), so {effect}. Remove ignore_mx_lookup_error.",
                    span);
            }

            if (resolver is not null && PostfixText.SplitList(resolver)
                    .FirstOrDefault(o => o.Equals("res_defnames", StringComparison.OrdinalIgnoreCase) || o.Equals("res_dnsrch", StringComparison.OrdinalIgnoreCase)) is { } option)
            {
                context.Error(DiagnosticCodes.DaneDnsSettings, parameter,
                    $"{who} cannot work with {option} in {prefix}_dns_resolver_options (names must be fully qualified), so {effect}. Remove {option}.",
                    span);
            }
        }
    }

    private static bool IsDane(string level)
    {
        var l = level.AsSpan().Trim();
        return l.Equals("dane", StringComparison.OrdinalIgnoreCase) || l.Equals("dane-only", StringComparison.OrdinalIgnoreCase);
    }

    private static void CheckDigests(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        const string Name = "tls_dane_digests";
        if (!t.IsSet(Name) || !t.Knows(Name) || t.Resolve(Name) is not { } value)
        {
            return;
        }

        var digests = PostfixText.SplitList(value);
        foreach (var digest in digests)
        {
            if (!KnownDigests.Contains(digest, StringComparer.OrdinalIgnoreCase))
            {
                context.Warning(DiagnosticCodes.UnknownValue, Name,
                    $"'{digest}' in {Name} is not a digest OpenSSL is known to provide; an unknown digest disables DANE. Use sha256 and sha512.",
                    t.SpanOf(Name));
            }
        }

        if (!digests.Contains("sha256", StringComparer.OrdinalIgnoreCase))
        {
            context.Warning(DiagnosticCodes.DaneDigestsWithoutSha256, Name,
                $"{Name} = {value} leaves out sha256, the digest almost all TLSA records use, so those records cannot match. Write {Name} = sha512 sha256 (the default) or remove the setting.",
                t.SpanOf(Name));
        }
    }
}
