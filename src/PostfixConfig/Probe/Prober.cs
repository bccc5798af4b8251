using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Probe;

/// <summary>
/// Runs a probe: resolves the host (its first address), runs one SMTP session (greeting, EHLO,
/// STARTTLS or implicit TLS, EHLO again over TLS, QUIT), then with a scan one more session per
/// protocol version, and matches the TLSA records. Each step is bounded by the timeout; nothing
/// is retried.
/// </summary>
internal static class Prober
{
    public static async Task<Result<ProbeReport>> RunAsync(ProbeOptions options, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            throw new ArgumentException("The host to probe is empty.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.Port, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero, nameof(options));

        var diagnostics = new List<Diagnostic>();
        try
        {
            var host = options.Host.Trim();
            if (host.StartsWith('[') && host.EndsWith(']'))
            {
                host = host[1..^1];
            }

            var isAddress = IPAddress.TryParse(host, out var literal);
            var referenceName = options.ServerName is { Length: > 0 } sn ? sn.TrimEnd('.') : isAddress ? null : host.TrimEnd('.');
            var address = literal ?? await ResolveAsync(host, options, cancellation).ConfigureAwait(false);
            var endpoint = new IPEndPoint(address, options.Port);
            var peer = address.ToString() == host
                ? string.Create(CultureInfo.InvariantCulture, $"{host} port {options.Port}")
                : string.Create(CultureInfo.InvariantCulture, $"{host} ({address}) port {options.Port}");
            var implicitTls = options.StartTls == StartTlsMode.No || (options.StartTls == StartTlsMode.Auto && options.Port == 465);

            var session = await SessionAsync(endpoint, peer, implicitTls, options, referenceName, SslProtocols.None, main: true, cancellation).ConfigureAwait(false);

            TlsSessionInfo? tls = null;
            if (session.Handshake is { } handshake)
            {
                var inspected = ServedChain.Inspect(handshake.Chain, handshake.Protocol, handshake.CipherSuite, referenceName, options, diagnostics);
                tls = inspected with { ExtensionsAfterTls = session.ExtensionsAfterTls };
            }
            else
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.StartTlsNotOffered, null,
                    $"{peer} does not offer STARTTLS in its EHLO reply, so mail to it travels unencrypted and senders that require TLS (DANE, MTA-STS, 'encrypt') defer it. Give smtpd a certificate and set smtpd_tls_security_level = may (smtpd_tls_chain_files or smtpd_tls_cert_file and smtpd_tls_key_file)."));
            }

            IReadOnlyList<ProtocolProbe> protocols = !options.ScanProtocols ? []
                : session.Handshake is null ? [.. PlatformProtocols.ScanOrder.Select(p => new ProtocolProbe(SmtpConnection.ProtocolName(p), ProtocolOutcome.Failed, null, "Not tried: the server does not offer STARTTLS."))]
                : await ScanAsync(endpoint, peer, implicitTls, options, referenceName, diagnostics, cancellation).ConfigureAwait(false);

            DaneResult? dane = null;
            if (options.Tlsa.Count > 0)
            {
                dane = DaneMatcher.Match(session.Handshake?.Chain, options.Tlsa, referenceName, options.Clock.GetUtcNow());
                Report(dane, options, referenceName, diagnostics);
            }

            session.Handshake?.Chain.ToList().ForEach(c => c.Dispose());
            var report = new ProbeReport
            {
                Host = options.Host,
                Port = options.Port,
                Address = address.ToString(),
                Mode = implicitTls ? TlsStart.Implicit : TlsStart.StartTls,
                Banner = session.Banner.Text,
                Extensions = session.Extensions,
                StartTlsOffered = session.StartTlsOffered,
                Tls = tls,
                Protocols = protocols,
                Dane = dane,
            };
            return new Result<ProbeReport>(report, DiagnosticList.Create(diagnostics));
        }
        catch (ProbeException e)
        {
            return new Result<ProbeReport>(null, DiagnosticList.Create([e.ToDiagnostic()]));
        }
    }

    private static async Task<IPAddress> ResolveAsync(string host, ProbeOptions options, CancellationToken cancellation)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(options.Timeout);
        try
        {
            var addresses = await System.Net.Dns.GetHostAddressesAsync(host, limit.Token).ConfigureAwait(false);
            return addresses.Length > 0
                ? addresses[0]
                : throw new ProbeException(DiagnosticCodes.ProbeConnectFailed, $"{host}: the name has no address.");
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new ProbeException(DiagnosticCodes.ProbeConnectFailed,
                $"{host}: the name did not resolve within {options.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s.");
        }
        catch (SocketException e)
        {
            throw new ProbeException(DiagnosticCodes.ProbeConnectFailed, $"{host}: the name does not resolve ({SmtpConnection.Show(e.Message)}).", e);
        }
        catch (ArgumentException e)
        {
            throw new ProbeException(DiagnosticCodes.ProbeConnectFailed, $"'{SmtpConnection.Show(host)}' is not a host name or an IP address.", e);
        }
    }

    private sealed record Session(SmtpReply Banner, IReadOnlyList<string> Extensions, bool StartTlsOffered, TlsHandshake? Handshake, IReadOnlyList<string> ExtensionsAfterTls);

    /// <summary>One SMTP session on its own connection, ended with QUIT.</summary>
    private static async Task<Session> SessionAsync(IPEndPoint endpoint, string peer, bool implicitTls, ProbeOptions options, string? referenceName,
        SslProtocols protocols, bool main, CancellationToken cancellation)
    {
        var sni = options.ServerName is { Length: > 0 } ? options.ServerName : referenceName;
        var helo = options.HeloName ?? HeloName();
        await using var connection = await SmtpConnection.OpenAsync(endpoint, peer, options.Timeout, cancellation).ConfigureAwait(false);
        if (implicitTls)
        {
            var handshake = await connection.HandshakeAsync(sni, protocols, "at the start of the connection (implicit TLS)", cancellation,
                "If the port speaks plain SMTP first (25, 587), probe it with STARTTLS (--starttls auto).").ConfigureAwait(false);
            var banner = await Greeting(connection, "over TLS", cancellation).ConfigureAwait(false);
            var extensions = main ? await EhloAsync(connection, helo, "over TLS", cancellation).ConfigureAwait(false) : [];
            await connection.QuitAsync(cancellation).ConfigureAwait(false);
            return new Session(banner, extensions, false, handshake, []);
        }
        else
        {
            var banner = await Greeting(connection, string.Empty, cancellation).ConfigureAwait(false);
            var extensions = await EhloAsync(connection, helo, string.Empty, cancellation).ConfigureAwait(false);
            var offered = extensions.Any(e => e.Equals("STARTTLS", StringComparison.OrdinalIgnoreCase));
            if (!offered && options.StartTls != StartTlsMode.Yes)
            {
                await connection.QuitAsync(cancellation).ConfigureAwait(false);
                return new Session(banner, extensions, false, null, []);
            }

            await connection.SendAsync("STARTTLS", cancellation).ConfigureAwait(false);
            var reply = await connection.ReadReplyAsync("the reply to STARTTLS", cancellation).ConfigureAwait(false);
            if (reply.Code != 220)
            {
                await connection.QuitAsync(cancellation).ConfigureAwait(false);
                throw new ProbeException(DiagnosticCodes.ProbeSmtpRejected,
                    $"{peer} answered STARTTLS with \"{reply.Text}\"{(offered ? string.Empty : " (its EHLO reply does not offer STARTTLS)")}; no TLS session was possible.");
            }

            var handshake = await connection.HandshakeAsync(sni, protocols, "after STARTTLS", cancellation).ConfigureAwait(false);
            var after = main ? await EhloAsync(connection, helo, "over TLS", cancellation).ConfigureAwait(false) : [];
            await connection.QuitAsync(cancellation).ConfigureAwait(false);
            return new Session(banner, extensions, offered, handshake, after);
        }
    }

    private static async Task<SmtpReply> Greeting(SmtpConnection connection, string where, CancellationToken cancellation)
    {
        var what = where.Length == 0 ? "the greeting" : "the greeting " + where;
        var hint = where.Length == 0 ? "If the port expects TLS at once (465, smtpd_tls_wrappermode = yes), probe it with implicit TLS (--starttls no)." : null;
        var banner = await connection.ReadReplyAsync(what, cancellation, hint).ConfigureAwait(false);
        if (banner.Code != 220)
        {
            await connection.QuitAsync(cancellation).ConfigureAwait(false);
            throw new ProbeException(DiagnosticCodes.ProbeSmtpRejected, $"{connection.Peer} refused the session: \"{banner.Text}\".");
        }

        return banner;
    }

    private static async Task<IReadOnlyList<string>> EhloAsync(SmtpConnection connection, string helo, string where, CancellationToken cancellation)
    {
        await connection.SendAsync("EHLO " + helo, cancellation).ConfigureAwait(false);
        var what = where.Length == 0 ? "the reply to EHLO" : "the reply to EHLO " + where;
        var reply = await connection.ReadReplyAsync(what, cancellation).ConfigureAwait(false);
        if (reply.Code != 250)
        {
            await connection.QuitAsync(cancellation).ConfigureAwait(false);
            throw new ProbeException(DiagnosticCodes.ProbeSmtpRejected, $"{connection.Peer} answered EHLO {helo} with \"{reply.Text}\"; without EHLO there is no STARTTLS.");
        }

        // The first line is the server's name and greeting; the others are the extensions.
        return [.. reply.Lines.Skip(1).Select(l => SmtpConnection.Show(l.Trim()))];
    }

    private static async Task<IReadOnlyList<ProtocolProbe>> ScanAsync(IPEndPoint endpoint, string peer, bool implicitTls, ProbeOptions options,
        string? referenceName, List<Diagnostic> diagnostics, CancellationToken cancellation)
    {
        var support = await PlatformProtocols.GetAsync().ConfigureAwait(false);
        var results = new List<ProtocolProbe>();
        foreach (var protocol in PlatformProtocols.ScanOrder)
        {
            var name = SmtpConnection.ProtocolName(protocol);
            if (support[protocol] is { } reason)
            {
                results.Add(new ProtocolProbe(name, ProtocolOutcome.NotTestable, null, char.ToUpperInvariant(reason[0]) + reason[1..] + "."));
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.ProtocolNotTestable, null, $"{name} was not tried: {reason}."));
                continue;
            }

            try
            {
                var session = await SessionAsync(endpoint, peer, implicitTls, options with { StartTls = options.StartTls == StartTlsMode.Auto && !implicitTls ? StartTlsMode.Yes : options.StartTls },
                    referenceName, protocol, main: false, cancellation).ConfigureAwait(false);
                var handshake = session.Handshake!;
                handshake.Chain.ToList().ForEach(c => c.Dispose());
                results.Add(handshake.Protocol == name
                    ? new ProtocolProbe(name, ProtocolOutcome.Accepted, handshake.CipherSuite, $"The server completed a {name} handshake ({handshake.CipherSuite}).")
                    : new ProtocolProbe(name, ProtocolOutcome.Failed, null, $"Offered only {name}, but {handshake.Protocol} was negotiated."));
            }
            catch (ProbeException e) when (e.InHandshake && e.Code != DiagnosticCodes.ProbeTimeout)
            {
                results.Add(new ProtocolProbe(name, ProtocolOutcome.Refused, null, e.Message));
            }
            catch (ProbeException e)
            {
                results.Add(new ProtocolProbe(name, ProtocolOutcome.Failed, null, e.Message));
            }
        }

        var weak = results.Where(r => r.Outcome == ProtocolOutcome.Accepted && r.Protocol is "SSLv3" or "TLSv1" or "TLSv1.1").Select(r => r.Protocol).ToList();
        if (weak.Count > 0)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.WeakProtocol, null,
                $"{peer} accepts {string.Join(" and ", weak)}, obsolete since RFC 8996. Allow only TLS 1.2 and newer: smtpd_tls_protocols = >=TLSv1.2 (Postfix 3.6 and later; before, !SSLv2, !SSLv3, !TLSv1, !TLSv1.1) and the same for smtpd_tls_mandatory_protocols."));
        }

        return results;
    }

    private static void Report(DaneResult dane, ProbeOptions options, string? referenceName, List<Diagnostic> diagnostics)
    {
        foreach (var match in dane.Records)
        {
            var record = match.Record;
            if (record.OwnerName is { } owner && OtherService(owner, options.Port, referenceName) is { } other)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.TlsaOtherService, null,
                    $"The record {record.Abbreviated()} is for {owner}, {other}; DANE clients look up _{options.Port.ToString(CultureInfo.InvariantCulture)}._tcp.{referenceName ?? "MX-HOST"}.", record.Span));
            }

            var (severity, code) = match.Outcome switch
            {
                TlsaOutcome.Authenticates => (DiagnosticSeverity.Info, DiagnosticCodes.TlsaMatched),
                TlsaOutcome.NotUsedForSmtp => (DiagnosticSeverity.Warning, DiagnosticCodes.TlsaNotForSmtp),
                TlsaOutcome.Unusable => (DiagnosticSeverity.Warning, DiagnosticCodes.TlsaUnusable),
                _ => (DiagnosticSeverity.Warning, DiagnosticCodes.TlsaNotMatched),
            };
            diagnostics.Add(new Diagnostic(severity, code, null, $"TLSA {record.Abbreviated()}: {match.Detail}", record.Span));
        }

        diagnostics.Add(new Diagnostic(dane.WouldDeliver ? DiagnosticSeverity.Info : DiagnosticSeverity.Warning, DiagnosticCodes.DaneVerdict, null, dane.Detail));
    }

    /// <summary>Why an owner name is not <c>_PORT._tcp.NAME</c> for the probed port and name, or null when it is (or cannot be told).</summary>
    private static string? OtherService(string owner, int port, string? referenceName)
    {
        var labels = owner.TrimEnd('.').Split('.');
        if (labels.Length < 2 || !labels[0].StartsWith('_') || !labels[1].Equals("_tcp", StringComparison.OrdinalIgnoreCase))
        {
            return "which is not a _PORT._tcp.HOST name";
        }

        if (!int.TryParse(labels[0].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var recordPort) || recordPort != port)
        {
            return string.Create(CultureInfo.InvariantCulture, $"another port than {port}");
        }

        var name = string.Join('.', labels.Skip(2));
        return owner.EndsWith('.') && referenceName is not null && !name.Equals(referenceName, StringComparison.OrdinalIgnoreCase)
            ? $"another host than {referenceName}"
            : null;
    }

    private static string HeloName()
    {
        try
        {
            var name = System.Net.Dns.GetHostName();
            return name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') ? name : "localhost";
        }
        catch (SocketException)
        {
            return "localhost";
        }
    }
}
