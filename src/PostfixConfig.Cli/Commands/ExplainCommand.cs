using System.CommandLine;
using System.CommandLine.Completions;
using System.Globalization;
using PostfixConfig.Catalog;

namespace PostfixConfig.Cli.Commands;

/// <summary>
/// <c>explain PARAMETER [--postfix-version X.Y]</c>: what postconf(5) would say about a TLS parameter,
/// for one release: kind, allowed values (with the release that accepts each), default, history and
/// replacement. An unknown name exits 1 with the nearest known name.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create(CliIo io)
    {
        var name = new Argument<string>("PARAMETER")
        {
            Description = "The main.cf parameter name, for example smtpd_tls_security_level (completion offers the names).",
            HelpName = "PARAMETER",
        };
        name.CompletionSources.Add(_ => ParameterCatalog.Default.Parameters.Select(p => new CompletionItem(p.Name)));
        var version = CommonOptions.PostfixVersion();
        var openSsl = CommonOptions.OpenSslVersion();
        version.Description = "The Postfix release to explain it for (X.Y or X.Y.Z); the newest stable release by default.";
        var command = new Command("explain", "Explain a TLS parameter for a Postfix release: kind, allowed values, default, history, replacement, and what each profile sets.")
        {
            name, version, openSsl,
        };
        command.SetAction(parse =>
        {
            var catalog = ParameterCatalog.Default;
            var given = parse.GetValue(version);
            var target = given ?? catalog.Releases.NewestStable;
            if (target < catalog.Releases.Oldest)
            {
                io.Error.WriteLine($"postfix-config: Postfix {target} has no built-in TLS; the catalog starts at {catalog.Releases.Oldest}.");
                return CliApp.Failure;
            }

            var release = catalog.Releases.Resolve(target);
            var label = given is { HasPatch: false, IsSnapshot: false } g && release != g ? $"Postfix {g} ({release})" : $"Postfix {release}";
            var parameter = parse.GetRequiredValue(name).Trim();
            if (catalog.Find(parameter) is { } info)
            {
                Write(io.Out, info, release, label);
                WriteProfiles(io.Out, info.Name, release, parse.GetValue(openSsl));
                return CliApp.Ok;
            }

            if (catalog.IsKnownName(parameter))
            {
                var known = catalog.IsKnownName(parameter, release) ? "a parameter of" : "not a parameter of";
                io.Out.WriteLine($"{parameter}: a Postfix parameter outside the TLS catalog (first listed by postconf -d of {catalog.NameSince(parameter)}); {known} {label}.");
                io.Out.WriteLine("  postfix-config passes it through as text; see postconf(5) for its meaning.");
                return CliApp.Ok;
            }

            var suggestion = catalog.Suggest(parameter);
            io.Error.WriteLine(suggestion is null
                ? $"postfix-config: unknown parameter '{parameter}'; check the spelling against postconf(5)."
                : $"postfix-config: unknown parameter '{parameter}'; did you mean '{suggestion}'?");
            return CliApp.Invalid;
        });
        return command;
    }

    /// <summary>What each profile sets the parameter to in this release (and OpenSSL version), when one sets it at all.</summary>
    private static void WriteProfiles(TextWriter o, string name, PostfixVersion release, OpenSslVersion? given)
    {
        var openSsl = given ?? PostfixTls.DefaultOpenSslVersion(release);
        var settings = Enum.GetValues<TlsProfile>().Select(profile =>
        {
            var expanded = PostfixTls.Expand(new TlsConfiguration { PostfixVersion = release, Profile = profile, OpenSslVersion = openSsl }).Value;
            return (Profile: profile.ToString().ToLowerInvariant(), Available: expanded is not null, Value: expanded?.Configuration.Main.GetText(name));
        }).ToList();
        if (settings.All(s => s.Value is null))
        {
            return; // no profile sets it here
        }

        o.WriteLine($"  Profiles in Postfix {release} with OpenSSL {openSsl}{(given is null ? " (Debian's for this line; --openssl-version to change)" : string.Empty)}:");
        foreach (var (profile, available, value) in settings)
        {
            var text = !available ? "(the profile is not available here)" : value is null ? "left at the default" : value.Length == 0 ? "(empty)" : value;
            o.WriteLine($"    {profile,-13} {text}");
        }
    }

    private static void Write(TextWriter o, ParameterInfo p, PostfixVersion release, string label)
    {
        o.WriteLine($"{p.Name} ({Scope(p.Scope)})");
        o.WriteLine($"  {p.Description}");
        o.WriteLine($"  Kind:         {Kind(p)}");
        if (!p.Values.IsEmpty)
        {
            var words = p.Values.Select(v => v.Since.Equals(p.Since) ? v.Value : $"{v.Value} (from {v.Since.Describe()})");
            o.WriteLine($"  Values:       {string.Join(", ", words)}");
        }

        o.WriteLine($"  Introduced:   Postfix {p.Since.Describe()}");
        if (p.Deprecated is { } deprecated)
        {
            o.WriteLine($"  Deprecated:   Postfix {deprecated.Describe()}");
        }

        if (p.Obsolete is { } obsolete)
        {
            o.WriteLine($"  No effect:    from Postfix {obsolete.Describe()}");
        }

        if (p.Removed is { } removed)
        {
            o.WriteLine($"  Removed:      Postfix {removed.Describe()} (postconf -d no longer lists it)");
        }

        if (p.PostconfWarns is { } warns)
        {
            o.WriteLine($"  postconf warns when it is set: from Postfix {warns.Describe()}");
        }

        if (!p.Replacements.IsEmpty)
        {
            o.WriteLine($"  Replacement:  {string.Join(", ", p.Replacements)}");
        }

        o.WriteLine($"  In {label}: {Status(p, release)}");
        var readers = ParameterCatalog.Default.Parameters
            .Where(other => other.DefaultIn(release) is { } d && (d.Contains("$" + p.Name, StringComparison.Ordinal) || d.Contains("${" + p.Name, StringComparison.Ordinal)))
            .Select(other => other.Name).ToList();
        if (readers.Count > 0)
        {
            o.WriteLine($"  Read by the default of: {string.Join(", ", readers)}");
        }

        if (p.DefaultIn(release) is { } value)
        {
            o.WriteLine($"  Default:      {(value.Length == 0 ? "(empty)" : value)}");
            if (p.Values.Any(v => !v.Since.IsSatisfiedBy(release)))
            {
                o.WriteLine($"  Accepted:     {string.Join(", ", p.ValuesIn(release))}");
            }
        }

        if (!p.DefaultChanges.IsEmpty)
        {
            o.WriteLine("  Default history:");
            o.WriteLine($"    from {p.Since.Describe()}: {Show(p.InitialDefault)}");
            foreach (var (since, v) in p.DefaultChanges)
            {
                o.WriteLine($"    from {since.Describe()}: {Show(v)}");
            }
        }
    }

    private static string Show(string value) => value.Length == 0 ? "(empty)" : value;

    private static string Status(ParameterInfo p, PostfixVersion release)
    {
        if (!p.Since.IsSatisfiedBy(release))
        {
            return $"not available yet (needs {p.Since.Describe()}).";
        }

        if (p.Removed is { } removed && removed.IsSatisfiedBy(release))
        {
            return "removed.";
        }

        if (p.IsObsoleteIn(release))
        {
            return "exists but has no effect.";
        }

        return p.IsDeprecatedIn(release) ? "available, deprecated." : "available.";
    }

    private static string Scope(ParameterScope scope) => scope switch
    {
        ParameterScope.Server => "SMTP server, smtpd",
        ParameterScope.Client => "SMTP client, smtp",
        ParameterScope.Lmtp => "LMTP client",
        ParameterScope.TlsProxy => "tlsproxy",
        ParameterScope.Postscreen => "postscreen",
        ParameterScope.Shared => "shared by all TLS users",
        _ => "other",
    };

    private static string Kind(ParameterInfo p) => p.Kind switch
    {
        ParameterKind.Boolean => "yes or no",
        ParameterKind.Integer => p.Range is { } r
            ? string.Create(CultureInfo.InvariantCulture, $"a whole number ({r.Min} to {r.Max} are meaningful)")
            : "a whole number",
        ParameterKind.Time => $"a time: a number with an optional unit s, m, h, d or w (default unit {p.Unit})",
        ParameterKind.Enum => "one word of the values below (case-insensitive)",
        ParameterKind.CipherGrade => "a cipher grade (case-insensitive)",
        ParameterKind.Digest => "an OpenSSL digest name",
        ParameterKind.ProtocolList => "a TLS protocol list: '!SSLv2, !SSLv3' (exclusions), names, or from 3.6 '>=TLSv1.2'",
        ParameterKind.List => "a list separated by commas or whitespace",
        ParameterKind.File => "a file name",
        ParameterKind.FileList => "a list of file names",
        ParameterKind.MapReference => "a lookup table, type:name",
        ParameterKind.MapList => "a list of lookup tables, type:name",
        _ => "text",
    };
}
