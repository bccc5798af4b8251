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
        Proc.Result r;
        try
        {
            r = Proc.Run(Program, args, stdin: string.Empty, timeout: TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException e)
        {
            return new Handshake(false, null, $"$ openssl {string.Join(' ', args)}\n{e.Message}");
        }

        var negotiated = ProtocolVersion().Match(r.Output);
        return new Handshake(r.ExitCode == 0 && negotiated.Success, negotiated.Success ? negotiated.Groups[1].Value : null,
            $"$ openssl {string.Join(' ', args)}\nexit code {r.ExitCode}\n{r.StdOut}{r.StdErr}");
    }

    /// <summary>
    /// Whether the server at 127.0.0.1:PORT lists STARTTLS in its EHLO reply (plain SMTP: greeting,
    /// EHLO, QUIT; bounded by a 20 s timeout); null with the reason when the conversation failed.
    /// </summary>
    public static (bool Offered, string Transcript) OffersStartTls(int port)
    {
        var transcript = new System.Text.StringBuilder();
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.ReceiveTimeout = client.SendTimeout = 20_000;
            client.Connect(System.Net.IPAddress.Loopback, port);
            using var stream = client.GetStream();
            using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
            using var writer = new StreamWriter(stream, System.Text.Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            string ReadReply()
            {
                var lines = new List<string>();
                while (reader.ReadLine() is { } line)
                {
                    lines.Add(line);
                    transcript.Append("S: ").Append(line).Append('\n');
                    if (line.Length < 4 || line[3] != '-')
                    {
                        break;
                    }
                }

                return string.Join('\n', lines);
            }

            ReadReply();
            writer.WriteLine("EHLO client.pfc-release.example");
            var ehlo = ReadReply();
            writer.WriteLine("QUIT");
            ReadReply();
            return (ehlo.Split('\n').Any(l => l.Length > 4 && l[4..].Trim().Equals("STARTTLS", StringComparison.OrdinalIgnoreCase)), transcript.ToString());
        }
        catch (IOException e)
        {
            return (false, transcript + e.Message);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            return (false, transcript + e.Message);
        }
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
