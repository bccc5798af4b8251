using System.Globalization;
using System.Net;
using PostfixConfig.Certificates;
using PostfixConfig.Diagnostics;
using PostfixConfig.Probe;

namespace PostfixConfig.Dns;

/// <summary>
/// What Postfix's SMTP client at <c>smtp_tls_security_level = dane</c> (with
/// <c>smtp_dns_support_level = dnssec</c> and the defaults of Postfix 3.6 and later) does for a
/// domain, step by step as <c>smtp_addr.c</c>, <c>smtp_tls_policy.c</c> (<c>dane_init</c>) and
/// <c>tls_dane.c</c> (<c>tls_dane_resolve</c>) do it:
/// <list type="number">
/// <item>The MX lookup: bogus or failed, the mail is deferred; insecure, the MX hosts are still
/// used with DANE (<c>smtp_tls_dane_insecure_mx_policy = dane</c>), but a success is logged as
/// "Trusted" rather than "Verified".</item>
/// <item>Each MX host's address lookup (A, else AAAA): bogus or failed, the host is skipped.</item>
/// <item>TLSA at <c>_PORT._tcp.HOST</c> only when the address records are secure (else "no TLSA
/// records", opportunistic TLS); a bogus or failed TLSA lookup defers ("TLSA lookup error");
/// insecure or absent records mean opportunistic TLS (<c>may</c>); validated but unusable records
/// mean mandatory unauthenticated TLS (<c>encrypt</c>); usable ones must authenticate the served chain.</item>
/// </list>
/// Each host's first address is probed (the same bounded session as <c>probe</c>), with the MX name
/// as SNI and as the name DANE-TA records check.
/// </summary>
internal static class MxDaneProber
{
    /// <summary>At most this many MX hosts are probed (Postfix's <c>smtp_mx_address_limit</c> is 5 addresses).</summary>
    public const int MaxHosts = 10;

    public static async Task<Result<MxProbeReport>> RunAsync(MxProbeOptions options, CancellationToken cancellation)
    {
        var domain = DnsMessage.Normalize(options.Domain);
        if (domain is "." or "" || IPAddress.TryParse(domain, out _) || !DnsMessage.IsValidName(domain))
        {
            return Error(DiagnosticCodes.DnsLookupFailed, $"'{options.Domain}' is not a domain name (ASCII letters, digits and hyphens; IDNA A-labels for other names).");
        }

        ResolverEndpoints endpoints;
        if (options.Dns.Resolver is { } given)
        {
            if (ResolverEndpoints.Parse(given, out var error) is not { } parsed)
            {
                return Error(DiagnosticCodes.DnsResolverInvalid, error!);
            }

            endpoints = parsed;
        }
        else
        {
            endpoints = ResolverEndpoints.FromFile(options.Dns.ResolvConf);
        }

        var dns = new DnssecResolver(endpoints, options.Dns.Timeout);
        var resolverText = $"{endpoints.Describe()} ({endpoints.Source})";
        var targets = new List<(string Host, int? Preference)>();
        DnssecStatus? mxStatus = null;
        if (options.LookupMx)
        {
            DnsLookup mx;
            try
            {
                mx = await dns.LookupAsync(domain, DnsType.Mx, cancellation).ConfigureAwait(false);
            }
            catch (DnsLookupException e)
            {
                return Error(DiagnosticCodes.DnsLookupFailed, e.Message);
            }

            if (mx.NotFound)
            {
                return Error(DiagnosticCodes.NoMxRecord,
                    $"{domain} has no MX record ({mx.Describe()}, DNSSEC {Status(mx.Status)}); Postfix would then try the domain's own address records. Give an MX host with --dane alone (postfix-config probe HOST --dane).");
            }

            if (mx.Records.Count == 1 && mx.Records[0].Target == ".")
            {
                return Error(DiagnosticCodes.NoMxRecord, $"{domain} publishes a null MX (RFC 7505): it accepts no mail, so there is no MX host to probe.");
            }

            mxStatus = mx.Status;
            targets.AddRange(mx.Records.Where(r => r.Target is not null and not ".")
                .OrderBy(r => r.Preference).ThenBy(r => r.Target, StringComparer.Ordinal)
                .Select(r => (r.Target!, (int?)r.Preference)).Distinct().Take(MaxHosts));
        }
        else
        {
            targets.Add((domain, null));
        }

        var hosts = new List<MxHostReport>();
        try
        {
            foreach (var (host, preference) in targets)
            {
                hosts.Add(await HostAsync(dns, domain, host, preference, mxStatus, options, cancellation).ConfigureAwait(false));
            }
        }
        catch (DnsLookupException e)
        {
            // The host given as the MX: its address lookup is the first question to the resolver, as the MX lookup is with --mx.
            return Error(DiagnosticCodes.DnsLookupFailed, e.Message);
        }

        return new Result<MxProbeReport>(new MxProbeReport { Domain = options.Domain, Dnssec = mxStatus, Resolver = resolverText, Port = options.Port, Hosts = hosts }, DiagnosticList.Empty);
    }

    private static async Task<MxHostReport> HostAsync(DnssecResolver dns, string domain, string host, int? preference, DnssecStatus? mxStatus,
        MxProbeOptions options, CancellationToken cancellation)
    {
        var report = new MxHostReport
        {
            Host = host,
            Preference = preference,
            Dane = new DaneResult([], DaneVerdict.DnsError, string.Empty),
            WouldDeliver = false,
        };
        if (mxStatus == DnssecStatus.Bogus)
        {
            return Failed(report, DaneVerdict.DnsBogus, DnssecStatus.Bogus,
                $"The MX lookup of {domain} failed DNSSEC validation (the resolver answers SERVFAIL, and with checking disabled gives this host): Postfix defers all mail for {domain}.");
        }

        // The address: A first, then AAAA (the first address is probed).
        DnsLookup address;
        try
        {
            address = await dns.LookupAsync(host, DnsType.A, cancellation).ConfigureAwait(false);
            if (address.NotFound && address.Status != DnssecStatus.Bogus)
            {
                address = await dns.LookupAsync(host, DnsType.Aaaa, cancellation).ConfigureAwait(false);
            }
        }
        catch (DnsLookupException e) when (options.LookupMx)
        {
            return Failed(report, DaneVerdict.DnsError, null, $"{e.Message} Postfix skips this MX host (and defers when no other is left).");
        }

        report = report with { AddressDnssec = address.Status };
        if (address.Status == DnssecStatus.Bogus)
        {
            return Failed(report, DaneVerdict.DnsBogus, DnssecStatus.Bogus,
                $"The address lookup of {host} failed DNSSEC validation: Postfix skips this MX host (and defers when no other is left).");
        }

        if (address.Records.Select(r => r.Address).FirstOrDefault(a => a is not null) is not { } ip)
        {
            return Failed(report, DaneVerdict.DnsError, null, $"{host} has no address record ({address.Describe()}): Postfix skips this MX host (and defers when no other is left).");
        }

        report = report with { Address = ip.ToString() };

        // TLSA: only behind secure address records (tls_dane_resolve); the canonical name first, then the MX name.
        IReadOnlyList<TlsaAssociation> usableTlsa = [];
        string dnsNote;
        if (address.Status != DnssecStatus.Secure)
        {
            dnsNote = $"The address records of {host} are not DNSSEC-validated, so Postfix does not look up TLSA records: DANE does not apply and Postfix uses opportunistic TLS (may).";
        }
        else
        {
            DnsLookup tlsa;
            try
            {
                tlsa = await dns.LookupAsync(TlsaName(address.CanonicalName, options.Port), DnsType.Tlsa, cancellation).ConfigureAwait(false);
                if (tlsa.NotFound && tlsa.Status != DnssecStatus.Bogus && address.CanonicalName != host)
                {
                    tlsa = await dns.LookupAsync(TlsaName(host, options.Port), DnsType.Tlsa, cancellation).ConfigureAwait(false);
                }
            }
            catch (DnsLookupException e)
            {
                return Failed(report, DaneVerdict.DnsError, null, $"{e.Message} Postfix defers the mail (\"TLSA lookup error for {host}:{options.Port}\").");
            }

            var published = tlsa.Records.Select(ToAssociation).Where(a => a is not null).Select(a => a! with { OwnerName = tlsa.Name + "." }).ToList();
            report = report with { TlsaDnssec = tlsa.Status, Tlsa = published };
            if (tlsa.Status == DnssecStatus.Bogus)
            {
                return Failed(report, DaneVerdict.DnsBogus, DnssecStatus.Bogus,
                    $"The TLSA lookup of {tlsa.Name} failed DNSSEC validation: Postfix defers the mail (\"TLSA lookup error for {host}:{options.Port}\").");
            }

            if (tlsa.Status == DnssecStatus.Insecure)
            {
                dnsNote = published.Count > 0
                    ? $"{tlsa.Name} has {published.Count} TLSA record(s), but they are not DNSSEC-validated, so Postfix ignores them: opportunistic TLS (may)."
                    : $"{tlsa.Name} has no TLSA record (not DNSSEC-validated either): DANE does not apply and Postfix uses opportunistic TLS (may).";
            }
            else if (published.Count == 0)
            {
                dnsNote = $"{tlsa.Name} has no TLSA record (validated: {tlsa.Describe()}): DANE does not apply and Postfix uses opportunistic TLS (may).";
            }
            else
            {
                usableTlsa = published;
                dnsNote = $"{tlsa.Name} has {published.Count} DNSSEC-validated TLSA record(s).";
            }
        }

        var secure = address.Status == DnssecStatus.Secure && report.TlsaDnssec == DnssecStatus.Secure;
        report = report with { Dnssec = secure ? DnssecStatus.Secure : DnssecStatus.Insecure };

        var probe = await Prober.RunAsync(new ProbeOptions(ip.ToString())
        {
            Port = options.Port,
            ServerName = host,
            Tlsa = usableTlsa,
            Timeout = options.Timeout,
            HeloName = options.HeloName,
            Clock = options.Clock,
        }, cancellation).ConfigureAwait(false);
        if (probe.HasErrors)
        {
            var why = string.Join(" ", probe.Diagnostics.Errors.Select(d => d.Message));
            return report with
            {
                Dane = new DaneResult([], DaneVerdict.ProbeFailed, $"{dnsNote} The probe of {host} ({ip}) failed: {why} Postfix tries the next MX host, and defers when none is left."),
                Error = why,
                Diagnostics = probe.Diagnostics,
            };
        }

        var session = probe.Value with { Host = host };
        DaneResult dane;
        bool deliver;
        if (session.Dane is { } matched)
        {
            var half = mxStatus == DnssecStatus.Insecure && matched.Verdict == DaneVerdict.Authenticated
                ? $" The MX lookup of {domain} is not DNSSEC-validated, so Postfix logs the session as \"Trusted\", not \"Verified\"."
                : string.Empty;
            dane = matched with { Detail = $"{dnsNote} {matched.Detail}{half}" };
            deliver = matched.WouldDeliver;
        }
        else if (session.Tls is not null)
        {
            dane = new DaneResult([], DaneVerdict.EncryptOnly, $"{dnsNote} The server offers STARTTLS, so Postfix delivers over TLS without authenticating it (\"Untrusted TLS connection established\").");
            deliver = true;
        }
        else
        {
            dane = new DaneResult([], DaneVerdict.NoTls, $"{dnsNote} The server does not offer STARTTLS, so Postfix delivers in plain text.");
            deliver = true;
        }

        return report with { Dane = dane, WouldDeliver = deliver, Probe = session, Diagnostics = probe.Diagnostics };
    }

    private static MxHostReport Failed(MxHostReport report, DaneVerdict verdict, DnssecStatus? status, string detail) =>
        report with { Dane = new DaneResult([], verdict, detail), Dnssec = status, Error = detail, WouldDeliver = false };

    internal static string TlsaName(string host, int port) => string.Create(CultureInfo.InvariantCulture, $"_{port}._tcp.{host}");

    /// <summary>A TLSA record's RDATA as an association (usage, selector, matching type, hex data), or null when it is too short.</summary>
    internal static TlsaAssociation? ToAssociation(DnsRecord record) => record.Data.Length < 3
        ? null
        : new TlsaAssociation((Certificates.TlsaUsage)record.Data[0], (Certificates.TlsaSelector)record.Data[1], (Certificates.TlsaMatchingType)record.Data[2],
            Convert.ToHexStringLower(record.Data.AsSpan(3)));

    internal static string Status(DnssecStatus status) => status switch
    {
        DnssecStatus.Secure => "secure",
        DnssecStatus.Insecure => "insecure",
        _ => "bogus",
    };

    private static Result<MxProbeReport> Error(string code, string message) =>
        new(null, DiagnosticList.Create([new Diagnostic(DiagnosticSeverity.Error, code, null, message)]));
}
