using System.Globalization;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;
using PostfixConfig.Validation.Rules;

namespace PostfixConfig.Validation;

/// <summary>
/// Checks the master.cf services of a configuration (after expansion): each service's <c>-o</c>
/// overrides by the same catalog and rules as main.cf (main.cf's settings with the overrides
/// applied are validated, and what that adds to main.cf's own findings is the service's), plus
/// the rules of its role: port 25 must stay opportunistic, submission must require TLS with
/// STARTTLS, submissions must speak TLS at once.
/// </summary>
internal static class ServiceValidation
{
    /// <summary>The level and legacy switches that make smtpd's TLS mandatory.</summary>
    private static readonly string[] MandatoryTriggers = ["smtpd_tls_security_level", "smtpd_enforce_tls", "smtpd_tls_wrappermode"];

    public static void Collect(TlsConfiguration effective, TargetRelease release, ParameterCatalog catalog, List<Diagnostic> diagnostics)
    {
        var version = release.Version;
        if (effective.Services.Count == 0)
        {
            return;
        }

        var profiles = ProfileCatalog.Default;
        var plain = effective with { TlsPolicy = TlsPolicyTable.Empty, Services = ServiceTable.Empty };
        var baseline = Run(new ValidationTarget(plain, release, catalog))
            .Select(Key).ToHashSet();
        var listens = new Dictionary<string, ServiceSettings>(StringComparer.Ordinal);
        foreach (var service in effective.Services)
        {
            var definition = profiles.FindService(service.Name);
            if (definition is null)
            {
                var names = string.Join(", ", profiles.Services.Select(s => s.Name));
                var hint = profiles.Services.Select(s => s.Name).FirstOrDefault(n => MainCf.MasterCf.OneEditApart(n, service.Name));
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.UnknownService, $"services[{Printable(service.Name)}]",
                    $"Unknown service '{Printable(service.Name)}'; the services PostfixConfig manages are {names}" + (hint is null ? "." : $" (did you mean '{hint}'?)."),
                    service.Span));
                continue;
            }

            var path = $"{service.Name}/{definition.Fields[0]}";
            foreach (var (when, text) in definition.Notes.Where(n => n.When.Holds(version, default)))
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.DeploymentNote, path, text, service.Span));
            }

            CheckListen(service, definition, path, listens, diagnostics);
            CheckValues(service, path, version, diagnostics);

            var main = effective.Main;
            foreach (var (name, value) in service.Overrides)
            {
                main = main.Set(name, value, service.Overrides.NameSpan(name));
            }

            var target = new ValidationTarget(plain with { Main = main }, release, catalog) { Service = definition.Role };
            foreach (var d in Run(target))
            {
                if (!baseline.Contains(Key(d)))
                {
                    diagnostics.Add(d with
                    {
                        Parameter = d.Parameter is null ? path : $"{path}/{d.Parameter}",
                        Message = $"In the {service.Name} service: {d.Message}",
                        Span = d.Span ?? service.Span,
                    });
                }
            }

            CheckRole(target, service, definition, path, diagnostics, lint: false);
        }
    }

    /// <summary>
    /// Lint of the master.cf next to main.cf: the smtpd services on port 25, 587 and 465 (by their
    /// service field) judged by the same role rules, with main.cf's settings and the entry's
    /// <c>-o</c> options: an override that undoes what the port needs is a warning.
    /// </summary>
    public static void LintMasterCf(TlsConfiguration mainCf, MainCf.MasterCf master, TargetRelease release, ParameterCatalog catalog, List<Diagnostic> diagnostics)
    {
        foreach (var entry in master.Services)
        {
            if (entry.Program != "smtpd" || RoleOf(entry) is not { } definition)
            {
                continue;
            }

            var options = entry.Options
                .GroupBy(o => o.Name, StringComparer.Ordinal)
                .Select(g => g.Last()) // the last -o of a name wins
                .Select(o => (o.Name, PostfixValue.Of(o.Value, new SourceSpan(master.Path, o.Line, o.Column)), (SourceSpan?)new SourceSpan(master.Path, o.Line, o.Column)));
            var overrides = ParameterMap.Create(options);
            var service = new ServiceSettings(definition.Name) { Overrides = overrides, Span = new SourceSpan(master.Path, entry.Line, 1) };
            var main = mainCf.Main;
            foreach (var (name, value) in overrides)
            {
                main = main.Set(name, value, overrides.NameSpan(name));
            }

            var target = new ValidationTarget(mainCf with { Main = main }, release, catalog) { Service = definition.Role };
            CheckRole(target, service, definition, $"{entry.Name}/{entry.Type}", diagnostics, lint: true);
        }
    }

    /// <summary>The managed service a master.cf smtpd entry stands for, by its port or service name (host part ignored).</summary>
    private static ServiceDefinition? RoleOf(MainCf.MasterService entry)
    {
        if (entry.Type == "pass" && entry.Name == "smtpd")
        {
            return ProfileCatalog.Default.FindService("smtp"); // behind postscreen on port 25
        }

        if (entry.Type != "inet")
        {
            return null;
        }

        var colon = entry.Name.LastIndexOf(':');
        var port = colon < 0 ? entry.Name : entry.Name[(colon + 1)..];
        return ProfileCatalog.Default.Services.FirstOrDefault(s =>
            s.Name == port || s.Port.ToString(CultureInfo.InvariantCulture) == port);
    }

    private static List<Diagnostic> Run(ValidationTarget target) =>
        TlsConfigurationValidator.Instance.Run(target);

    private static (string, string?, string) Key(Diagnostic d) => (d.Code, d.Parameter, d.Message);

    private static void CheckRole(ValidationTarget t, ServiceSettings service, ServiceDefinition definition, string path, List<Diagnostic> diagnostics, bool lint)
    {
        // In YAML a service's role is certain, so a wrong setting is an error; in an existing
        // master.cf the role is read from the port, so lint warns.
        var severity = lint ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error;
        var wrapper = t.Knows("smtpd_tls_wrappermode") && t.Flag("smtpd_tls_wrappermode") == true;
        var level = TlsFamily.Smtpd.EffectiveLevel(t);
        var mandatory = wrapper || level == "encrypt" || (level is not null && ServerTlsRules.ActsAsEncrypt(t, TlsFamily.Smtpd.Level, level));
        SourceSpan? SpanOf(string name) => service.Overrides.TryGetValue(name, out var v) ? v.Span ?? service.Span : service.Span;
        switch (definition.Role)
        {
            case ServiceRole.Port25:
                if (mandatory && MandatoryTriggers.FirstOrDefault(service.Overrides.ContainsKey) is { } trigger)
                {
                    diagnostics.Add(new Diagnostic(severity, DiagnosticCodes.MandatoryTlsOnPort25Service, $"{path}/{trigger}",
                        $"{trigger} = {service.Overrides.GetText(trigger)} on the port 25 service makes it refuse mail without TLS; RFC 3207 forbids that on a public MX. "
                        + "Keep port 25 opportunistic (smtpd_tls_security_level = may) and require TLS on the submission services.",
                        SpanOf(trigger)));
                }

                break;
            case ServiceRole.Submission:
                if (wrapper)
                {
                    diagnostics.Add(new Diagnostic(severity, DiagnosticCodes.WrapperModeMismatch, $"{path}/smtpd_tls_wrappermode",
                        $"smtpd_tls_wrappermode = yes on {service.Name} (port {definition.Port}): mail clients speak plain SMTP there and start TLS with STARTTLS, so every one of them fails. "
                        + "Remove it; wrapper mode belongs on submissions (port 465).",
                        SpanOf("smtpd_tls_wrappermode")));
                }
                else if (!mandatory && level is not null)
                {
                    var set = service.Overrides.ContainsKey("smtpd_enforce_tls") && !service.Overrides.ContainsKey("smtpd_tls_security_level") ? "smtpd_enforce_tls" : "smtpd_tls_security_level";
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.SubmissionTlsNotRequired, $"{path}/{set}",
                        $"TLS is not mandatory on {service.Name} (port {definition.Port}, level {(level.Length == 0 ? "none" : level)}): clients may log in and submit mail in clear text. "
                        + (lint ? "Add '-o smtpd_tls_security_level=encrypt' to this entry." : "Leave smtpd_tls_security_level at the service's encrypt."),
                        SpanOf(set)));
                }

                break;
            case ServiceRole.Submissions:
                if (!wrapper)
                {
                    diagnostics.Add(new Diagnostic(severity, DiagnosticCodes.WrapperModeMismatch, $"{path}/smtpd_tls_wrappermode",
                        $"{service.Name} (port {definition.Port}) without smtpd_tls_wrappermode = yes: mail clients start TLS at once there (RFC 8314) and never see the plain SMTP greeting. "
                        + (lint ? "Add '-o smtpd_tls_wrappermode=yes' to this entry." : "Leave smtpd_tls_wrappermode at the service's yes."),
                        SpanOf("smtpd_tls_wrappermode")));
                }

                break;
        }
    }

    /// <summary>The listen address (master.cf's service field): one word, and no two services on one.</summary>
    private static void CheckListen(ServiceSettings service, ServiceDefinition definition, string path, Dictionary<string, ServiceSettings> listens, List<Diagnostic> diagnostics)
    {
        var listen = service.Listen ?? service.Name;
        if (listen.Length == 0 || listen.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '#' or '{' or '}' or '='))
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InvalidServiceSetting, $"{path}/listen",
                $"listen = '{Printable(listen)}' cannot be master.cf's service field: write a port, a service name or host:port (127.0.0.1:{definition.Port}, [::1]:{definition.Port}), with no spaces.",
                service.ListenSpan ?? service.Span));
            return;
        }

        if (listens.TryGetValue(listen, out var other))
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InvalidServiceSetting, $"{path}/listen",
                $"{service.Name} and {other.Name} both listen on '{Printable(listen)}'; Postfix refuses two inet services on one address. Give one of them another listen.",
                service.ListenSpan ?? service.Span));
            return;
        }

        listens[listen] = service;
    }

    /// <summary>Values that an <c>-o</c> option cannot carry.</summary>
    private static void CheckValues(ServiceSettings service, string path, PostfixVersion version, List<Diagnostic> diagnostics)
    {
        foreach (var (name, value) in service.Overrides)
        {
            var text = value.MasterCfText;
            if (text.Contains('{', StringComparison.Ordinal) || text.Contains('}', StringComparison.Ordinal))
            {
                if (text.Any(char.IsWhiteSpace))
                {
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InvalidServiceSetting, $"{path}/{name}",
                        $"The value of {name} has braces and white space, which an -o option cannot carry; remove the spaces, or set the value in main.cf under another name (such as mua_{name}) and write {name} = $mua_{name} here.",
                        value.Span ?? service.Span));
                }
            }
            else if (text.Any(char.IsWhiteSpace) && version < new PostfixVersion(3, 0))
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InvalidServiceSetting, $"{path}/{name}",
                    string.Create(CultureInfo.InvariantCulture, $"The value of {name} has white space, which an -o option can carry only as '-o {{ name = value }}' (Postfix 3.0 and later); remove the spaces (lists can be written with commas) or set it in main.cf under another name and refer to it here."),
                    value.Span ?? service.Span));
            }
        }
    }


    private static string Printable(string s) => PostfixText.Printable(s);
}
