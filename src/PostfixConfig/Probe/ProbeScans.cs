using System.Globalization;
using PostfixConfig.Diagnostics;
using PostfixConfig.Probe.Native;

namespace PostfixConfig.Probe;

/// <summary>
/// The handshakes beside the main session, each on its own connection: one per certificate type
/// (in parallel, in every probe), one per protocol version (<c>--protocols</c>), the cipher suites
/// per version (<c>--ciphers</c>), and a resumption attempt (<c>--resumption</c>).
/// </summary>
internal static class ProbeScans
{
    /// <summary>The versions a scan tries, oldest first (OpenSSL's numbers).</summary>
    public static readonly int[] ScanOrder = [LibSsl.Ssl3Version, LibSsl.Tls1Version, LibSsl.Tls11Version, LibSsl.Tls12Version, LibSsl.Tls13Version];

    private static readonly (CertificateFamily Family, string Name)[] Families =
        [(CertificateFamily.Rsa, "RSA"), (CertificateFamily.Ecdsa, "ECDSA"), (CertificateFamily.Ed25519, "Ed25519")];

    /// <summary>The TLS 1.3 suites OpenSSL 3 knows, in its default order, then the two CCM ones it does not offer by default.</summary>
    private static readonly string[] Tls13Suites = ["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256", "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256"];

    public static TlsClientSettings Base(ProbeOptions options) => new() { MinVersion = LibSsl.Tls1Version, CaFile = options.CaFile, CaPath = options.CaPath };

    /// <summary>One handshake per signature algorithm family, started together.</summary>
    public static Task<CertificateOffer[]> FamiliesAsync(SmtpSession.Target target, SessionStart start, CancellationToken cancellation) =>
        Task.WhenAll(Families.Select(f => FamilyAsync(target, start, f.Family, f.Name, cancellation)));

    private static async Task<CertificateOffer> FamilyAsync(SmtpSession.Target target, SessionStart start, CertificateFamily family, string name,
        CancellationToken cancellation)
    {
        using var context = TlsClientContext.Create(Base(target.Options) with { Family = family });
        try
        {
            var session = await SmtpSession.RunAsync(target, start, context, full: false, cancellation).ConfigureAwait(false);
            var tls = session.Tls!;
            var chain = tls.Chain.Select(ServedChain.Describe).ToList();
            tls.Chain.ToList().ForEach(c => c.Dispose());
            return new CertificateOffer
            {
                Family = name,
                Outcome = CertificateOutcome.Served,
                Chain = chain,
                ServerSignature = tls.ServerSignature,
                Detail = chain.Count > 0
                    ? $"{chain[0].Key} certificate for {chain[0].Subject}, {tls.Protocol} with {tls.CipherSuite}."
                    : $"{tls.Protocol} with {tls.CipherSuite}, no certificate.",
            };
        }
        catch (ProbeException e) when (e.InHandshake && e.Code == DiagnosticCodes.ProbeTlsFailed)
        {
            return new CertificateOffer { Family = name, Outcome = CertificateOutcome.NotServed, Detail = $"No {name} certificate: the server refused a handshake that allows only {name} signatures." };
        }
        catch (ProbeException e)
        {
            return new CertificateOffer { Family = name, Outcome = CertificateOutcome.Failed, Detail = e.Message };
        }
    }

    /// <summary>Each protocol version on its own connection (those this OpenSSL cannot offer are reported as not testable).</summary>
    public static async Task<IReadOnlyList<ProtocolProbe>> ProtocolsAsync(SmtpSession.Target target, SessionStart start, CancellationToken cancellation)
    {
        var tasks = ScanOrder.Select(async version =>
        {
            var name = SmtpConnection.ProtocolName(version);
            if (!OpenSslAvailability.CanOffer(version))
            {
                return new ProtocolProbe(name, ProtocolOutcome.NotTestable, null, NotOfferable(name) + ".");
            }

            using var context = TlsClientContext.Create(Base(target.Options) with { MinVersion = version, MaxVersion = version, CipherList = "ALL:COMPLEMENTOFALL:-aNULL" });
            try
            {
                var session = await SmtpSession.RunAsync(target, start, context, full: false, cancellation).ConfigureAwait(false);
                var tls = session.Tls!;
                tls.Chain.ToList().ForEach(c => c.Dispose());
                return tls.Protocol == name
                    ? new ProtocolProbe(name, ProtocolOutcome.Accepted, tls.CipherSuite, $"The server completed a {name} handshake ({tls.CipherSuite}).")
                    : new ProtocolProbe(name, ProtocolOutcome.Failed, null, $"Offered only {name}, but {tls.Protocol} was negotiated.");
            }
            catch (ProbeException e) when (e.InHandshake && e.Code != DiagnosticCodes.ProbeTimeout)
            {
                return new ProtocolProbe(name, ProtocolOutcome.Refused, null, e.Message);
            }
            catch (ProbeException e)
            {
                return new ProtocolProbe(name, ProtocolOutcome.Failed, null, e.Message);
            }
        });
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>Why this process cannot test a version.</summary>
    public static string NotOfferable(string name) => name == "SSLv3"
        ? "This process's OpenSSL is built without SSLv3 (as Debian's), so the server's answer cannot be tested"
        : $"This process's OpenSSL does not offer {name}, so the server's answer cannot be tested";

    /// <summary>
    /// The suites accepted per version: offer every suite this OpenSSL has (anonymous and NULL ones
    /// included, at security level 0), note the one the server picks, offer the rest again, until
    /// the server refuses; versions run in parallel, the handshakes of one version one after another.
    /// </summary>
    public static async Task<IReadOnlyList<ProtocolCiphers>> CiphersAsync(SmtpSession.Target target, SessionStart start, CancellationToken cancellation)
    {
        var tasks = ScanOrder.Select(version => CiphersOfAsync(target, start, version, cancellation));
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private static async Task<ProtocolCiphers> CiphersOfAsync(SmtpSession.Target target, SessionStart start, int version, CancellationToken cancellation)
    {
        var name = SmtpConnection.ProtocolName(version);
        if (!OpenSslAvailability.CanOffer(version))
        {
            return new ProtocolCiphers(name, ProtocolOutcome.NotTestable, [], NotOfferable(name) + ".");
        }

        var found = new List<CipherSuiteInfo>();
        var excluded = new List<string>();
        var remaining13 = Tls13Suites.ToList();
        string? stop = null;
        // At most one handshake per suite this OpenSSL has, and a last one that is refused.
        for (var round = 0; round < 200; round++)
        {
            var settings = Base(target.Options) with { MinVersion = version, MaxVersion = version };
            if (version == LibSsl.Tls13Version)
            {
                if (remaining13.Count == 0)
                {
                    break;
                }

                settings = settings with { CipherSuites = string.Join(':', remaining13) };
            }
            else
            {
                settings = settings with { CipherList = "ALL:COMPLEMENTOFALL" + string.Concat(excluded.Select(e => ":-" + e)) };
            }

            TlsClientContext context;
            try
            {
                context = TlsClientContext.Create(settings);
            }
            catch (ArgumentException)
            {
                break; // nothing left to offer
            }

            using (context)
            {
                try
                {
                    var session = await SmtpSession.RunAsync(target, start, context, full: false, cancellation).ConfigureAwait(false);
                    var tls = session.Tls!;
                    tls.Chain.ToList().ForEach(c => c.Dispose());
                    if (found.Any(f => f.OpenSslName == tls.OpenSslCipher))
                    {
                        stop = $"The server chose {tls.OpenSslCipher} again although it was not offered.";
                        break;
                    }

                    found.Add(new CipherSuiteInfo(tls.CipherSuite, tls.OpenSslCipher, tls.CipherBits, Weaknesses(tls.OpenSslCipher, tls.CipherSuite, tls.CipherBits)));
                    excluded.Add(tls.OpenSslCipher);
                    remaining13.Remove(tls.CipherSuite);
                }
                catch (ProbeException e) when (e.InHandshake && e.Code != DiagnosticCodes.ProbeTimeout)
                {
                    break; // refused the rest
                }
                catch (ProbeException e)
                {
                    stop = e.Message;
                    break;
                }
            }
        }

        var weak = found.Where(f => f.Weaknesses.Count > 0).ToList();
        var detail = found.Count == 0
            ? stop ?? $"The server refused every {name} suite this process can offer."
            : string.Create(CultureInfo.InvariantCulture, $"{found.Count} suite(s) accepted")
              + (weak.Count > 0 ? $", weak: {string.Join(", ", weak.Select(w => $"{w.OpenSslName} ({string.Join(", ", w.Weaknesses)})"))}" : ", none weak")
              + (stop is null ? "." : ". " + stop);
        return new ProtocolCiphers(name, found.Count > 0 ? ProtocolOutcome.Accepted : stop is null ? ProtocolOutcome.Refused : ProtocolOutcome.Failed, found, detail);
    }

    /// <summary>Why a suite is weak (testssl.sh's and Postfix's classes): anonymous, export, RC4, 3DES, NULL, under 128 bits.</summary>
    public static IReadOnlyList<string> Weaknesses(string openSslName, string iana, int bits)
    {
        var weak = new List<string>();
        if (openSslName.StartsWith("ADH", StringComparison.Ordinal) || openSslName.StartsWith("AECDH", StringComparison.Ordinal)
            || iana.Contains("_anon_", StringComparison.Ordinal) || openSslName.Contains("-anon-", StringComparison.Ordinal))
        {
            weak.Add("anonymous");
        }

        if (openSslName.Contains("EXP", StringComparison.Ordinal) || iana.Contains("EXPORT", StringComparison.Ordinal))
        {
            weak.Add("export");
        }

        if (openSslName.Contains("RC4", StringComparison.Ordinal))
        {
            weak.Add("RC4");
        }

        if (openSslName.Contains("DES-CBC3", StringComparison.Ordinal) || iana.Contains("3DES", StringComparison.Ordinal))
        {
            weak.Add("3DES");
        }

        if (openSslName.Contains("NULL", StringComparison.Ordinal) || iana.Contains("WITH_NULL", StringComparison.Ordinal))
        {
            weak.Add("null-encryption");
        }
        else if (bits < 128)
        {
            weak.Add("under-128-bits");
        }

        return weak;
    }

    /// <summary>A second connection offering <paramref name="session"/>: resumed or not.</summary>
    public static async Task<ResumptionResult> ResumptionAsync(SmtpSession.Target target, SessionStart start, nint session, string protocol, CancellationToken cancellation)
    {
        if (session == 0 || LibSsl.SSL_SESSION_is_resumable(session) != 1)
        {
            return new ResumptionResult(false, protocol == "TLSv1.3"
                ? "The server sent no session ticket in the first session, so there was nothing to resume (Postfix: smtpd_tls_session_cache_timeout = 0, or tlsmgr not running)."
                : "The server gave the first session no session id or ticket to resume (Postfix: smtpd_tls_session_cache_database unset and tickets off).");
        }

        using var context = TlsClientContext.Create(Base(target.Options));
        try
        {
            var again = await SmtpSession.RunAsync(target, start, context, full: false, cancellation, session).ConfigureAwait(false);
            again.Tls!.Chain.ToList().ForEach(c => c.Dispose());
            return again.Tls.Resumed
                ? new ResumptionResult(true, $"A second connection resumed the first session ({again.Tls.Protocol}): no certificate was sent again.")
                : new ResumptionResult(false, $"The server did not resume the first session on a second connection and made a full {again.Tls.Protocol} handshake (its session cache or ticket key did not accept it).");
        }
        catch (ProbeException e)
        {
            return new ResumptionResult(false, "The second connection failed: " + e.Message);
        }
    }
}
