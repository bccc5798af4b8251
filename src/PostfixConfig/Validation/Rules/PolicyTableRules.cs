using System.Globalization;
using System.Text.RegularExpressions;
using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// The TLS policy table: destination syntax, level words by release, known attributes, keys
/// that collide once Postfix folds case, and a <c>smtp_tls_policy_maps</c> to write the table to.
/// </summary>
internal sealed partial class PolicyTableRules : RuleSet
{
    /// <summary>Attributes of policy plugins (3.10+), which have no typed property.</summary>
    internal static readonly string[] PluginAttributes =
        ["policy_type", "policy_domain", "policy_ttl", "policy_string", "mx_host_pattern", "policy_failure"];

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        if (t.Config.TlsPolicy.Count == 0)
        {
            return;
        }

        CheckMapsParameter(context, t);
        var levels = t.Catalog.Find("smtp_tls_security_level");
        // Keys that differ only in case: destinations are unique, so two can only collide when one has a
        // character that case folding changes. Most tables have none, and then need no folded set.
        var folded = NeedsCaseCheck(t.Config.TlsPolicy) ? new Dictionary<string, string>(t.Config.TlsPolicy.Count, StringComparer.OrdinalIgnoreCase) : null;
        foreach (var item in t.Config.TlsPolicy.Items)
        {
            var destination = item.Destination;
            if (!IsDestination(destination))
            {
                context.Error(DiagnosticCodes.InvalidDestination, $"tls_policy[{destination}]",
                    $"'{PostfixText.Printable(destination)}' is not a policy table key; write a domain (example.com), a parent-domain wildcard (.example.com), [host] or [host]:port, with no whitespace.",
                    item.Entry.SpanOf(string.Empty));
            }
            else if (folded is not null && !folded.TryAdd(destination, destination))
            {
                context.Error(DiagnosticCodes.DuplicateDestination, $"tls_policy[{destination}]",
                    $"'{destination}' and '{folded[destination]}' differ only in letter case; Postfix looks keys up case-insensitively, so keep one.",
                    item.Entry.SpanOf(string.Empty));
            }

            CheckLevel(context, t, levels, item);
        }
    }

    /// <summary>Whether some destination has a character other than lower-case ASCII letters, digits and punctuation.</summary>
    private static bool NeedsCaseCheck(TlsPolicyTable table)
    {
        foreach (var item in table.Items)
        {
            if (item.Destination.AsSpan().IndexOfAnyExcept(FoldStable) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Characters that ordinal case-insensitive comparison leaves alone (printable ASCII but upper-case letters).</summary>
    private static readonly System.Buffers.SearchValues<char> FoldStable = System.Buffers.SearchValues.Create(
        " !\"#$%&'()*+,-./0123456789:;<=>?@[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private static void CheckLevel(ValidationContext<ValidationTarget> context, ValidationTarget t, ParameterInfo? levels, PolicyItem item)
    {
        if (levels is null || !t.AtLeast(Thresholds.SecurityLevels))
        {
            return; // 2.2 has no policy table; smtp_tls_policy_maps itself is reported by release
        }

        var found = levels.FindValue(item.Level.Trim());
        if (found is null || !found.Since.IsSatisfiedBy(t.Version))
        {
            ReportLevel(context, t, levels, item, found); // apart: its lambdas would allocate on every call
        }
    }

    private static void ReportLevel(ValidationContext<ValidationTarget> context, ValidationTarget t, ParameterInfo levels, PolicyItem item, EnumValue? found)
    {
        if (found is null)
        {
            var close = levels.ValuesIn(t.Version).FirstOrDefault(v => v.Replace("-", string.Empty, StringComparison.Ordinal).Equals(item.Level.Trim().Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
            context.Error(DiagnosticCodes.InvalidPolicyLevel, $"tls_policy[{item.Destination}]",
                $"'{item.Level}' is not a TLS security level; {t.Release} accepts {Allowed()}"
                + (close is null ? "." : $" (did you mean '{close}'?).") + $" Mail for {item.Destination} would be deferred.", item.Entry.SpanOf("level"));
        }
        else
        {
            context.Error(DiagnosticCodes.InvalidPolicyLevel, $"tls_policy[{item.Destination}]",
                $"Level {found.Value} needs Postfix {found.Since.Describe()}; {t.Release} treats it as invalid and defers mail for {item.Destination}. It accepts {Allowed()}.", item.Entry.SpanOf("level"));
        }

        string Allowed() => string.Join(", ", levels.ValuesIn(t.Version));
    }

    private static void CheckMapsParameter(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        var maps = t.Text("smtp_tls_policy_maps");
        if (maps is null || PolicyMapTarget.Find(maps) is null)
        {
            var first = t.Config.TlsPolicy[0];
            context.Error(DiagnosticCodes.PolicyMapsMissing, "smtp_tls_policy_maps",
                maps is null
                    ? "tls_policy has entries but smtp_tls_policy_maps is not set; add 'smtp_tls_policy_maps: hash:/etc/postfix/tls_policy' to main so Postfix reads the table."
                    : $"smtp_tls_policy_maps = {maps} names no file table to write tls_policy to; use a file-based type such as hash:, lmdb:, cdb:, btree: or texthash:.",
                t.SpanOf("smtp_tls_policy_maps") ?? first.SpanOf(string.Empty));
        }
    }

    /// <summary>
    /// The first entry that <paramref name="matches"/> and how many do: rules whose cause is in
    /// main.cf report once for the table, at the first entry, with the count (see <see cref="AndMore"/>).
    /// </summary>
    internal static PolicyItem? FirstMatching(TlsPolicyTable table, Func<PolicyItem, bool> matches, out int count)
    {
        PolicyItem? first = null;
        count = 0;
        foreach (var item in table.Items)
        {
            if (matches(item))
            {
                first ??= item;
                count++;
            }
        }

        return first;
    }

    /// <summary>For a message about the first of <paramref name="count"/> entries: <c> (and 2 more policy entries with WHAT)</c>, or nothing for one.</summary>
    internal static string AndMore(int count, string what) => count switch
    {
        1 => string.Empty,
        2 => $" (and 1 more policy entry {what})",
        _ => string.Create(CultureInfo.InvariantCulture, $" (and {count - 1:N0} more policy entries {what})"),
    };

    /// <summary>Whether a key is a destination as smtp(8) looks it up.</summary>
    internal static bool IsDestination(string key) => DestinationSyntax.IsAsciiDestination(key) ?? DestinationPattern().IsMatch(key);

    /// <summary>The regular expression alone (tests compare it with the hand-written ASCII check).</summary>
    internal static bool IsDestinationByPattern(string key) => DestinationPattern().IsMatch(key);

    // domain or .domain (labels of letters, digits, '-', '_'), or [host] / [ipv4] / [ipv6addr] / [ipv6:addr], each with optional :port.
    [GeneratedRegex(@"^(?:\.?(?:[\p{L}\p{N}_](?:[\p{L}\p{N}_-]{0,62})?)(?:\.[\p{L}\p{N}_](?:[\p{L}\p{N}_-]{0,62})?)*|\[(?:[\p{L}\p{N}_](?:[\p{L}\p{N}_.-]{0,252})?|(?:[Ii][Pp][Vv]6:)?[0-9A-Fa-f]*:[0-9A-Fa-f:.]+)\])(?::[0-9A-Za-z-]{1,32})?\z")]
    private static partial Regex DestinationPattern();
}
