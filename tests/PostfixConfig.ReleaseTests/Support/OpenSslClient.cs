using System.Text.RegularExpressions;

namespace PostfixConfig.ReleaseTests.Support;

/// <summary>The <c>openssl</c> command: a client on loopback that judges what Postfix does on the wire.</summary>
internal static partial class OpenSslClient
{
    public const string Program = "/usr/bin/openssl";

    /// <summary>The protocols a client here can offer one at a time, oldest first, as s_client switches and Postfix names.</summary>
    public static readonly (string Switch, string Name)[] Protocols =
    [
        ("tls1", "TLSv1"), ("tls1_1", "TLSv1.1"), ("tls1_2", "TLSv1.2"), ("tls1_3", "TLSv1.3"),
    ];

    /// <summary>What s_client saw.</summary>
    /// <param name="Established">The handshake completed (exit code 0 and a negotiated protocol).</param>
    /// <param name="Protocol">The negotiated protocol, or null.</param>
    /// <param name="Output">The command and everything it printed, for messages.</param>
    public sealed record Handshake(bool Established, string? Protocol, string Output)
    {
        /// <summary>Refused with a protocol_version alert (the server does not allow the protocol).</summary>
        public bool RefusedProtocolVersion => !Established && Output.Contains("alert protocol version", StringComparison.Ordinal);
    }

    /// <summary>The OpenSSL library version the client (and the Postfix builds, which link the same libssl) use, as X.Y.Z.</summary>
    public static string LibraryVersion { get; } = ReadLibraryVersion();

    /// <summary><c>s_client -starttls smtp</c> to 127.0.0.1:PORT, offering only <paramref name="protocol"/> (an s_client switch), or any protocol when null.</summary>
    public static Handshake StartTls(int port, string? protocol = null) => Connect(port, protocol, startTls: true);

    /// <summary><c>s_client</c> to 127.0.0.1:PORT with TLS at once (port 465), offering only <paramref name="protocol"/>, or any when null.</summary>
    public static Handshake ImplicitTls(int port, string? protocol = null) => Connect(port, protocol, startTls: false);

    private static Handshake Connect(int port, string? protocol, bool startTls)
    {
        var args = new List<string> { "s_client" };
        if (startTls)
        {
            args.AddRange(["-starttls", "smtp"]);
        }

        args.AddRange(["-connect", $"127.0.0.1:{port}", "-brief"]);
        if (protocol is not null)
        {
            args.Add("-" + protocol);
        }

        // Below TLS 1.2 the client's own security level is lowered, so a refusal comes from the server.
        if (protocol is null or "tls1" or "tls1_1")
        {
            args.AddRange(["-cipher", "DEFAULT@SECLEVEL=0"]);
        }

        // Empty input: s_client ends the session as soon as the handshake is done.
        var r = Proc.Run(Program, args, stdin: string.Empty, timeout: TimeSpan.FromSeconds(30));
        var negotiated = ProtocolVersion().Match(r.Output);
        return new Handshake(r.ExitCode == 0 && negotiated.Success, negotiated.Success ? negotiated.Groups[1].Value : null,
            $"$ openssl {string.Join(' ', args)}\nexit code {r.ExitCode}\n{r.StdOut}{r.StdErr}");
    }

    private static string ReadLibraryVersion()
    {
        if (!File.Exists(Program))
        {
            return "3.0";
        }

        var r = Proc.Run(Program, ["version"]);
        var m = LibraryPattern().Match(r.StdOut);
        return m.Success ? m.Groups[1].Value : VersionPattern().Match(r.StdOut).Groups[1].Value;
    }

    [GeneratedRegex(@"^Protocol version: (\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ProtocolVersion();

    [GeneratedRegex(@"Library: OpenSSL (\d+\.\d+\.\d+)")]
    private static partial Regex LibraryPattern();

    [GeneratedRegex(@"OpenSSL (\d+\.\d+\.\d+)")]
    private static partial Regex VersionPattern();
}
