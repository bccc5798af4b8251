using System.Text.RegularExpressions;

namespace PostfixConfig.IntegrationTests.Support;

/// <summary>The <c>openssl</c> command as an independent judge of what Postfix does on the wire.</summary>
internal static partial class OpenSsl
{
    /// <summary>What <c>openssl s_client -starttls smtp</c> saw.</summary>
    /// <param name="Established">The handshake completed (exit code 0 and a negotiated protocol).</param>
    /// <param name="Protocol">The negotiated protocol (TLSv1.2, TLSv1.3, ...), or null.</param>
    /// <param name="Output">Everything s_client printed, for assertion messages.</param>
    public sealed record Handshake(bool Established, string? Protocol, string Output)
    {
        /// <summary>The server refused the protocol version with a TLS alert (alert 70, protocol_version).</summary>
        public bool RefusedProtocolVersion => !Established && Output.Contains("alert protocol version", StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>openssl s_client -starttls smtp -connect 127.0.0.1:PORT -brief</c> offering only
    /// <paramref name="protocol"/> (an s_client switch such as <c>tls1_2</c>). Below TLS 1.2 the
    /// client's own security level is lowered (<c>-cipher DEFAULT@SECLEVEL=0</c>) so that a
    /// refusal comes from the server, not from the local OpenSSL policy.
    /// </summary>
    public static Handshake StartTls(int port, string protocol) => Connect(port, protocol, startTls: true);

    /// <summary>
    /// <c>openssl s_client -connect 127.0.0.1:PORT -brief</c> without STARTTLS (TLS at once, as on
    /// port 465), offering only <paramref name="protocol"/>; the security level lowered as for <see cref="StartTls"/>.
    /// </summary>
    public static Handshake ImplicitTls(int port, string protocol) => Connect(port, protocol, startTls: false);

    private static Handshake Connect(int port, string protocol, bool startTls)
    {
        var args = new List<string> { "s_client" };
        if (startTls)
        {
            args.AddRange(["-starttls", "smtp"]);
        }

        args.AddRange(["-connect", $"127.0.0.1:{port}", "-brief", "-" + protocol]);
        if (protocol is "tls1" or "tls1_1")
        {
            args.AddRange(["-cipher", "DEFAULT@SECLEVEL=0"]);
        }

        var r = SClient(args);
        var negotiated = ProtocolVersionPattern().Match(r.Output);
        var established = r.ExitCode == 0 && negotiated.Success;
        return new Handshake(established, negotiated.Success ? negotiated.Groups[1].Value : null, Transcript(args, r));
    }

    /// <summary>
    /// The certificates the server at 127.0.0.1:PORT sends after STARTTLS, leaf first, as PEM
    /// blocks (<c>openssl s_client -starttls smtp -showcerts</c>).
    /// </summary>
    public static (IReadOnlyList<string> Certificates, string Output) ServedCertificates(int port)
    {
        var args = new List<string> { "s_client", "-starttls", "smtp", "-connect", $"127.0.0.1:{port}", "-showcerts" };
        var r = SClient(args);
        var certificates = r.ExitCode == 0 ? PemPattern().Matches(r.StdOut).Select(m => m.Value).ToList() : [];
        return (certificates, Transcript(args, r));
    }

    private static Proc.Result SClient(List<string> args) =>
        // Empty input: s_client ends the session as soon as the handshake is done.
        Proc.Run(LiveEnvironment.OpenSsl, args, stdin: string.Empty, timeout: TimeSpan.FromSeconds(90));

    private static string Transcript(List<string> args, Proc.Result r) =>
        $"$ openssl {string.Join(' ', args)}\nexit code {r.ExitCode}\n{r.StdOut}\n{r.StdErr}";

    /// <summary>The SHA-256 fingerprint OpenSSL computes for a PEM certificate, as AA:BB:...</summary>
    public static string Sha256Fingerprint(string pem)
    {
        var r = Proc.Run(LiveEnvironment.OpenSsl, ["x509", "-noout", "-fingerprint", "-sha256"], stdin: pem);
        Assert.True(r.ExitCode == 0, $"openssl x509 -fingerprint failed: {r.Output}");
        var eq = r.StdOut.IndexOf('=', StringComparison.Ordinal);
        Assert.True(eq > 0, $"unexpected openssl x509 -fingerprint output: {r.StdOut}");
        return r.StdOut[(eq + 1)..].Trim().ToUpperInvariant();
    }

    /// <summary>The SHA-256 fingerprint of the first certificate in a PEM file.</summary>
    public static string Sha256FingerprintOfFile(string path) => Sha256Fingerprint(File.ReadAllText(path));

    // -brief prints "Protocol version: TLSv1.3". (The verbose "New, X, Cipher is" line names the
    // version that defined the cipher, TLSv1.0 for many ciphers used with TLS 1.1, so it is not used.)
    [GeneratedRegex(@"^Protocol version: (\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ProtocolVersionPattern();

    [GeneratedRegex(@"-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----")]
    private static partial Regex PemPattern();
}
