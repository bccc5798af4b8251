using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Syntax;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// TLS session caches (run by tlsmgr(8)): table types that can hold a cache (writable and
/// enumerable), one table per cache, and the limits of the cache timeouts.
/// </summary>
internal sealed class SessionCacheRules : RuleSet
{
    /// <summary>Types tlsmgr can create, update and walk through.</summary>
    private static readonly string[] CacheTypes = ["btree", "lmdb", "sdbm", "hash", "dbm"];

    private static readonly string[] Prefixes = ["smtpd", "smtp", "lmtp"];

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var prefix in Prefixes)
        {
            var database = prefix + "_tls_session_cache_database";
            var timeout = prefix + "_tls_session_cache_timeout";
            if (!t.Knows(database))
            {
                continue;
            }

            CheckTimeout(context, t, timeout);
            if ((t.Resolve(database) ?? t.Effective(database)) is not { Length: > 0 } value)
            {
                continue;
            }

            if (t.IsSet(database))
            {
                CheckType(context, t, database, value);
            }

            if (seen.TryGetValue(value, out var other) && (t.IsSet(database) || t.IsSet(other)))
            {
                var name = t.IsSet(database) ? database : other;
                context.Error(DiagnosticCodes.SessionCacheShared, name,
                    $"{database} and {other} both use {value}; tlsmgr refuses to start (\"do not use the same TLS cache file\"). Give each cache its own file, for example btree:${{data_directory}}/{prefix}_scache.",
                    t.SpanOf(name));
            }
            else
            {
                seen[value] = database;
            }
        }
    }

    private static void CheckType(ValidationContext<ValidationTarget> context, ValidationTarget t, string parameter, string value)
    {
        var map = MapSyntax.Parse(value.Trim());
        if (map.Type is null || map.Type.Contains('$', StringComparison.Ordinal) || !Thresholds.MapTypes.ContainsKey(map.Type))
        {
            return; // not type:name, or an unknown type: reported by MapReferenceRules
        }

        if (map.Proxied || !CacheTypes.Contains(map.Type, StringComparer.Ordinal) || map.IsInline)
        {
            context.Error(DiagnosticCodes.UnsupportedSessionCacheType, parameter,
                $"{parameter} = {value} cannot be a session cache: tlsmgr needs a local table it can create, update and enumerate. Write btree:${{data_directory}}/{parameter.Split('_')[0]}_scache (or lmdb: from {Thresholds.MapTypes["lmdb"].Describe()}).",
                t.SpanOf(parameter));
        }
        else if (map.Type == "dbm")
        {
            context.Warning(DiagnosticCodes.UnsupportedSessionCacheType, parameter,
                $"dbm tables limit the size of each entry, which TLS sessions exceed; write btree:${{data_directory}}/{parameter.Split('_')[0]}_scache instead.",
                t.SpanOf(parameter));
        }
    }

    private static void CheckTimeout(ValidationContext<ValidationTarget> context, ValidationTarget t, string parameter)
    {
        if (!t.IsSet(parameter) || !t.Knows(parameter) || t.Resolve(parameter) is not { } text
            || !ValueConverters.TryParseTime(text, 's', out var time))
        {
            return;
        }

        var seconds = (long)time.TotalSeconds;
        var span = t.SpanOf(parameter);
        if (seconds > Thresholds.SessionCacheMaximumSeconds && t.AtLeast(Thresholds.SessionCacheMinimumTimeout))
        {
            context.Error(DiagnosticCodes.SessionCacheTimeout, parameter,
                $"{parameter} = {text} is more than 100 days, the most {t.Release} accepts; tlsmgr stops with \"invalid {parameter}\". Write 100d or less (the default is 3600s).",
                span);
        }
        else if (seconds == 0)
        {
            context.Info(DiagnosticCodes.SessionCacheTimeout, parameter,
                $"{parameter} = 0 turns TLS session resumption off{(parameter.StartsWith("smtpd", StringComparison.Ordinal) ? " (session tickets included)" : string.Empty)}; that is allowed, but costs a full handshake per connection.",
                span);
        }
        else if (seconds < Thresholds.SessionCacheMinimumSeconds && t.AtLeast(Thresholds.SessionCacheMinimumTimeout))
        {
            context.Warning(DiagnosticCodes.SessionCacheTimeout, parameter,
                $"{parameter} = {text} is below 2 minutes; {t.Release} raises it to 120s. Write 120s or more.",
                span);
        }
    }
}
