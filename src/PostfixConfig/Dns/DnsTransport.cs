using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace PostfixConfig.Dns;

/// <summary>A DNS query that got no usable reply from any name server (no answer in time, refused connections, malformed replies).</summary>
internal sealed class DnsNoAnswerException(string message) : Exception(message);

/// <summary>
/// The name servers to ask, in order: the <c>nameserver</c> lines of <c>/etc/resolv.conf</c> (as the
/// host's stub resolver, and so Postfix, uses them: at most three, and 127.0.0.1 when there is none),
/// or one given as <c>ADDR[:PORT]</c>.
/// </summary>
/// <param name="Servers">The servers, tried in order.</param>
/// <param name="Source">Where they came from, for messages (<c>/etc/resolv.conf</c>, <c>--resolver</c>).</param>
internal sealed record ResolverEndpoints(IReadOnlyList<IPEndPoint> Servers, string Source)
{
    /// <summary>glibc's MAXNS: later nameserver lines are ignored.</summary>
    public const int MaxServers = 3;

    public const string ResolvConf = "/etc/resolv.conf";

    /// <summary>The servers as text: <c>127.0.0.1 port 53</c>, joined with commas.</summary>
    public string Describe() => string.Join(", ", Servers.Select(Describe));

    public static string Describe(IPEndPoint server) => server.Port == 53
        ? server.Address.ToString()
        : string.Create(CultureInfo.InvariantCulture, $"{server.Address} port {server.Port}");

    /// <summary>The <c>nameserver</c> lines of a resolv.conf text (comments with <c>#</c> or <c>;</c>); 127.0.0.1 when there are none, as glibc does.</summary>
    public static ResolverEndpoints FromResolvConf(string text, string source)
    {
        var servers = new List<IPEndPoint>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 2 && words[0] == "nameserver" && servers.Count < MaxServers)
            {
                var address = words[1];
                var scope = address.IndexOf('%', StringComparison.Ordinal);
                if (IPAddress.TryParse(scope < 0 ? address : address[..scope], out var ip))
                {
                    servers.Add(new IPEndPoint(ip, 53));
                }
            }
        }

        if (servers.Count == 0)
        {
            servers.Add(new IPEndPoint(IPAddress.Loopback, 53));
            source += " (no nameserver line: 127.0.0.1, as the C library assumes)";
        }

        return new ResolverEndpoints(servers, source);
    }

    /// <summary>Reads <paramref name="path"/> (a missing file means 127.0.0.1, as for the C library).</summary>
    public static ResolverEndpoints FromFile(string path)
    {
        string text;
        try
        {
            text = System.Text.Encoding.Latin1.GetString(IO.BoundedFile.ReadAllBytes(path, 1 << 16, regularOnly: false));
        }
        catch (FileNotFoundException)
        {
            text = string.Empty;
        }
        catch (DirectoryNotFoundException)
        {
            text = string.Empty;
        }

        return FromResolvConf(text, path);
    }

    /// <summary>Reads <c>ADDR</c>, <c>ADDR:PORT</c>, <c>[V6ADDR]:PORT</c> or a bare IPv6 address; null (with <paramref name="error"/>) when it is none of these.</summary>
    public static ResolverEndpoints? Parse(string text, out string? error)
    {
        error = null;
        var t = text.Trim();
        var port = 53;
        string host;
        if (t.StartsWith('['))
        {
            var close = t.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"'{text}' is not a resolver address: a '[' without ']'. Write ADDR, ADDR:PORT or [IPV6]:PORT.";
                return null;
            }

            host = t[1..close];
            var rest = t[(close + 1)..];
            if (rest.Length > 0 && (!rest.StartsWith(':') || !TryPort(rest[1..], out port)))
            {
                error = $"'{text}' is not a resolver address: after ']' comes ':PORT' (a number from 1 to 65535).";
                return null;
            }
        }
        else if (t.Count(c => c == ':') == 1)
        {
            var colon = t.IndexOf(':', StringComparison.Ordinal);
            host = t[..colon];
            if (!TryPort(t[(colon + 1)..], out port))
            {
                error = $"'{text}' is not a resolver address: the port must be a number from 1 to 65535.";
                return null;
            }
        }
        else
        {
            host = t;
        }

        if (!IPAddress.TryParse(host, out var address) || (address.AddressFamily == AddressFamily.InterNetwork && host.Count(c => c == '.') != 3))
        {
            error = $"'{text}' is not a resolver address: give the IP address of a DNS resolver (ADDR, ADDR:PORT or [IPV6]:PORT), not a name.";
            return null;
        }

        return new ResolverEndpoints([new IPEndPoint(address, port)], "--resolver " + t);
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
}

/// <summary>
/// Sends one query and returns the reply: over UDP, then over TCP to the same server when the
/// reply is truncated; the servers are tried in order, each given an equal share of the time
/// left, so the whole query ends within its timeout. Datagrams that are not the reply (another
/// id, another question, garbage) are ignored while waiting.
/// </summary>
internal static class DnsTransport
{
    /// <summary>The largest reply read over TCP (the length prefix allows 65535).</summary>
    private const int MaxTcpReply = 65535;

    public static async Task<DnsReply> QueryAsync(ResolverEndpoints resolver, string name, DnsType type, bool checkingDisabled,
        TimeSpan timeout, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + timeout;
        var failures = new List<string>();
        for (var i = 0; i < resolver.Servers.Count; i++)
        {
            var server = resolver.Servers[i];
            var left = deadline - DateTime.UtcNow;
            var share = left / (resolver.Servers.Count - i);
            if (share <= TimeSpan.Zero)
            {
                failures.Add($"{ResolverEndpoints.Describe(server)}: not tried, no time left");
                continue;
            }

            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            limit.CancelAfter(share);
            try
            {
                var id = (ushort)RandomNumberGenerator.GetInt32(0, 65536);
                var query = DnsMessage.Query(id, name, type, checkingDisabled);
                var reply = await UdpAsync(server, query, id, name, type, limit.Token).ConfigureAwait(false);
                if (reply.Truncated)
                {
                    reply = await TcpAsync(server, query, id, name, type, limit.Token).ConfigureAwait(false);
                }

                return reply;
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                failures.Add($"{ResolverEndpoints.Describe(server)}: no answer within {Seconds(share)} s");
            }
            catch (SocketException e)
            {
                failures.Add($"{ResolverEndpoints.Describe(server)}: {e.Message}");
            }
            catch (DnsFormatException e)
            {
                failures.Add($"{ResolverEndpoints.Describe(server)}: {e.Message}");
            }
            catch (IOException e)
            {
                failures.Add($"{ResolverEndpoints.Describe(server)}: {e.Message}");
            }
        }

        throw new DnsNoAnswerException(string.Join("; ", failures));
    }

    internal static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static async Task<DnsReply> UdpAsync(IPEndPoint server, byte[] query, ushort id, string name, DnsType type, CancellationToken cancellation)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server, cancellation).ConfigureAwait(false);
        await socket.SendAsync(query, SocketFlags.None, cancellation).ConfigureAwait(false);
        var buffer = new byte[4096];
        while (true)
        {
            int received;
            try
            {
                received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellation).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                throw new DnsFormatException("nothing listens there (connection refused)");
            }

            try
            {
                return DnsMessage.Parse(buffer.AsSpan(0, received), id, name, type);
            }
            catch (DnsFormatException)
            {
                // Not the reply to this query (a late reply to another, or garbage): keep waiting for the real one.
            }
        }
    }

    private static async Task<DnsReply> TcpAsync(IPEndPoint server, byte[] query, ushort id, string name, DnsType type, CancellationToken cancellation)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server, cancellation).ConfigureAwait(false);
        var framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await socket.SendAsync(framed, SocketFlags.None, cancellation).ConfigureAwait(false);
        var prefix = new byte[2];
        await ReadExactlyAsync(socket, prefix, cancellation).ConfigureAwait(false);
        var length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
        if (length is 0 or > MaxTcpReply)
        {
            throw new DnsFormatException("the TCP reply has no length");
        }

        var message = new byte[length];
        await ReadExactlyAsync(socket, message, cancellation).ConfigureAwait(false);
        return DnsMessage.Parse(message, id, name, type);
    }

    private static async Task ReadExactlyAsync(Socket socket, byte[] buffer, CancellationToken cancellation)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancellation).ConfigureAwait(false);
            if (n == 0)
            {
                throw new DnsFormatException("the server closed the TCP connection before the whole reply");
            }

            read += n;
        }
    }
}
