using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Validation.Syntax;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// Attributes of TLS policy entries (smtp_tls_policy.c): which attributes the target release knows,
/// which levels allow them, and their values. From 2.5 an unknown or misplaced attribute makes the
/// whole entry invalid (mail for the destination is deferred); 2.3 and 2.4 ignored it with a warning.
/// </summary>
internal sealed class PolicyAttributeRules : RuleSet
{
    /// <summary>The release that brought each typed attribute.</summary>
    private static readonly (string Name, VersionGate Since)[] Attributes =
    [
        ("protocols", Thresholds.SecurityLevels),
        ("ciphers", Thresholds.SecurityLevels),
        ("match", Thresholds.SecurityLevels),
        ("exclude", Thresholds.PolicyOpportunisticAttributes),
        ("tafile", Thresholds.PolicyTaFile),
        ("servername", Thresholds.PolicyServerName),
        ("connection_reuse", Thresholds.PolicyServerName),
        ("enable_rpk", Thresholds.PolicyEnableRpk),
    ];

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        foreach (var item in t.Config.TlsPolicy.Items)
        {
            if (item.Full is { } entry)
            {
                CheckEntry(context, t, entry); // a compact row has no attributes
            }
        }
    }

    private static void CheckEntry(ValidationContext<ValidationTarget> context, ValidationTarget t, TlsPolicyEntry entry)
    {
        var present = Present(entry);
        if (present.Count == 0)
        {
            return; // a level alone: nothing to check here
        }

        var where = $"tls_policy[{entry.Destination}]";
        var level = entry.Level.Trim().ToLowerInvariant();
        if (level == "none")
        {
            context.Warning(DiagnosticCodes.PolicyAttributesIgnored, where,
                $"Level none for {entry.Destination} turns TLS off, so Postfix ignores {string.Join(", ", present)} (with a warning). Remove them, or choose a TLS level.",
                entry.SpanOf(present[0]));
            return;
        }

        var strict = t.AtLeast(Thresholds.PolicyStrictAttributes);
        var severity = strict ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
        var consequence = strict
            ? $"{t.Release} treats the whole entry as invalid and defers mail for {entry.Destination}"
            : $"{t.Release} ignores it with a warning";
        foreach (var (name, since) in Attributes)
        {
            if (present.Contains(name) && !since.IsSatisfiedBy(t.Version))
            {
                context.Add(severity, DiagnosticCodes.PolicyAttributeNotInRelease, where,
                    $"Policy attribute {name} needs Postfix {since.Describe()}; {consequence}. Remove {name}.",
                    entry.SpanOf(name));
                present.Remove(name);
            }
        }

        CheckOthers(context, t, entry, where, severity, consequence);
        CheckLevels(context, t, entry, level, present, where, severity, consequence);
        CheckValues(context, t, entry, level, present, where);
    }

    private static List<string> Present(TlsPolicyEntry entry)
    {
        var present = new List<string>();
        void Add(bool has, string name)
        {
            if (has)
            {
                present.Add(name);
            }
        }

        Add(!entry.Protocols.IsEmpty, "protocols");
        Add(entry.Ciphers is not null, "ciphers");
        Add(!entry.Exclude.IsEmpty, "exclude");
        Add(!entry.Match.IsEmpty, "match");
        Add(!entry.TaFile.IsEmpty, "tafile");
        Add(entry.ServerName is not null, "servername");
        Add(entry.ConnectionReuse is not null, "connection_reuse");
        Add(entry.EnableRpk is not null, "enable_rpk");
        present.AddRange(entry.OtherAttributes.Select(a => a.Name));
        return present;
    }

    /// <summary>Unknown attributes, and the policy plugin attributes of 3.10.</summary>
    private static void CheckOthers(ValidationContext<ValidationTarget> context, ValidationTarget t, TlsPolicyEntry entry, string where, DiagnosticSeverity severity, string consequence)
    {
        if (entry.OtherAttributes.IsEmpty)
        {
            return;
        }

        var plugin = false;
        var known = string.Join(", ", Attributes.Where(a => a.Since.IsSatisfiedBy(t.Version)).Select(a => a.Name));
        foreach (var other in entry.OtherAttributes)
        {
            var isPlugin = PolicyTableRules.PluginAttributes.Contains(other.Name, StringComparer.OrdinalIgnoreCase);
            var typed = Attributes.FirstOrDefault(a => a.Name.Equals(other.Name, StringComparison.OrdinalIgnoreCase)).Name;
            if (isPlugin && t.AtLeast(Thresholds.PolicyPluginAttributes))
            {
                plugin = true;
                CheckPluginValue(context, entry, other, where);
                continue;
            }

            if (isPlugin)
            {
                context.Add(severity, DiagnosticCodes.PolicyAttributeNotInRelease, where,
                    $"Policy attribute {other.Name} (for MTA-STS/TLSRPT policy plugins) needs Postfix {Thresholds.PolicyPluginAttributes.Describe()}; {consequence}. Remove it.",
                    entry.SpanOf(other.Name));
                continue;
            }

            if (typed is not null)
            {
                context.Warning(DiagnosticCodes.UnknownPolicyAttribute, where,
                    $"Postfix matches '{other.Name}' as {typed}, but postfix-config only checks the value when the attribute is written '{typed}'. Write it in lower case.",
                    entry.SpanOf(other.Name));
                continue;
            }

            var close = Attributes.Select(a => a.Name).FirstOrDefault(a => a.StartsWith(other.Name.TrimEnd('s'), StringComparison.OrdinalIgnoreCase) || other.Name.StartsWith(a, StringComparison.OrdinalIgnoreCase));
            context.Add(severity, DiagnosticCodes.UnknownPolicyAttribute, where,
                $"Unknown policy attribute '{other.Name}'; {consequence}. "
                + (close is null ? string.Empty : $"Did you mean '{close}'? ")
                + $"{t.Release} knows {known}.",
                entry.SpanOf(other.Name));
        }

        if (plugin && !entry.OtherAttributes.Any(a => a.Name.Equals("policy_type", StringComparison.OrdinalIgnoreCase)))
        {
            context.Error(DiagnosticCodes.PolicyPluginWithoutType, where,
                $"Policy plugin attributes without policy_type make the entry for {entry.Destination} invalid (mail is deferred). Add policy_type (sts or tlsa), or remove the plugin attributes.",
                entry.SpanOf(entry.OtherAttributes[0].Name));
        }
    }

    private static void CheckPluginValue(ValidationContext<ValidationTarget> context, TlsPolicyEntry entry, TlsPolicyAttributeValue attribute, string where)
    {
        var name = attribute.Name.ToLowerInvariant();
        if (name == "policy_ttl" && (attribute.Value.Length == 0 || !attribute.Value.All(char.IsAsciiDigit)))
        {
            context.Error(DiagnosticCodes.InvalidPolicyAttributeValue, where,
                $"policy_ttl = '{attribute.Value}' is not a number of seconds; Postfix treats the entry as invalid. Write digits only, for example policy_ttl: 86400.",
                entry.SpanOf(attribute.Name));
        }
        else if (name == "policy_domain" && !ClientTlsRules.IsHostname(attribute.Value))
        {
            context.Error(DiagnosticCodes.InvalidHostname, where,
                $"policy_domain = '{attribute.Value}' is not a valid domain name; Postfix treats the entry as invalid. Write the policy's domain, for example example.com.",
                entry.SpanOf(attribute.Name));
        }
    }

    private static void CheckLevels(
        ValidationContext<ValidationTarget> context, ValidationTarget t, TlsPolicyEntry entry, string level, List<string> present, string where, DiagnosticSeverity severity, string consequence)
    {
        if (t.Catalog.Find(TlsFamily.Smtp.Level)?.FindValue(level) is not { } known || !known.Since.IsSatisfiedBy(t.Version))
        {
            return; // an invalid level is reported by PolicyTableRules
        }

        if (level == "may" && !t.AtLeast(Thresholds.PolicyOpportunisticAttributes))
        {
            foreach (var name in present.Where(n => n is "ciphers" or "protocols"))
            {
                context.Add(severity, DiagnosticCodes.PolicyAttributeNotAtLevel, where,
                    $"Policy attribute {name} is not allowed at level may before Postfix {Thresholds.PolicyOpportunisticAttributes.Describe()}; {consequence}. "
                    + $"Remove it (set smtp_tls_{(name == "ciphers" ? "mandatory_ciphers" : "mandatory_protocols")} for mandatory TLS instead), or use level encrypt.",
                    entry.SpanOf(name));
            }
        }

        if (present.Contains("match") && level is not ("fingerprint" or "verify" or "secure"))
        {
            context.Add(severity, DiagnosticCodes.PolicyAttributeNotAtLevel, where,
                $"Policy attribute match is only for levels fingerprint, verify and secure, not {level}; {consequence}. Remove match, or use one of those levels.",
                entry.SpanOf("match"));
        }

        if (present.Contains("tafile") && level is not ("verify" or "secure"))
        {
            context.Error(DiagnosticCodes.PolicyAttributeNotAtLevel, where,
                $"Policy attribute tafile is only for levels verify and secure, not {level}; {t.Release} treats the whole entry as invalid and defers mail for {entry.Destination}. "
                + (level is "dane" or "dane-only" ? "DANE takes its trust anchors from DNS; remove tafile." : "Remove tafile, or use level verify or secure."),
                entry.SpanOf("tafile"));
        }

        if (present.Contains("servername") && level is "dane" or "dane-only")
        {
            context.Info(DiagnosticCodes.SettingHasNoEffect, where,
                $"servername has no effect at level {level}: DANE always sends the name RFC 7672 asks for. Remove it.",
                entry.SpanOf("servername"));
        }

        if (entry.EnableRpk is not null && level is "verify" or "secure" or "dane" or "dane-only")
        {
            context.Info(DiagnosticCodes.SettingHasNoEffect, where,
                $"enable_rpk has no effect at level {level}, which needs certificates; it only acts at may, encrypt and fingerprint. Remove it.",
                entry.SpanOf("enable_rpk"));
        }
    }

    private static void CheckValues(ValidationContext<ValidationTarget> context, ValidationTarget t, TlsPolicyEntry entry, string level, List<string> present, string where)
    {
        // Token syntax: whitespace and commas end an attribute in the table line.
        ILookup<string, string>? rendered = null;
        for (var i = 0; i < present.Count; i++)
        {
            var name = present[i];
            if (present.IndexOf(name) != i)
            {
                continue; // named twice (a typed attribute and an unknown spelling of it)
            }

            IEnumerable<string> items = name switch
            {
                "protocols" => entry.Protocols,
                "exclude" => entry.Exclude,
                "match" => entry.Match,
                "tafile" => entry.TaFile,
                _ => (rendered ??= entry.RenderedAttributes().ToLookup(a => a.Key, a => a.Value, StringComparer.Ordinal))[name],
            };
            foreach (var item in items)
            {
                // Whitespace, commas and braces inside a value are TextSafetyRules' concern (PFX6003).
                if (item.Length == 0)
                {
                    context.Error(DiagnosticCodes.InvalidPolicyAttributeValue, where,
                        $"Policy attribute {name} has an empty value, which makes the entry invalid (mail is deferred). Give a value or remove the attribute.",
                        entry.SpanOf(name));
                    break;
                }
            }
        }

        if (entry.Ciphers is { Length: > 0 } grade && present.Contains("ciphers") && CipherRules.GradeIssue(t, grade.Trim()) is { } gradeIssue)
        {
            context.Add(gradeIssue.Severity, gradeIssue.Code, where, $"ciphers: {gradeIssue.Message}", entry.SpanOf("ciphers"));
        }

        if (!entry.Protocols.IsEmpty && present.Contains("protocols"))
        {
            foreach (var issue in ProtocolIssues(t, string.Join(":", entry.Protocols)))
            {
                context.Add(issue.Severity, issue.Code, where, $"protocols: {issue.Message}", entry.SpanOf("protocols"));
            }
        }

        if (!entry.Exclude.IsEmpty && present.Contains("exclude"))
        {
            foreach (var issue in CipherRules.ExclusionIssues(entry.Exclude.SelectMany(e => e.Split(':', StringSplitOptions.RemoveEmptyEntries)), "exclude"))
            {
                context.Add(issue.Severity, issue.Code, where, issue.Message, entry.SpanOf("exclude"));
            }
        }

        if (!entry.Match.IsEmpty && level is "verify" or "secure")
        {
            foreach (var pattern in entry.Match.Where(m => !m.Any(c => char.IsWhiteSpace(c) || c == ','))
                .SelectMany(m => m.Split(':', StringSplitOptions.RemoveEmptyEntries)).Where(p => !ClientTlsRules.IsMatchPattern(p)))
            {
                context.Warning(DiagnosticCodes.InvalidCertificateMatch, where,
                    $"match '{pattern}' is neither hostname, nexthop, dot-nexthop nor a domain (example.com, .example.com), so it matches no certificate. Fix or remove it.",
                    entry.SpanOf("match"));
            }
        }

        if (entry.ServerName is { Length: > 0 } sni && present.Contains("servername")
            && !sni.Equals("hostname", StringComparison.OrdinalIgnoreCase) && !sni.Equals("nexthop", StringComparison.OrdinalIgnoreCase) && !ClientTlsRules.IsHostname(sni))
        {
            context.Error(DiagnosticCodes.InvalidHostname, where,
                $"servername '{sni}' is not a valid host name; Postfix treats the entry as invalid and defers mail for {entry.Destination}. Write hostname, nexthop or a DNS name.",
                entry.SpanOf("servername"));
        }
    }

    /// <summary>
    /// The issues of a policy protocols list; big tables repeat a handful of lists, so the answers
    /// are kept per target (a table of the reader, never changed once added).
    /// </summary>
    private static IReadOnlyList<SyntaxIssue> ProtocolIssues(ValidationTarget t, string protocols)
    {
        var cache = t.Cache<Dictionary<string, IReadOnlyList<SyntaxIssue>>>(nameof(ProtocolIssues));
        if (!cache.TryGetValue(protocols, out var issues))
        {
            issues = [.. ProtocolSyntax.Read(t, protocols, ":").Issues];
            cache[protocols] = issues;
        }

        return issues;
    }
}
