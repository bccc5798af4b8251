using System.Collections.Immutable;
using System.Globalization;
using PostfixConfig.Catalog;
using PostfixConfig.Syntax;

namespace PostfixConfig.MtaSts;

/// <summary>One socketmap of <c>smtp_tls_policy_maps</c> that is (or looks like) an MTA-STS resolver.</summary>
/// <param name="Index">Its position in the list (0 first).</param>
/// <param name="Text">The element as written (<c>socketmap:inet:127.0.0.1:8461:postfix</c>).</param>
/// <param name="Endpoint">The endpoint (<c>inet:127.0.0.1:8461</c>).</param>
/// <param name="MapName">The socketmap name (<c>postfix</c>, <c>QUERY</c>).</param>
/// <param name="Kind">The resolver it is, when known (the <c>mta_sts</c> one, or by postfix-tlspol's map names).</param>
internal sealed record ResolverMap(int Index, string Text, string Endpoint, string MapName, MtaStsResolverKind? Kind);

/// <summary>
/// What Postfix needs for an MTA-STS resolver (<c>mta_sts</c>): the socketmap with the map name the
/// resolver and the release need, appended to <c>smtp_tls_policy_maps</c> after the site's own table
/// (explicit entries win), and the settings the release needs for it. Applied to the effective
/// configuration once per run, after the profile (see <see cref="Validation.ConfigurationValidation"/>),
/// so that validation, rendering, merge and apply all see the same <c>smtp_tls_policy_maps</c>.
/// </summary>
internal static class MtaStsSetup
{
    public const string PolicyMaps = "smtp_tls_policy_maps";

    public const string EnforceStsMxPatterns = "smtp_tls_enforce_sts_mx_patterns";

    public const string InsecureMxPolicy = "smtp_tls_dane_insecure_mx_policy";

    /// <summary>postfix-tlspol's map name before Postfix 3.10.</summary>
    public const string TlspolQuery = "QUERY";

    /// <summary>postfix-tlspol's map name from Postfix 3.10 (its answers carry the TLSRPT policy attributes).</summary>
    public const string TlspolQueryWithTlsRpt = "QUERYwithTLSRPT";

    /// <summary>The socketmap name PostfixConfig writes for postfix-mta-sts-resolver (any name selects its default zone).</summary>
    public const string ResolverMapName = "postfix";

    /// <summary>The ports the two resolvers listen on by default (postfix-mta-sts-resolver, postfix-tlspol).</summary>
    private static readonly int[] DefaultPorts = [8461, 8642];

    /// <summary>The socketmap name for <paramref name="resolver"/> on <paramref name="version"/>.</summary>
    public static string MapName(MtaStsResolver resolver, PostfixVersion version) => resolver.Kind switch
    {
        MtaStsResolverKind.PostfixTlspol => Thresholds.PolicyPluginAttributes.IsSatisfiedBy(version) ? TlspolQueryWithTlsRpt : TlspolQuery,
        _ => ResolverMapName,
    };

    /// <summary>The table reference: <c>socketmap:ADDRESS:NAME</c>.</summary>
    public static string Reference(MtaStsResolver resolver, PostfixVersion version) => $"socketmap:{resolver.Address}:{MapName(resolver, version)}";

    /// <summary>Whether the resolver's answers carry <c>policy_type</c> and the other TLSRPT policy attributes (3.10 and later only).</summary>
    public static bool SendsPolicyAttributes(MtaStsResolver resolver, PostfixVersion version) => resolver.Kind == MtaStsResolverKind.PostfixTlspol
        ? MapName(resolver, version) == TlspolQueryWithTlsRpt
        : resolver.TlsRpt;

    /// <summary>
    /// The socketmaps of a <c>smtp_tls_policy_maps</c> value that are MTA-STS resolvers: the one of
    /// <paramref name="configured"/>, and any that postfix-tlspol's map names, or a resolver's default
    /// port, give away.
    /// </summary>
    public static List<ResolverMap> FindResolvers(string mapsValue, MtaStsResolver? configured)
    {
        var found = new List<ResolverMap>();
        var elements = MapSyntax.SplitElements(mapsValue);
        for (var i = 0; i < elements.Count; i++)
        {
            var map = MapSyntax.Parse(elements[i]);
            if (map.Type != "socketmap" || SocketmapSyntax.Split(map.Name) is not { } parts)
            {
                continue;
            }

            MtaStsResolverKind? kind = configured is not null && parts.Endpoint == configured.Address ? configured.Kind
                : parts.MapName is TlspolQuery or TlspolQueryWithTlsRpt ? MtaStsResolverKind.PostfixTlspol
                : null;
            var port = SocketmapSyntax.Parse(parts.Endpoint, out _)?.PortNumber;
            if (kind is not null || (port is { } p && DefaultPorts.Contains(p)))
            {
                found.Add(new ResolverMap(i, elements[i], parts.Endpoint, parts.MapName, kind ?? (port == 8642 ? MtaStsResolverKind.PostfixTlspol : MtaStsResolverKind.PostfixMtaStsResolver)));
            }
        }

        return found;
    }

    /// <summary>
    /// The expanded configuration with the resolver set up: its socketmap appended to
    /// <c>smtp_tls_policy_maps</c> (unless the value already holds it), <c>smtp_tls_enforce_sts_mx_patterns = yes</c>
    /// where the release has it and the resolver sends what it needs, and, for postfix-tlspol (which answers
    /// <c>dane</c> for domains with an unsigned MX) on a release whose default for insecure MX hosts is not
    /// <c>dane</c>, <c>smtp_tls_dane_insecure_mx_policy = dane</c>. Explicit settings are kept. A malformed
    /// address changes nothing (validation reports it).
    /// </summary>
    public static ExpandedConfiguration Expand(ExpandedConfiguration expanded, PostfixVersion version, ParameterCatalog catalog)
    {
        var config = expanded.Configuration;
        if (config.MtaSts is not { } resolver || SocketmapSyntax.CheckEndpoint(resolver.Address) is not null)
        {
            return expanded;
        }

        var main = config.Main;
        var origins = expanded.Origins.ToList();
        var name = MtaStsResolver.NameOf(resolver.Kind);
        var reference = Reference(resolver, version);
        var why = string.Create(CultureInfo.InvariantCulture, $"mta_sts (resolver {name}, map name {MapName(resolver, version)} for Postfix {version})");
        if (!main.TryGetValue(PolicyMaps, out var existing))
        {
            main = main.Set(PolicyMaps, PostfixValue.Of(reference, resolver.Span), resolver.Span);
            origins.Add(new ValueOrigin(null, PolicyMaps, reference, ValueSource.MtaSts, why, resolver.Span));
        }
        else if (!MapSyntax.SplitElements(existing.Text).Contains(reference, StringComparer.Ordinal))
        {
            var value = existing.IsList
                ? PostfixValue.OfList(existing.Items.Append(reference), existing.Span)
                : PostfixValue.Of(existing.Text.Trim().Length == 0 ? reference : existing.Text.TrimEnd() + ", " + reference, existing.Span);
            main = main.Set(PolicyMaps, value, existing.NameSpan);
            var index = origins.FindIndex(o => o.Service is null && o.Name == PolicyMaps);
            var origin = new ValueOrigin(null, PolicyMaps, value.Text, ValueSource.MtaSts,
                $"{(index >= 0 ? origins[index].Detail : "main")}, with the resolver of {why} appended", existing.Span);
            if (index >= 0)
            {
                origins[index] = origin;
            }
            else
            {
                origins.Add(origin);
            }
        }

        void SetIfUnset(string parameter, string value)
        {
            if (!main.ContainsKey(parameter) && catalog.Find(parameter)?.IsKnownIn(version) == true)
            {
                main = main.Set(parameter, PostfixValue.Of(value, resolver.Span), resolver.Span);
                origins.Add(new ValueOrigin(null, parameter, value, ValueSource.MtaSts, why, resolver.Span));
            }
        }

        if (SendsPolicyAttributes(resolver, version))
        {
            SetIfUnset(EnforceStsMxPatterns, "yes");
        }

        if (resolver.Kind == MtaStsResolverKind.PostfixTlspol && catalog.Find(InsecureMxPolicy)?.DefaultIn(version) is { } insecureDefault
            && insecureDefault != "dane" && main.GetText("smtp_tls_security_level")?.Trim() != "dane")
        {
            SetIfUnset(InsecureMxPolicy, "dane");
        }

        var mainFirst = origins.Where(o => o.Service is null).Concat(origins.Where(o => o.Service is not null)).ToImmutableArray();
        return new ExpandedConfiguration(config with { Main = main }, mainFirst, expanded.Profile);
    }
}
