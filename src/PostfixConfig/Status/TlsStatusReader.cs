using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;
using PostfixConfig.Text;

namespace PostfixConfig.Status;

/// <summary>
/// Reads <see cref="TlsStatus"/> from main.cf and master.cf as Postfix applies them: each listener's
/// settings are main.cf's with the entry's <c>-o</c> options on top (a postscreen listener's are those of
/// the <c>smtpd pass</c> entry that takes its sessions over), <c>$name</c> expanded, defaults of the release
/// where nothing sets a parameter, and the legacy switches (<c>smtpd_use_tls</c>, <c>smtp_enforce_tls</c>)
/// read as Postfix reads them before 3.9 when the level is empty.
/// </summary>
internal static class TlsStatusReader
{
    /// <summary>Debian's snakeoil certificate (package ssl-cert).</summary>
    internal const string SnakeoilCertificate = "/etc/ssl/certs/ssl-cert-snakeoil.pem";

    private static readonly PostfixVersion LegacySwitchesRemoved = new(3, 9);

    private static readonly string[] CertificateParameters = ["smtpd_tls_cert_file", "smtpd_tls_eccert_file", "smtpd_tls_dcert_file"];

    private static readonly string[] Protocols = ["SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

    public static TlsStatus Read(MainCfDocument document, MasterCf? master, PostfixVersion version, ParameterCatalog catalog, StatusOptions options, DiagnosticList diagnostics)
    {
        var main = document.ToConfiguration().Main;
        var inbound = new List<InboundListener>();
        var ports = new ServicePorts(options.ServicesFile);
        if (master is null)
        {
            var scope = new Scope(document, main, null, version, catalog);
            inbound.Add(Listener("smtp", "inet", "smtpd", 0, scope, ports, options, version));
        }
        else
        {
            var pass = master.Services.FirstOrDefault(s => s.Type == "pass" && ProgramOf(s) == "smtpd");
            foreach (var service in master.Services)
            {
                var program = ProgramOf(service);
                if (program is not ("smtpd" or "postscreen") || service.Type is not ("inet" or "unix"))
                {
                    continue;
                }

                var settings = program == "postscreen" ? pass : service;
                var scope = new Scope(document, main, settings?.Entry, version, catalog);
                inbound.Add(Listener(service.Name, service.Type, program, service.Line, scope, ports, options, version));
            }
        }

        var client = master?.Services.FirstOrDefault(s => s.Name == "smtp" && s.Type == "unix" && ProgramOf(s) == "smtp");
        var clientScope = new Scope(document, main, client?.Entry, version, catalog);
        var outbound = Outbound(clientScope, version);
        if (options.CheckDns is { } dns)
        {
            (outbound, diagnostics) = OutboundDnssecCheck.Apply(outbound, clientScope.Get("dnssec_probe"), dns, diagnostics);
        }

        return new TlsStatus
        {
            Release = version,
            MainCfPath = document.Path,
            MasterCfPath = master?.Path,
            Inbound = [.. inbound],
            Outbound = outbound,
            Diagnostics = diagnostics,
        };
    }

    private static string ProgramOf(MasterService service) => Path.GetFileName(service.Program);

    private static InboundListener Listener(string service, string type, string program, int line, Scope scope, ServicePorts ports, StatusOptions options, PostfixVersion version)
    {
        var level = scope.Get("smtpd_tls_security_level");
        if (level.Value.Length == 0 && version < LegacySwitchesRemoved)
        {
            var enforce = scope.Get("smtpd_enforce_tls");
            var use = scope.Get("smtpd_use_tls");
            level = IsYes(enforce.Value) ? enforce with { Value = "encrypt" }
                : IsYes(use.Value) ? use with { Value = "may" }
                : level;
        }

        if (level.Value.Length == 0)
        {
            level = level with { Value = "none" };
        }

        var wrapper = scope.Get("smtpd_tls_wrappermode");
        var certificate = Certificate(scope, options);
        var hasCertificate = certificate.Kind != CertificateKind.Missing;
        var where = Where(level);
        InboundTls tls;
        string reason;
        if (IsYes(wrapper.Value))
        {
            tls = InboundTls.Implicit;
            reason = hasCertificate
                ? $"smtpd_tls_wrappermode = yes ({Where(wrapper)}): TLS from the first byte, before any SMTP."
                : $"smtpd_tls_wrappermode = yes ({Where(wrapper)}), but no certificate is configured, so every TLS handshake fails and no mail is accepted.";
        }
        else
        {
            (tls, reason) = level.Value switch
            {
                "none" => (InboundTls.Off, $"{Said(level)} ({where}): no STARTTLS is offered."),
                "may" when hasCertificate => (InboundTls.Offered, $"{Said(level)} ({where}): STARTTLS is offered, and clients may send without it."),
                "may" => (InboundTls.Off, $"{Said(level)} ({where}), but no certificate is configured, so Postfix offers no STARTTLS."),
                "encrypt" when hasCertificate => (InboundTls.Required, $"{Said(level)} ({where}): clients must use STARTTLS before they may send."),
                "encrypt" => (InboundTls.Required, $"{Said(level)} ({where}), but no certificate is configured, so STARTTLS fails and no mail is accepted."),
                "verify" or "secure" or "fingerprint" or "dane" or "dane-only" => (InboundTls.Required, $"{Said(level)} ({where}): smtpd knows only none, may and encrypt, and treats this as encrypt."),
                _ => (InboundTls.Off, $"{Said(level)} ({where}) is not a security level; smtpd stops with a fatal error (\"invalid TLS level\")."),
            };
        }

        var floor = tls switch
        {
            InboundTls.Offered => Floor(scope.Get("smtpd_tls_protocols").Value),
            InboundTls.Required or InboundTls.Implicit when hasCertificate => Floor(scope.Get("smtpd_tls_mandatory_protocols").Value),
            _ => null,
        };
        return new InboundListener
        {
            Service = service,
            Type = type,
            Program = program,
            Port = type == "inet" ? ports.Of(service) : null,
            Line = line,
            Tls = tls,
            Level = level,
            WrapperMode = IsYes(wrapper.Value) ? wrapper : null,
            Reason = reason,
            Certificate = certificate,
            ProtocolFloor = floor,
        };
    }

    private static OutboundStatus Outbound(Scope scope, PostfixVersion version)
    {
        var level = scope.Get("smtp_tls_security_level");
        if (level.Value.Length == 0 && version < LegacySwitchesRemoved)
        {
            var enforce = scope.Get("smtp_enforce_tls");
            var use = scope.Get("smtp_use_tls");
            level = IsYes(enforce.Value) ? enforce with { Value = IsYes(scope.Get("smtp_tls_enforce_peername").Value) ? "verify" : "encrypt" }
                : IsYes(use.Value) ? use with { Value = "may" }
                : level;
        }

        if (level.Value.Length == 0)
        {
            level = level with { Value = "none" };
        }

        var dns = scope.Get("smtp_dns_support_level").Value;
        var policy = PolicyTable(scope.Get("smtp_tls_policy_maps").Value, out var policyUsesDane);
        var daneUsed = level.Value is "dane" or "dane-only" || policyUsesDane;
        var daneComplete = daneUsed && dns == "dnssec";
        var where = Where(level);
        var reason = level.Value switch
        {
            "none" => $"{Said(level)} ({where}): mail leaves in plain text, even to servers that offer STARTTLS.",
            "may" => $"{Said(level)} ({where}): TLS whenever the other server offers STARTTLS, without checking its certificate; plain text otherwise.",
            "encrypt" => $"{Said(level)} ({where}): TLS always, certificates not checked; mail to servers without STARTTLS waits in the queue.",
            "dane" or "dane-only" when !daneComplete => $"{Said(level)} ({where}), but smtp_dns_support_level is not dnssec, so Postfix sees no TLSA records and {(level.Value == "dane" ? "acts as may" : "defers mail")}.",
            "dane" => $"{Said(level)} ({where}): certificates are checked against DNSSEC-signed TLSA records where a domain has them; opportunistic TLS elsewhere.",
            "dane-only" => $"{Said(level)} ({where}): mail goes only to servers with DNSSEC-signed TLSA records that match.",
            "fingerprint" or "verify" or "secure" => $"{Said(level)} ({where}): TLS always, with the server's certificate checked.",
            _ => $"{Said(level)} ({where}) is not a security level; the SMTP client defers mail with \"invalid TLS level\".",
        };
        return new OutboundStatus
        {
            Level = level,
            Reason = reason,
            DaneUsed = daneUsed,
            DaneComplete = daneComplete,
            DnsSupportLevel = dns,
            PolicyTable = policy,
            SessionCache = scope.Get("smtp_tls_session_cache_database").Value is { Length: > 0 } cache ? cache : null,
            ProtocolFloor = level.Value switch
            {
                "none" => null,
                "may" => Floor(scope.Get("smtp_tls_protocols").Value),
                _ => Floor(scope.Get("smtp_tls_mandatory_protocols").Value),
            },
        };
    }

    private static ServedCertificate Certificate(Scope scope, StatusOptions options)
    {
        var chain = PostfixText.SplitList(scope.Get("smtpd_tls_chain_files").Value);
        var files = chain.Length > 0
            ? chain
            : [.. CertificateParameters.Select(p => scope.Get(p).Value).Where(f => f.Length > 0 && f != "none")];
        if (files.Length == 0)
        {
            return new ServedCertificate { Kind = CertificateKind.Missing };
        }

        var kind = files.Contains(SnakeoilCertificate, StringComparer.Ordinal) ? CertificateKind.Snakeoil : CertificateKind.Files;
        var served = new ServedCertificate { Kind = kind, Files = [.. files] };
        if (!options.CheckFiles)
        {
            return served;
        }

        string? problem = null;
        foreach (var file in files)
        {
            try
            {
                var text = System.Text.Encoding.ASCII.GetString(IO.BoundedFile.ReadAllBytes(file, IO.InputLimits.PemBytes, regularOnly: true));
                if (!text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
                {
                    continue;
                }

                using var certificate = X509Certificate2.CreateFromPem(text);
                var selfSigned = certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
                return served with
                {
                    Kind = kind == CertificateKind.Files && selfSigned ? CertificateKind.SelfSigned : kind,
                    Issuer = certificate.Issuer,
                    NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
                };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                problem ??= $"{file}: {e.Message}";
            }
        }

        return served with { Problem = problem ?? "no certificate found in the files" };
    }

    /// <summary>The policy table's first map and its entries (lines of its source file that are not comments or continuations).</summary>
    private static PolicyTableStatus? PolicyTable(string value, out bool usesDane)
    {
        usesDane = false;
        var first = ParameterUsageSplit(value).FirstOrDefault();
        if (first is null)
        {
            return null;
        }

        var colon = first.IndexOf(':', StringComparison.Ordinal);
        var (type, name) = colon < 0 ? (string.Empty, first) : (first[..colon], first[(colon + 1)..]);
        int? entries = null;
        if (type is "hash" or "btree" or "lmdb" or "cdb" or "dbm" or "texthash" or "sdbm" && Path.IsPathRooted(name) && File.Exists(name))
        {
            try
            {
                var lines = System.Text.Encoding.UTF8.GetString(IO.BoundedFile.ReadAllBytes(name, IO.InputLimits.ConfigFileBytes, regularOnly: true)).Split('\n');
                var count = 0;
                foreach (var line in lines)
                {
                    var trimmed = line.TrimStart();
                    if (trimmed.Length == 0 || trimmed[0] == '#' || char.IsWhiteSpace(line[0]))
                    {
                        continue;
                    }

                    count++;
                    usesDane |= line.Contains("dane", StringComparison.Ordinal);
                }

                entries = count;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                entries = null;
            }
        }

        return new PolicyTableStatus(type, name, entries);
    }

    private static IEnumerable<string> ParameterUsageSplit(string value) => Usage.ParameterUsage.SplitQuoted(value);

    /// <summary>The lowest protocol a <c>*_tls_protocols</c> value leaves enabled (SSLv2 never is).</summary>
    internal static string? Floor(string value)
    {
        var enabled = Protocols.Skip(1).ToList();
        var positives = new List<string>();
        foreach (var word in value.Split([' ', ',', ':', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.StartsWith(">=", StringComparison.Ordinal) && Array.IndexOf(Protocols, word[2..]) is var lo and >= 0)
            {
                enabled.RemoveAll(p => Array.IndexOf(Protocols, p) < lo);
            }
            else if (word.StartsWith("<=", StringComparison.Ordinal) && Array.IndexOf(Protocols, word[2..]) is var hi and >= 0)
            {
                enabled.RemoveAll(p => Array.IndexOf(Protocols, p) > hi);
            }
            else if (word.StartsWith('!'))
            {
                enabled.Remove(word[1..]);
            }
            else if (Protocols.Contains(word, StringComparer.Ordinal))
            {
                positives.Add(word);
            }
        }

        if (positives.Count > 0)
        {
            enabled.RemoveAll(p => !positives.Contains(p, StringComparer.Ordinal));
        }

        return enabled.Count > 0 ? enabled[0] : null;
    }

    private static bool IsYes(string value) => value.Equals("yes", StringComparison.OrdinalIgnoreCase);

    private static string Said(SettingSource s) =>
        s.Parameter.EndsWith("_security_level", StringComparison.Ordinal) ? $"{s.Parameter} = {s.Value}" : $"{s.Parameter} = yes, which means level {s.Value}";

    /// <summary>Where a setting was made, in words: "main.cf line 12", "master.cf line 17 (-o)", "Postfix's default".</summary>
    internal static string Where(SettingSource s) => s.Origin switch
    {
        SettingOrigin.MainCf => $"main.cf line {s.Span?.Line}",
        SettingOrigin.MasterCf => $"master.cf line {s.Span?.Line}, -o",
        _ => "Postfix's default",
    };

    /// <summary>The settings one program sees: main.cf, with an entry's <c>-o</c> options on top.</summary>
    private sealed class Scope
    {
        private readonly MainCfDocument _document;
        private readonly Dictionary<string, MasterCfOption> _options = new(StringComparer.Ordinal);
        private readonly ParameterExpansion _expansion;

        public Scope(MainCfDocument document, ParameterMap main, MasterCfEntry? entry, PostfixVersion version, ParameterCatalog catalog)
        {
            _document = document;
            foreach (var option in entry?.Options ?? [])
            {
                _options[option.Name] = option;
                main = main.Set(option.Name, PostfixValue.Of(option.Value, option.ValueSpan), option.NameSpan);
            }

            _expansion = ParameterExpansion.For(main, version, catalog);
        }

        public SettingSource Get(string name)
        {
            // A reference to a parameter whose default the catalog does not know (${data_directory}) stays as written.
            var r = _expansion.ExpandParameter(name);
            var value = (r.UnknownDefaults.Count > 0 || r.Error is not null ? _expansion.Lookup(name) : r.Value) ?? string.Empty;
            value = value.Trim();
            return _options.TryGetValue(name, out var option) ? new SettingSource(name, value, SettingOrigin.MasterCf, option.ValueSpan)
                : _document.Find(name) is { } p ? new SettingSource(name, value, SettingOrigin.MainCf, p.NameSpan)
                : new SettingSource(name, value, SettingOrigin.Default, null);
        }
    }
}
