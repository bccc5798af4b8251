using FluentValidation;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Syntax;

namespace PostfixConfig.Validation.Rules;

/// <summary>
/// Table references (<c>type:name</c>) in every table parameter: the form, table types Postfix
/// knows, the release that brought each type and its <c>type:{...}</c> in-line form, and the endpoint
/// and map name of every <c>socketmap:</c> (see <see cref="SocketmapSyntax"/>). Whether a build
/// includes a type (lmdb, cdb, pcre, ldap, ...) depends on its packages; <c>postconf -m</c> lists them.
/// </summary>
internal sealed class MapReferenceRules : RuleSet
{
    /// <summary>Table lists that may also hold plain words (the REQUIRETLS policies end with one).</summary>
    private static readonly string[] ListsWithWords = ["smtp_requiretls_policy", "lmtp_requiretls_policy"];

    /// <summary>Table types whose file must be compiled with postmap.</summary>
    internal static readonly string[] IndexedTypes = ["hash", "btree", "lmdb", "cdb", "dbm", "sdbm"];

    protected override void Check(ValidationContext<ValidationTarget> context, ValidationTarget t)
    {
        foreach (var (name, value) in t.Config.Main)
        {
            var info = t.Catalog.Find(name);
            if (info is null)
            {
                CheckSocketmaps(context, t, name, value); // other parameters: lookup tables and restrictions may name socketmaps
                continue;
            }

            if (!info.IsKnownIn(t.Version) || info.Kind is not (ParameterKind.MapReference or ParameterKind.MapList))
            {
                continue;
            }

            var elements = value.IsList ? value.Items.SelectMany(MapSyntax.SplitElements).ToList() : MapSyntax.SplitElements(value.Text);
            foreach (var element in elements)
            {
                CheckElement(context, t, name, MapSyntax.Parse(element), ListsWithWords.Contains(name, StringComparer.Ordinal));
            }

            if (name == "tls_server_sni_maps" && elements.Select(MapSyntax.Parse).FirstOrDefault(m => m.Type is { } type && IndexedTypes.Contains(type, StringComparer.Ordinal)) is { } indexed)
            {
                context.Info(DiagnosticCodes.DeploymentNote, name,
                    $"Build {indexed.Text} with 'postmap -F {indexed.Type}:{indexed.Name}': -F stores the contents of the listed key and certificate files; a table built without it does not work. Protect the resulting file, it holds private keys.",
                    t.SpanOf(name));
            }
        }
    }

    private static void CheckElement(ValidationContext<ValidationTarget> context, ValidationTarget t, string parameter, MapReference map, bool wordsAllowed)
    {
        var span = t.SpanOf(parameter);
        if (map.Text.StartsWith('$') || map.Type?.Contains('$', StringComparison.Ordinal) == true)
        {
            return; // expanded at run time
        }

        if (map.Type is null)
        {
            if (!wordsAllowed)
            {
                context.Error(DiagnosticCodes.InvalidMapReference, parameter,
                    $"'{map.Text}' in {parameter} is not a table reference; Postfix stops with \"expecting type:name\". Write type:name, for example hash:/etc/postfix/{Path.GetFileName(map.Text.TrimEnd('/'))}.",
                    span);
            }

            return;
        }

        if (!Thresholds.MapTypes.TryGetValue(map.Type, out var since))
        {
            var close = Thresholds.MapTypes.Keys.FirstOrDefault(k => k.Equals(map.Type, StringComparison.OrdinalIgnoreCase))
                ?? Thresholds.MapTypes.Keys.Where(k => Math.Abs(k.Length - map.Type.Length) <= 1 && k[0] == char.ToLowerInvariant(map.Type[0]) && Shared(k, map.Type) >= k.Length - 1).FirstOrDefault();
            context.Error(DiagnosticCodes.UnknownMapType, parameter,
                $"'{map.Type}' in {parameter} is not a Postfix table type; Postfix stops with \"unsupported dictionary type\"."
                + (close is null ? " Use one that 'postconf -m' lists (hash, btree, lmdb, cdb, texthash, regexp, pcre, ...)." : $" Did you mean '{close}'?"),
                span);
            return;
        }

        if (!since.IsSatisfiedBy(t.Version))
        {
            context.Error(DiagnosticCodes.MapTypeNotInRelease, parameter,
                $"Table type {map.Type} needs Postfix {since.Describe()}; {t.Release} does not have it. Use a type it has, such as hash or btree.",
                span);
            return;
        }

        if (map.IsInline)
        {
            if (!Thresholds.InlineMapForms.TryGetValue(map.Type, out var inline))
            {
                context.Error(DiagnosticCodes.InvalidMapReference, parameter,
                    $"{map.Type} tables cannot be written in-line as {map.Type}:{{...}}; put the entries in a file and write {map.Type}:/path/to/file.",
                    span);
            }
            else if (!inline.IsSatisfiedBy(t.Version))
            {
                context.Error(DiagnosticCodes.MapTypeNotInRelease, parameter,
                    $"The in-line form {map.Type}:{{...}} needs Postfix {inline.Describe()}; {t.Release} does not have it. Put the entries in a file instead.",
                    span);
            }

            return;
        }

        if (Thresholds.InlineOnlyMapTypes.Contains(map.Type))
        {
            context.Error(DiagnosticCodes.InvalidMapReference, parameter,
                $"{map.Type} tables take their entries only in-line, as {map.Type}:{{...}}; for '{map.Text}' Postfix stops with \"bad syntax\".",
                span);
        }
        else if (map.Name.Length == 0)
        {
            context.Error(DiagnosticCodes.InvalidMapReference, parameter,
                $"'{map.Text}' in {parameter} names no table after the type; write {map.Type}:/etc/postfix/tablename.",
                span);
        }
        else if (map.Type == "socketmap" && !map.Name.Contains('$', StringComparison.Ordinal) && SocketmapSyntax.CheckMapName(map.Name) is { } problem)
        {
            context.Error(DiagnosticCodes.InvalidMapReference, parameter, $"{parameter}: {problem}.", span);
        }
    }

    /// <summary>The <c>socketmap:</c> references among the words of a parameter outside the TLS catalog.</summary>
    private static void CheckSocketmaps(ValidationContext<ValidationTarget> context, ValidationTarget t, string parameter, PostfixValue value)
    {
        var elements = value.IsList ? value.Items.SelectMany(MapSyntax.SplitElements) : MapSyntax.SplitElements(value.Text);
        var userDefined = !t.Catalog.IsKnownName(parameter);
        foreach (var element in elements)
        {
            if (userDefined && element.EndsWith(':'))
            {
                continue; // a prefix of the user's own, completed where it is used: podop = socketmap:unix:/run/podop:, then ${podop}alias
            }

            var map = MapSyntax.Parse(element);
            if (map.Type == "socketmap" && !map.Name.Contains('$', StringComparison.Ordinal) && SocketmapSyntax.CheckMapName(map.Name) is { } problem)
            {
                context.Error(DiagnosticCodes.InvalidMapReference, parameter, $"{parameter}: {problem}.", t.SpanOf(parameter));
            }
        }
    }

    private static int Shared(string a, string b) => a.Zip(b).Count(p => p.First == char.ToLowerInvariant(p.Second));
}
