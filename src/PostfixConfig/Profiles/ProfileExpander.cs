using System.Collections.Immutable;
using System.Globalization;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Profiles;

/// <summary>
/// Expands a configuration's <c>profile</c> into main.cf parameters for the target release and
/// OpenSSL version (the rows of <c>Catalog/Data/profiles.txt</c>), and gives every managed
/// service the overrides of <c>Catalog/Data/services.txt</c>. Explicit settings always win.
/// </summary>
internal static class ProfileExpander
{
    /// <summary>
    /// The effective configuration, or <see langword="null"/> when the profile cannot be expressed
    /// for this release or OpenSSL version (an error is added). Notes about what the profile could
    /// not set, and what was used instead, are added as information.
    /// </summary>
    public static ExpandedConfiguration? Expand(TlsConfiguration config, PostfixVersion version, List<Diagnostic> diagnostics, ProfileCatalog? catalog = null)
    {
        catalog ??= ProfileCatalog.Default;
        var origins = ImmutableArray.CreateBuilder<ValueOrigin>();
        var main = config.Main;
        var fromProfile = new Dictionary<string, ProfileRow>(StringComparer.Ordinal);
        if (config.Profile is { } profile)
        {
            var name = ProfileCatalog.NameOf(profile);
            var openSsl = config.OpenSslVersion ?? catalog.DefaultOpenSsl(version);
            var span = config.ProfileSpan;
            var refused = false;
            foreach (var row in catalog.Rows.Where(r => r.Kind == ProfileRowKind.Refuse && r.Holds(profile, version, openSsl)))
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.ProfileNotExpressible, "profile",
                    $"Profile {name} cannot be set up for Postfix {version} with OpenSSL {openSsl}: {row.Value}", span));
                refused = true;
            }

            if (refused)
            {
                return null;
            }

            if (config.OpenSslVersion is null)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.ProfileNote, "openssl_version",
                    $"No openssl_version given: profile {name} assumes OpenSSL {openSsl}, the version Debian builds Postfix {version.Line} with. Set openssl_version when the host has another.",
                    span));
            }

            foreach (var row in catalog.Rows.Where(r => r.Kind == ProfileRowKind.Note && r.Holds(profile, version, openSsl)))
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.ProfileNote, "profile", $"Profile {name}: {row.Value}", span));
            }

            foreach (var parameter in catalog.Rows.Where(r => r.Kind == ProfileRowKind.Parameter).Select(r => r.Parameter!).Distinct())
            {
                if (catalog.Decide(profile, parameter, version, openSsl) is { } row)
                {
                    fromProfile[parameter] = row;
                }
            }

            foreach (var (parameter, row) in fromProfile)
            {
                if (row.Value is { } value && !main.ContainsKey(parameter))
                {
                    main = main.Set(parameter, PostfixValue.Of(value, span), span);
                }
            }
        }

        foreach (var (parameter, value) in main)
        {
            var explicitly = config.Main.ContainsKey(parameter);
            origins.Add(explicitly
                ? new ValueOrigin(null, parameter, value.Text, ValueSource.Main, "main" + At(value.Span), value.Span)
                : new ValueOrigin(null, parameter, value.Text, ValueSource.Profile,
                    string.Create(CultureInfo.InvariantCulture, $"profile {ProfileCatalog.NameOf(config.Profile!.Value)} (profiles.txt line {fromProfile[parameter].Line})"),
                    value.Span));
        }

        var services = ServiceTable.Empty;
        foreach (var service in config.Services)
        {
            var expanded = WithDefaults(service, catalog.FindService(service.Name));
            services = services.Add(expanded);
            foreach (var (parameter, value) in expanded.Overrides)
            {
                origins.Add(service.Overrides.ContainsKey(parameter)
                    ? new ValueOrigin(service.Name, parameter, value.Text, ValueSource.Service, $"services.{service.Name}" + At(value.Span), value.Span)
                    : new ValueOrigin(service.Name, parameter, value.Text, ValueSource.ServiceDefault, $"the {service.Name} service's default (services.txt)", value.Span));
            }
        }

        var effective = config with { Main = main, Services = services, Profile = null, ProfileSpan = null };
        return new ExpandedConfiguration(effective, origins.ToImmutable(), config.Profile);
    }

    /// <summary>The service with the catalog's default overrides added where it sets nothing itself.</summary>
    private static ServiceSettings WithDefaults(ServiceSettings service, ServiceDefinition? definition)
    {
        if (definition is null)
        {
            return service;
        }

        var overrides = service.Overrides;
        foreach (var (name, value) in definition.Sets)
        {
            if (!overrides.ContainsKey(name))
            {
                overrides = overrides.Set(name, PostfixValue.Of(value, service.Span), service.Span);
            }
        }

        return service with { Overrides = overrides };
    }

    private static string At(SourceSpan? span) => span is { } s
        ? string.Create(CultureInfo.InvariantCulture, $" ({s.File ?? "input"} line {s.Line}, column {s.Column})")
        : string.Empty;
}
