using System.Security.Cryptography.X509Certificates;
using PostfixConfig.Certificates;
using PostfixConfig.Diagnostics;
using PostfixConfig.Probe;

namespace PostfixConfig;

/// <content>
/// Probing a live server: TLS as the world sees it (STARTTLS, protocol, cipher, the served chain),
/// and TLSA records checked against what is served.
/// </content>
public static partial class PostfixTls
{
    /// <summary>
    /// Connects to an SMTP server and reports what it presents: whether EHLO offers STARTTLS, the
    /// negotiated protocol and cipher, the certificate chain as served (subject, names, issuer, key,
    /// validity, SHA-256 fingerprints of certificate and public key), whether the names cover the
    /// host (or <see cref="ProbeOptions.ServerName"/>), chain order and completeness, days to
    /// expiry; with <see cref="ProbeOptions.ScanProtocols"/> each protocol version tried on its own;
    /// with <see cref="ProbeOptions.Tlsa"/> what each record matches and whether a DANE client would deliver.
    /// </summary>
    /// <remarks>
    /// <para>
    /// A polite client: the connection, each reply and the handshake wait at most
    /// <see cref="ProbeOptions.Timeout"/>; one connection for the session plus one per protocol
    /// version scanned; nothing is retried; each session ends with QUIT; no mail is sent. The
    /// server's certificate is never trusted or refused: the probe reports.
    /// </para>
    /// <para>
    /// Errors (no value): the connection failed or timed out, the server closed it, answered with
    /// something that is not SMTP, refused the session or STARTTLS, or the TLS handshake failed.
    /// Findings are warnings and information: an expired or soon expiring certificate, names that
    /// do not cover the host, a misordered or incomplete chain, an obsolete protocol, TLSA records
    /// that do not match, the DANE verdict.
    /// </para>
    /// <para>
    /// TLS is done by .NET's <see cref="System.Net.Security.SslStream"/> (OpenSSL on Linux), in
    /// this process: which versions a scan can try depends on its OpenSSL settings (OpenSSL 3.0
    /// offers TLS 1.0 and 1.1 only at security level 0); versions it cannot offer are reported as
    /// <see cref="ProtocolOutcome.NotTestable"/>.
    /// </para>
    /// </remarks>
    /// <param name="options">What to probe.</param>
    /// <param name="cancellation">Stops the probe early.</param>
    public static async Task<Result<ProbeReport>> ProbeAsync(ProbeOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return await Prober.RunAsync(options, cancellation).ConfigureAwait(false);
    }

    /// <summary>The synchronous form of <see cref="ProbeAsync(ProbeOptions, CancellationToken)"/>.</summary>
    /// <param name="options">What to probe.</param>
    /// <param name="cancellation">Stops the probe early.</param>
    public static Result<ProbeReport> Probe(ProbeOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Task.Run(() => Prober.RunAsync(options, cancellation), cancellation).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Reads TLSA records: <c>3 1 1 HEX</c> lines, zone file lines
    /// (<c>_25._tcp.mail.example.com. 3600 IN TLSA 3 1 1 HEX</c>), <c>dig</c> output (hex split into
    /// words), records in parentheses over several lines; <c>;</c> starts a comment.
    /// </summary>
    /// <remarks>
    /// Errors carry the line and column. Records that parse but that DANE clients cannot use
    /// (usages 0 and 1, unknown values, a digest of the wrong length) are kept: matching reports them.
    /// </remarks>
    /// <param name="text">The records, one per line.</param>
    /// <param name="source">The name of the input for messages (a file name), or <see langword="null"/>.</param>
    public static Result<IReadOnlyList<TlsaAssociation>> ParseTlsa(string text, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TlsaParser.Parse(text, source);
    }

    /// <summary>Reads the TLSA records of a file (see <see cref="ParseTlsa(string, string?)"/>).</summary>
    /// <exception cref="IOException">The file does not exist or cannot be read.</exception>
    public static Result<IReadOnlyList<TlsaAssociation>> ParseTlsaFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (info.Exists && info.Length > 1 << 20)
        {
            return new Result<IReadOnlyList<TlsaAssociation>>(null, DiagnosticList.Create([new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.TlsaSyntax, null,
                $"{path} is {info.Length} bytes long, too large for a file of TLSA records. Name a file with the records of one server.")]));
        }

        string text;
        try
        {
            text = ReadText(IO.BoundedFile.ReadAllBytes(path, 1 << 20, regularOnly: false));
        }
        catch (IO.InputTooLargeException e)
        {
            return new Result<IReadOnlyList<TlsaAssociation>>(null, DiagnosticList.Create([new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.TlsaSyntax, null,
                $"{e.Message} That is too large for a file of TLSA records. Name a file with the records of one server.")]));
        }

        return TlsaParser.Parse(text, path);
    }

    /// <summary>
    /// Matches TLSA records against a served certificate chain (the server's certificate first) as
    /// an SMTP DANE client does (RFC 7671, RFC 7672): DANE-EE (3) records must match the server's
    /// own certificate and ignore names and expiry; DANE-TA (2) records must match an issuer in the
    /// chain, whose chain down to the server certificate must be valid at <paramref name="now"/>
    /// and name <paramref name="referenceName"/>; usages 0 and 1 are not used for SMTP.
    /// </summary>
    /// <param name="chain">The certificates as served, the server's own first; empty when there was no TLS.</param>
    /// <param name="records">The records.</param>
    /// <param name="referenceName">The MX host name DANE-TA checks, or <see langword="null"/>.</param>
    /// <param name="now">The time validity is judged at; <see langword="null"/> for now.</param>
    public static DaneResult MatchTlsa(IReadOnlyList<X509Certificate2> chain, IReadOnlyList<TlsaAssociation> records, string? referenceName, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(records);
        return DaneMatcher.Match(chain, records, referenceName, now ?? DateTimeOffset.UtcNow);
    }

    /// <summary>Decodes a text file as <see cref="File.ReadAllText(string)"/> does: UTF-8, with a byte order mark honoured and dropped.</summary>
    private static string ReadText(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
