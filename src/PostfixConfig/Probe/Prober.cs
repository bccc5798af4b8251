using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PostfixConfig.Diagnostics;
using PostfixConfig.Probe.Native;

namespace PostfixConfig.Probe;

/// <summary>
/// Runs a probe: resolves the host (its first address), runs the main SMTP session (greeting,
/// EHLO, STARTTLS or implicit TLS, EHLO again over TLS, QUIT) and, at the same time, one handshake
/// per certificate type; then, when asked, one session per protocol version, the cipher suites per
/// version and a resumption attempt; and matches the TLSA records. TLS is OpenSSL's, called
/// in-process (<see cref="Native.LibSsl"/>). Each step is bounded by the timeout; nothing is retried.
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

        if (OpenSslAvailability.Why is { } missing)
        {
            return new Result<ProbeReport>(null, DiagnosticList.Create([new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.ProbeTlsFailed, null, char.ToUpperInvariant(missing[0]) + missing[1..] + ".")]));
        }

        var diagnostics = new List<Diagnostic>();
        nint resumable = 0;
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
            var target = new SmtpSession.Target(endpoint, peer, options.ServerName is { Length: > 0 } ? options.ServerName : referenceName,
                options.HeloName ?? SmtpSession.HeloName(), options);
            var start = options.StartTls switch
            {
                StartTlsMode.No => SessionStart.Implicit,
                StartTlsMode.Yes => SessionStart.StartTls,
                _ when options.Port == 465 => SessionStart.Implicit,
                _ => SessionStart.Detect,
            };

            TlsClientContext mainContext;
            try
            {
                mainContext = TlsClientContext.Create(ProbeScans.Base(options) with { RequestOcsp = true });
            }
            catch (ArgumentException e)
            {
                throw new ProbeException(DiagnosticCodes.ProbeTlsFailed, e.Message, e);
            }

            // The handshakes per certificate type run beside the main session, from the moment its
            // start is settled (its connection is then the server's first, and none of them waits to
            // find out the start again); when the main session fails or finds no TLS they are stopped.
            var startKnown = new TaskCompletionSource<SessionStart>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var familyStop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var families = FamiliesOnceStartedAsync(startKnown.Task, target, familyStop.Token);
            SessionResult session;
            using (mainContext)
            {
                try
                {
                    session = await MainSessionAsync(target, start, mainContext, s => startKnown.TrySetResult(s), cancellation).ConfigureAwait(false);
                }
                catch (ProbeException)
                {
                    startKnown.TrySetCanceled(CancellationToken.None);
                    await familyStop.CancelAsync().ConfigureAwait(false);
                    await families.ConfigureAwait(false);
                    throw;
                }
            }

            if (session.Tls is null)
            {
                startKnown.TrySetCanceled(CancellationToken.None);
                await familyStop.CancelAsync().ConfigureAwait(false);
            }

            resumable = session.Resumable;
            start = session.Implicit ? SessionStart.Implicit : SessionStart.StartTls;

            TlsSessionInfo? tls = null;
            if (session.Tls is { } handshake)
            {
                if (handshake.Chain.Count > 0)
                {
                    var inspected = ServedChain.Inspect(handshake, referenceName, options, diagnostics);
                    tls = inspected with { ExtensionsAfterTls = session.ExtensionsAfterTls };
                }

                if (session.AfterTls is { } after)
                {
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, after.Code, null,
                        $"The TLS handshake completed ({handshake.Protocol}), then the SMTP session failed: {after.Message}"));
                }
            }
            else
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.StartTlsNotOffered, null,
                    $"{peer} does not offer STARTTLS in its EHLO reply, so mail to it travels unencrypted and senders that require TLS (DANE, MTA-STS, 'encrypt') defer it. Give smtpd a certificate and set smtpd_tls_security_level = may (smtpd_tls_chain_files or smtpd_tls_cert_file and smtpd_tls_key_file)."));
            }

            IReadOnlyList<ProtocolProbe> protocols = !options.ScanProtocols ? []
                : session.Tls is null ? [.. ProbeScans.ScanOrder.Select(p => new ProtocolProbe(SmtpConnection.ProtocolName(p), ProtocolOutcome.Failed, null, "Not tried: the server does not offer STARTTLS."))]
                : await ProbeScans.ProtocolsAsync(target, start, cancellation).ConfigureAwait(false);
            IReadOnlyList<ProtocolCiphers> ciphers = options.ScanCiphers && session.Tls is not null
                ? await ProbeScans.CiphersAsync(target, start, cancellation).ConfigureAwait(false)
                : [];
            var resumption = options.CheckResumption && session.Tls is not null
                ? await ProbeScans.ResumptionAsync(target, start, resumable, session.Tls.Protocol, cancellation).ConfigureAwait(false)
                : null;
            var offers = await families.ConfigureAwait(false);
            IReadOnlyList<CertificateOffer> certificates = session.Tls is null ? [] : offers;

            ProbeAdvice.Add(target, session.Implicit, protocols, ciphers, diagnostics);

            DaneResult? dane = null;
            if (options.Tlsa.Count > 0)
            {
                dane = DaneMatcher.Match(session.Tls?.Chain, options.Tlsa, referenceName, options.Clock.GetUtcNow());
                Report(dane, options, referenceName, diagnostics);
            }

            session.Tls?.Chain.ToList().ForEach(c => c.Dispose());
            var report = new ProbeReport
            {
                Host = options.Host,
                Port = options.Port,
                Address = address.ToString(),
                Mode = session.Implicit ? TlsStart.Implicit : TlsStart.StartTls,
                Banner = session.Banner?.Text ?? string.Empty,
                Extensions = session.Extensions,
                StartTlsOffered = session.StartTlsOffered,
                Tls = tls,
                Certificates = certificates,
                Protocols = protocols,
                Ciphers = ciphers,
                Resumption = resumption,
                Dane = dane,
            };
            return new Result<ProbeReport>(report, DiagnosticList.Create(diagnostics));
        }
        catch (ProbeException e)
        {
            return new Result<ProbeReport>(null, DiagnosticList.Create([e.ToDiagnostic()]));
        }
        finally
        {
            if (resumable != 0)
            {
                LibSsl.SSL_SESSION_free(resumable);
            }
        }
    }

    /// <summary>
    /// The main session. With <c>--starttls auto</c> on a port other than 465 the server's first
    /// bytes decide: a greeting means STARTTLS, silence means a ClientHello (implicit TLS). A server
    /// tried with implicit TLS that answers with a plain-text greeting is tried again with STARTTLS.
    /// </summary>
    private static async Task<SessionResult> MainSessionAsync(SmtpSession.Target target, SessionStart start, TlsClientContext context, Action<SessionStart> known,
        CancellationToken cancellation)
    {
        try
        {
            return await SmtpSession.RunAsync(target, start, context, full: true, cancellation, known: known).ConfigureAwait(false);
        }
        catch (ProbeException e) when (e.PlainGreeting && target.Options.StartTls == StartTlsMode.Auto)
        {
            return await SmtpSession.RunAsync(target, SessionStart.StartTls, context, full: true, cancellation, known: known).ConfigureAwait(false);
        }
    }

    /// <summary>The handshakes per certificate type, once the main session has settled how sessions start; none when it never does.</summary>
    private static async Task<CertificateOffer[]> FamiliesOnceStartedAsync(Task<SessionStart> startKnown, SmtpSession.Target target, CancellationToken cancellation)
    {
        try
        {
            var start = await startKnown.ConfigureAwait(false);
            return await ProbeScans.FamiliesAsync(target, start, cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return [];
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
}
