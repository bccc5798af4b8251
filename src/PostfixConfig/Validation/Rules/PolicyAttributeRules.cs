using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// Attributes of TLS policy entries (smtp_tls_policy.c): which attributes the target release knows,
/// which levels allow them, and their values. From 2.5 an unknown or misplaced attribute makes the
/// whole entry invalid (mail for the destination is deferred); 2.3 and 2.4 ignored it with a warning.
/// </summary>
internal sealed class PolicyAttributeRules : RuleSet
{
    private static readonly (string Name, VersionGate Since)[] Attributes = Thresholds.PolicyAttributes;

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        var present = new List<string>(8); // reused: this runs for every entry of big tables
        foreach (var item in t.Config.TlsPolicy.Items)
        {
            if (item.Full is { } entry)
            {
                CheckEntry(context, t, entry, present); // a compact row has no attributes
            }
        }
    }

    private static void CheckEntry(ValidationContext<ValidationTarget> context, ValidationTarget t, TlsPolicyEntry entry, List<string> present)
    {
        Present(entry, present);
        if (present.Count == 0)
        {
            return; // a level alone: nothing to check here
        }

        // The texts of messages (Where, Consequence) are made only when something is reported.
        var level = entry.Level.Trim().ToLowerInvariant();
        if (level == "none")
        {
            context.Warning(DiagnosticCodes.PolicyAttributesIgnored, Where(entry),
                $"Level none for {entry.Destination} turns TLS off, so Postfix ignores {string.Join(", ", present)} (with a warning). Remove them, or choose a TLS level.",
                entry.SpanOf(present[0]));
            return;
        }

        var strict = t.AtLeast(Thresholds.PolicyStrictAttributes);
        var severity = strict ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
        foreach (var (name, since) in Attributes)
        {
            if (present.Contains(name) && !since.IsSatisfiedBy(t.Version))
            {
                context.Add(severity, DiagnosticCodes.PolicyAttributeNotInRelease, Where(entry),
                    $"Policy attribute {name} needs Postfix {since.Describe()}; {Consequence(t, entry, strict)}. Remove {name}.",
                    entry.SpanOf(name));
                present.Remove(name);
            }
        }

        CheckOthers(context, t, entry, severity, strict);
        CheckLevels(context, t, entry, level, present, severity, strict);
        CheckValues(context, t, entry, level, present);
    }

    private static string Where(TlsPolicyEntry entry) => $"tls_policy[{entry.Destination}]";

    private static string Consequence(ValidationTarget t, TlsPolicyEntry entry, bool strict) => strict
        ? $"{t.Release} treats the whole entry as invalid and defers mail for {entry.Destination}"
        : $"{t.Release} ignores it with a warning";

    /// <summary>Fills <paramref name="present"/> with the names of the attributes the entry has, in rendering order.</summary>
    private static void Present(TlsPolicyEntry entry, List<string> present)
    {
        present.Clear();
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
        foreach (var other in entry.OtherAttributes)
        {
            present.Add(other.Name);
        }
    }

    /// <summary>Unknown attributes, and the policy plugin attributes of 3.10.</summary>
    private static void CheckOthers(ValidationContext<ValidationTarget> context, ValidationTarget t, TlsPolicyEntry entry, DiagnosticSeverity severity, bool strict)
    {
        if (!entry.OtherAttributes.IsEmpty)
        {
            CheckOtherAttributes(context, t, entry, severity, strict); // apart: its lambdas would allocate on every call
        }
    }

    private static void CheckOtherAttributes(ValidationContext<ValidationTarget> context, ValidationTarget t, TlsPolicyEntry entry, DiagnosticSeverity severity, bool strict)
    {
        var plugin = false;
        var known = string.Join(", ", Attributes.Where(a => a.Since.IsSatisfiedBy(t.Version)).Select(a => a.Name));
        foreach (var other in entry.OtherAttributes)
        {
            var isPlugin = PolicyTableRules.PluginAttributes.Contains(other.Name, StringComparer.OrdinalIgnoreCase);
            var typed = Attributes.FirstOrDefault(a => a.Name.Equals(other.Name, StringComparison.OrdinalIgnoreCase)).Name;
            if (isPlugin && t.AtLeast(Thresholds.PolicyPluginAttributes))
            {
                plugin = true;
                CheckPluginValue(context, entry, other);
                continue;
            }

            if (isPlugin)
            {
                context.Add(severity, DiagnosticCodes.PolicyAttributeNotInRelease, Where(entry),
                    $"Policy attribute {other.Name} (for MTA-STS/TLSRPT policy plugins) needs Postfix {Thresholds.PolicyPluginAttributes.Describe()}; {Consequence(t, entry, strict)}. Remove it.",
                    entry.SpanOf(other.Name));
                continue;
            }

            if (typed is not null)
            {
                context.Warning(DiagnosticCodes.UnknownPolicyAttribute, Where(entry),
                    $"Postfix matches '{other.Name}' as {typed}, but postfix-config only checks the value when the attribute is written '{typed}'. Write it in lower case.",
                    entry.SpanOf(other.Name));
                continue;
            }

            var close = Attributes.Select(a => a.Name).FirstOrDefault(a => a.StartsWith(other.Name.TrimEnd('s'), StringComparison.OrdinalIgnoreCase) || other.Name.StartsWith(a, StringComparison.OrdinalIgnoreCase));
            context.Add(severity, DiagnosticCodes.UnknownPolicyAttribute, Where(entry),
                $"Unknown policy attribute '{other.Name}'; {Consequence(t, entry, strict)}. "
                + (close is null ? string.Empty : $"Did you mean '{close}'? ")
                + $"{t.Release} knows {known}.",
                entry.SpanOf(other.Name));
        }

        if (plugin && !entry.OtherAttributes.Any(a => a.Name.Equals("policy_type", StringComparison.OrdinalIgnoreCase)))
        {
            context.Error(DiagnosticCodes.PolicyPluginWithoutType, Where(entry),
                $"Policy plugin attributes without policy_type make the entry for {entry.Destination} invalid (mail is deferred). Add policy_type (sts or tlsa), or remove the plugin attributes.",
                entry.SpanOf(entry.OtherAttributes[0].Name));
        }
    }

    private static void CheckPluginValue(ValidationContext<ValidationTarget> context, TlsPolicyEntry entry, TlsPolicyAttributeValue attribute)
    {
        var name = attribute.Name.ToLowerInvariant();
        if (name == "policy_ttl" && (attribute.Value.Length == 0 || !attribute.Value.All(char.IsAsciiDigit)))
        {
            context.Error(DiagnosticCodes.InvalidPolicyAttributeValue, Where(entry),
                $"policy_ttl = '{attribute.Value}' is not a number of seconds; Postfix treats the entry as invalid. Write digits only, for example policy_ttl: 86400.",
                entry.SpanOf(attribute.Name));
        }
        else if (name == "policy_domain" && !ClientTlsRules.IsHostname(attribute.Value))
        {
            context.Error(DiagnosticCodes.InvalidHostname, Where(entry),
                $"policy_domain = '{attribute.Value}' is not a valid domain name; Postfix treats the entry as invalid. Write the policy's domain, for example example.com.",
                entry.SpanOf(attribute.Name));
        }
    }

    private static void CheckLevels(
        ValidationContext<ValidationTarget> context, ValidationTarget t, TlsPolicyEntry entry, string level, List<string> present, DiagnosticSeverity severity, bool strict)
    {
        if (t.Catalog.Find(TlsFamily.Smtp.Level)?.FindValue(level) is not { } known || !known.Since.IsSatisfiedBy(t.Version))
        {
            return; // an invalid level is reported by PolicyTableRules
        }

        if (level == "may" && !t.AtLeast(Thresholds.PolicyOpportunisticAttributes))
        {
            foreach (var name in present.Where(n => n is "ciphers" or "protocols"))
            {
                context.Add(severity, DiagnosticCodes.PolicyAttributeNotAtLevel, Where(entry),
                    $"Policy attribute {name} is not allowed at level may before Postfix {Thresholds.PolicyOpportunisticAttributes.Describe()}; {Consequence(t, entry, strict)}. "
                    + $"Remove it (set smtp_tls_{(name == "ciphers" ? "mandatory_ciphers" : "mandatory_protocols")} for mandatory TLS instead), or use level encrypt.",
                    entry.SpanOf(name));
            }
        }

        if (present.Contains("match") && level is not ("fingerprint" or "verify" or "secure"))
        {
            context.Add(severity, DiagnosticCodes.PolicyAttributeNotAtLevel, Where(entry),
                $"Policy attribute match is only for levels fingerprint, verify and secure, not {level}; {Consequence(t, entry, strict)}. Remove match, or use one of those levels.",
                entry.SpanOf("match"));
        }

        if (present.Contains("tafile") && level is not ("verify" or "secure"))
        {
            context.Error(DiagnosticCodes.PolicyAttributeNotAtLevel, Where(entry),
                $"Policy attribute tafile is only for levels verify and secure, not {level}; {t.Release} treats the whole entry as invalid and defers mail for {entry.Destination}. "
                + (level is "dane" or "dane-only" ? "DANE takes its trust anchors from DNS; remove tafile." : "Remove tafile, or use level verify or secure."),
                entry.SpanOf("tafile"));
        }

        if (present.Contains("servername") && level is "dane" or "dane-only")
        {
            context.Info(DiagnosticCodes.SettingHasNoEffect, Where(entry),
                $"servername has no effect at level {level}: DANE always sends the name RFC 7672 asks for. Remove it.",
                entry.SpanOf("servername"));
        }

        if (entry.EnableRpk is not null && level is "verify" or "secure" or "dane" or "dane-only")
        {
            context.Info(DiagnosticCodes.SettingHasNoEffect, Where(entry),
                $"enable_rpk has no effect at level {level}, which needs certificates; it only acts at may, encrypt and fingerprint. Remove it.",
                entry.SpanOf("enable_rpk"));
        }
    }

    private static void CheckValues(ValidationContext<ValidationTarget> context, ValidationTarget t, TlsPolicyEntry entry, string level, List<string> present)
    {
        // An empty value makes the entry invalid. (Whitespace, commas and braces inside a value are
        // TextSafetyRules' concern, PFX6003.) This runs for every entry of big tables: no allocation
        // unless something is reported.
        for (var i = 0; i < present.Count; i++)
        {
            var name = present[i];
            if (present.IndexOf(name) != i)
            {
                continue; // named twice (a typed attribute and an unknown spelling of it)
            }

            // protocols= and exclude= with no value are accepted by smtp_tls_policy.c (read in 3.4 to
            // 3.12 and seen live by the release suite, docs/releases.md): an empty protocol list allows
            // every protocol OpenSSL offers, an empty exclusion list excludes nothing. (An empty item
            // among others is PFX6002's concern.)
            var empty = name switch
            {
                "protocols" => IsEmptyValue(entry.Protocols),
                "exclude" => IsEmptyValue(entry.Exclude),
                "match" => HasEmptyItem(entry.Match),
                "tafile" => HasEmptyItem(entry.TaFile),
                _ => HasEmptyValue(entry, name),
            };
            if (!empty)
            {
                continue;
            }

            if (name == "protocols")
            {
                context.Warning(DiagnosticCodes.InvalidPolicyAttributeValue, Where(entry),
                    $"Policy attribute protocols has an empty value: Postfix accepts it and then allows every protocol OpenSSL offers for {entry.Destination}, whatever smtp_tls_protocols and smtp_tls_mandatory_protocols say. Give the protocols (for example >=TLSv1.2, or !SSLv2:!SSLv3:!TLSv1:!TLSv1.1 before 3.6) or remove the attribute.",
                    entry.SpanOf(name));
            }
            else if (name == "exclude")
            {
                context.Info(DiagnosticCodes.SettingHasNoEffect, Where(entry),
                    "Policy attribute exclude has an empty value, which excludes nothing. Remove it.", entry.SpanOf(name));
            }
            else
            {
                context.Error(DiagnosticCodes.InvalidPolicyAttributeValue, Where(entry),
                    $"Policy attribute {name} has an empty value, which makes the entry invalid (mail is deferred). Give a value or remove the attribute.",
                    entry.SpanOf(name));
            }
        }

        if (entry.Ciphers is { Length: > 0 } grade && present.Contains("ciphers") && CipherRules.GradeIssue(t, grade.Trim()) is { } gradeIssue)
        {
            context.Add(gradeIssue.Severity, gradeIssue.Code, Where(entry), $"ciphers: {gradeIssue.Message}", entry.SpanOf("ciphers"));
        }

        if (!entry.Protocols.IsEmpty && present.Contains("protocols"))
        {
            foreach (var issue in ProtocolIssues(t, Joined(entry.Protocols)))
            {
                context.Add(issue.Severity, issue.Code, Where(entry), $"protocols: {issue.Message}", entry.SpanOf("protocols"));
            }
        }

        if (!entry.Exclude.IsEmpty && present.Contains("exclude"))
        {
            foreach (var issue in ExclusionIssues(t, Joined(entry.Exclude)))
            {
                context.Add(issue.Severity, issue.Code, Where(entry), issue.Message, entry.SpanOf("exclude"));
            }
        }

        if (!entry.Match.IsEmpty && level is "verify" or "secure")
        {
            CheckMatch(context, entry);
        }

        if (entry.ServerName is { Length: > 0 } sni && present.Contains("servername")
            && !sni.Equals("hostname", StringComparison.OrdinalIgnoreCase) && !sni.Equals("nexthop", StringComparison.OrdinalIgnoreCase) && !ClientTlsRules.IsHostname(sni))
        {
            context.Error(DiagnosticCodes.InvalidHostname, Where(entry),
                $"servername '{sni}' is not a valid host name; Postfix treats the entry as invalid and defers mail for {entry.Destination}. Write hostname, nexthop or a DNS name.",
                entry.SpanOf("servername"));
        }
    }

    /// <summary>Whether a list attribute is written with no value at all (<c>protocols=</c>).</summary>
    private static bool IsEmptyValue(ValueList<string> items)
    {
        foreach (var item in items)
        {
            if (item.Length > 0)
            {
                return false;
            }
        }

        return !items.IsEmpty;
    }

    private static bool HasEmptyItem(ValueList<string> items)
    {
        foreach (var item in items)
        {
            if (item.Length == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a single-valued attribute (typed, such as ciphers, or another) has an empty value as the map line would have it.</summary>
    private static bool HasEmptyValue(TlsPolicyEntry entry, string name)
    {
        if ((name == "ciphers" && entry.Ciphers is { Length: 0 }) || (name == "servername" && entry.ServerName is { Length: 0 }))
        {
            return true; // connection_reuse and enable_rpk are written yes or no
        }

        foreach (var other in entry.OtherAttributes)
        {
            if (other.Value.Length == 0 && string.Equals(other.Name, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A list as one ':'-joined text (the list itself when it has one item).</summary>
    private static string Joined(ValueList<string> items) => items.Count == 1 ? items[0] : items.Join(":");

    /// <summary>verify and secure: each name in match (split at ':') is a keyword or a domain.</summary>
    private static void CheckMatch(ValidationContext<ValidationTarget> context, TlsPolicyEntry entry)
    {
        foreach (var m in entry.Match)
        {
            if (m.Contains(',', StringComparison.Ordinal) || HasWhiteSpace(m))
            {
                continue; // TextSafetyRules reports it
            }

            foreach (var range in m.AsSpan().Split(':'))
            {
                var pattern = m.AsSpan(range);
                if (pattern.Length > 0 && !ClientTlsRules.IsMatchPattern(pattern))
                {
                    context.Warning(DiagnosticCodes.InvalidCertificateMatch, Where(entry),
                        $"match '{pattern}' is neither hostname, nexthop, dot-nexthop nor a domain (example.com, .example.com), so it matches no certificate. Fix or remove it.",
                        entry.SpanOf("match"));
                }
            }
        }

        static bool HasWhiteSpace(string text)
        {
            foreach (var c in text)
            {
                if (char.IsWhiteSpace(c))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>How many distinct list texts a cache keeps (a table of unusual lists must not grow it without end).</summary>
    private const int MaxCachedTexts = 4096;

    /// <summary>The issues of a policy exclude list (':'-joined), kept per distinct text like <see cref="ProtocolIssues"/>.</summary>
    private static IReadOnlyList<SyntaxIssue> ExclusionIssues(ValidationTarget t, string exclude)
    {
        var cache = t.Cache<Dictionary<string, IReadOnlyList<SyntaxIssue>>>(nameof(ExclusionIssues));
        if (!cache.TryGetValue(exclude, out var issues))
        {
            issues = [.. CipherRules.ExclusionIssues(exclude.Split(':', StringSplitOptions.RemoveEmptyEntries), "exclude")];
            if (cache.Count < MaxCachedTexts)
            {
                cache[exclude] = issues;
            }
        }

        return issues;
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
            if (cache.Count < MaxCachedTexts)
            {
                cache[protocols] = issues;
            }
        }

        return issues;
    }
}
