using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PostfixConfig.Diagnostics;
using PostfixConfig.Probe.Native;

namespace PostfixConfig.Probe;

/// <summary>A failure that ends a probe session: one diagnostic (code and sentence).</summary>
internal sealed class ProbeException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;

    /// <summary>Whether the failure happened during the TLS handshake (a refused protocol version, in a scan).</summary>
    public bool InHandshake { get; init; }

    /// <summary>The first bytes the server sent during a failed handshake (plain text there means it greets in plain SMTP).</summary>
    public string? FirstBytes { get; init; }

    /// <summary>Whether the server answered a ClientHello with a plain-text SMTP greeting.</summary>
    public bool PlainGreeting { get; init; }

    public Diagnostic ToDiagnostic() => new(DiagnosticSeverity.Error, Code, null, Message);
}

/// <summary>One SMTP reply: the code and the text of each line.</summary>
internal sealed record SmtpReply(int Code, IReadOnlyList<string> Lines)
{
    /// <summary>The reply as one line for messages: <c>554 5.7.1 text</c>.</summary>
    public string Text => string.Create(CultureInfo.InvariantCulture, $"{Code} {SmtpConnection.Show(string.Join(" ", Lines))}").TrimEnd();
}

/// <summary>What a server sends first: nothing yet, a TLS record, or text (an SMTP greeting).</summary>
internal enum FirstByte
{
    None,
    Tls,
    Text,
}

/// <summary>
/// A bounded SMTP client connection: every connect, read, write and handshake has the timeout,
/// a reply line is at most <see cref="MaxLineBytes"/> bytes and a reply at most
/// <see cref="MaxReplyLines"/> lines, and nothing is retried. Failures are
/// <see cref="ProbeException"/>s with one sentence.
/// </summary>
internal sealed class SmtpConnection : IAsyncDisposable
{
    /// <summary>RFC 5321 allows 512 octets per reply line; more than this is not SMTP.</summary>
    public const int MaxLineBytes = 2048;

    public const int MaxReplyLines = 200;

    private readonly Socket _socket;
    private readonly TimeSpan _timeout;
    private readonly byte[] _buffer = new byte[2 * MaxLineBytes];
    private Stream _stream;
    private OpenSslStream? _tls;
    private int _start;
    private int _end;

    private SmtpConnection(Socket socket, string peer, TimeSpan timeout)
    {
        _socket = socket;
        Peer = peer;
        _timeout = timeout;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    /// <summary>The server for messages: <c>192.0.2.1 port 25</c>.</summary>
    public string Peer { get; }

    private string Seconds => _timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    public static async Task<SmtpConnection> OpenAsync(IPEndPoint endpoint, string peer, TimeSpan timeout, CancellationToken cancellation)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endpoint, limit.Token).ConfigureAwait(false);
            return new SmtpConnection(socket, peer, timeout);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            socket.Dispose();
            throw new ProbeException(DiagnosticCodes.ProbeConnectFailed,
                $"{peer}: no connection within {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s (the host does not answer: a wrong address, or a firewall that drops the packets).");
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ProbeException(DiagnosticCodes.ProbeConnectFailed, $"{peer}: {Describe(e)}", e);
        }
    }

    /// <summary>Reads one reply; <paramref name="what"/> names it for messages (<c>the greeting</c>, <c>the reply to EHLO</c>).</summary>
    public async Task<SmtpReply> ReadReplyAsync(string what, CancellationToken cancellation, string? hint = null)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(_timeout);
        var lines = new List<string>();
        var code = 0;
        while (true)
        {
            var line = await ReadLineAsync(what, lines.Count, hint, limit.Token, cancellation).ConfigureAwait(false);
            if (!IsReplyLine(line))
            {
                throw new ProbeException(DiagnosticCodes.ProbeNotSmtp,
                    $"{Peer} sent \"{Show(line)}\" instead of {what}; an SMTP reply line starts with a three-digit code. Is this an SMTP port?{Hint(hint)}");
            }

            var lineCode = int.Parse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture);
            if (lines.Count > 0 && lineCode != code)
            {
                throw new ProbeException(DiagnosticCodes.ProbeNotSmtp,
                    $"{Peer} changed the reply code from {code} to {lineCode} within one reply ({what}); that is not SMTP.");
            }

            code = lineCode;
            lines.Add(line.Length > 4 ? line[4..] : string.Empty);
            if (line.Length == 3 || line[3] == ' ')
            {
                return new SmtpReply(code, lines);
            }

            if (lines.Count >= MaxReplyLines)
            {
                throw new ProbeException(DiagnosticCodes.ProbeNotSmtp,
                    $"{Peer} sent more than {MaxReplyLines} lines in {what} without ending it; that is not SMTP.");
            }
        }
    }

    public async Task SendAsync(string command, CancellationToken cancellation)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(_timeout);
        var verb = command.Split(' ')[0];
        try
        {
            await _stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), limit.Token).ConfigureAwait(false);
            await _stream.FlushAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new ProbeException(DiagnosticCodes.ProbeTimeout, $"{Peer} did not take {verb} within {Seconds} s.");
        }
        catch (IOException e)
        {
            throw new ProbeException(DiagnosticCodes.ProbeConnectionClosed, $"{Peer} closed the connection before {verb} could be sent ({Inner(e)}).", e);
        }
    }

    /// <summary>Sends QUIT and waits (bounded) for the reply; a server that is gone by then is no failure.</summary>
    public async Task QuitAsync(CancellationToken cancellation)
    {
        try
        {
            await SendAsync("QUIT", cancellation).ConfigureAwait(false);
            await ReadReplyAsync("the reply to QUIT", cancellation).ConfigureAwait(false);
        }
        catch (ProbeException)
        {
            // The session is over either way.
        }
    }

    /// <summary>
    /// The TLS handshake on this connection (after the 220 reply to STARTTLS, or at once for
    /// implicit TLS), by OpenSSL in-process; afterwards the session runs over TLS. The server's
    /// certificate is accepted whatever it is: the probe reports, it does not trust.
    /// </summary>
    public async Task<NegotiatedSession> HandshakeAsync(TlsClientContext context, string? serverName, bool requestOcsp, string when,
        CancellationToken cancellation, string? hint = null, nint resume = 0)
    {
        if (_end > _start)
        {
            throw new ProbeException(DiagnosticCodes.ProbeNotSmtp,
                $"{Peer} sent data after its reply to STARTTLS, before the TLS handshake; a server must wait for the client's handshake (data there is how STARTTLS command injection works).");
        }

        var tls = new OpenSslStream(_stream, context, serverName, requestOcsp, resume);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(_timeout);
        try
        {
            await tls.HandshakeAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new ProbeException(DiagnosticCodes.ProbeTimeout, $"{Peer} did not complete the TLS handshake {when} within {Seconds} s.{Hint(hint)}") { InHandshake = true };
        }
        catch (TlsHandshakeFailedException e)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw e.Closed
                ? new ProbeException(DiagnosticCodes.ProbeConnectionClosed, $"{Peer} closed the connection during the TLS handshake {when}.{Hint(hint)}", e) { InHandshake = true, FirstBytes = tls.FirstBytes }
                : new ProbeException(DiagnosticCodes.ProbeTlsFailed, $"The TLS handshake with {Peer} {when} failed: {Show(e.Message)}.{Hint(hint)}", e) { InHandshake = true, FirstBytes = tls.FirstBytes };
        }
        catch (IOException e)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new ProbeException(DiagnosticCodes.ProbeConnectionClosed, $"{Peer} closed the connection during the TLS handshake {when}.{Hint(hint)}", e) { InHandshake = true, FirstBytes = tls.FirstBytes };
        }

        _tls = tls;
        _stream = tls;
        return NegotiatedSession.Read(tls.Handle, requestOcsp);
    }

    /// <summary>The OpenSSL session of this connection after <see cref="HandshakeAsync"/> (for resumption), or 0.</summary>
    public nint TlsHandle => _tls?.Handle ?? 0;

    /// <summary>
    /// Waits at most <paramref name="wait"/> for the server's first bytes, without consuming them:
    /// <see cref="FirstByte.None"/> when nothing came (a server that waits for a ClientHello),
    /// <see cref="FirstByte.Tls"/> for a TLS record, else <see cref="FirstByte.Text"/>.
    /// </summary>
    public async Task<FirstByte> PeekFirstAsync(TimeSpan wait, CancellationToken cancellation)
    {
        if (_end > _start)
        {
            return Classify(_buffer[_start]);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(wait < _timeout ? wait : _timeout);
        try
        {
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), limit.Token).ConfigureAwait(false);
            if (read == 0)
            {
                throw new ProbeException(DiagnosticCodes.ProbeConnectionClosed, $"{Peer} closed the connection without a greeting.");
            }

            _end += read;
            return Classify(_buffer[_start]);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return FirstByte.None;
        }
        catch (IOException e)
        {
            throw new ProbeException(DiagnosticCodes.ProbeConnectionClosed, $"{Peer} closed the connection without a greeting ({Inner(e)}).", e);
        }

        static FirstByte Classify(byte b) => b is >= 0x14 and <= 0x17 ? FirstByte.Tls : FirstByte.Text;
    }

    public async ValueTask DisposeAsync()
    {
        if (_tls is not null)
        {
            try
            {
                using var limit = new CancellationTokenSource(_timeout);
                await _tls.ShutdownAsync(limit.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // close_notify is a courtesy; the socket closes below in any case.
            }

            await _tls.DisposeAsync().ConfigureAwait(false);
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }

    /// <summary>OpenSSL's and Postfix's name of a protocol version (OpenSSL's number: <c>0x0303</c> is <c>TLSv1.2</c>).</summary>
    public static string ProtocolName(int version) => version switch
    {
        LibSsl.Ssl3Version => "SSLv3",
        LibSsl.Tls1Version => "TLSv1",
        LibSsl.Tls11Version => "TLSv1.1",
        LibSsl.Tls12Version => "TLSv1.2",
        LibSsl.Tls13Version => "TLSv1.3",
        _ => version.ToString("X4", CultureInfo.InvariantCulture),
    };

    /// <summary>Text from the server for a message: at most 80 characters, anything but printable ASCII escaped.</summary>
    public static string Show(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text)
        {
            if (sb.Length >= 80)
            {
                sb.Append("...");
                break;
            }

            if (c is >= ' ' and <= '~' && c != '\\')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            }
        }

        return sb.ToString();
    }

    private static bool IsReplyLine(string line) =>
        line.Length >= 3 && line[0] is >= '2' and <= '5' && char.IsAsciiDigit(line[1]) && char.IsAsciiDigit(line[2])
        && (line.Length == 3 || line[3] is ' ' or '-');

    private async Task<string> ReadLineAsync(string what, int linesSoFar, string? hint, CancellationToken limit, CancellationToken cancellation)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == '\r')
                {
                    length--;
                }

                var line = Encoding.Latin1.GetString(_buffer, _start, length);
                _start = newline + 1;
                return line;
            }

            if (_end - _start >= MaxLineBytes)
            {
                throw new ProbeException(DiagnosticCodes.ProbeNotSmtp,
                    $"{Peer} sent a line of more than {MaxLineBytes} bytes in {what} (\"{Show(Encoding.Latin1.GetString(_buffer, _start, 40))}\"); that is not SMTP.{Hint(hint)}");
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer.AsMemory(_end), limit).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                throw new ProbeException(DiagnosticCodes.ProbeTimeout, linesSoFar == 0 && _end == 0
                    ? $"{Peer} sent no {Bare(what)} within {Seconds} s.{Hint(hint)}"
                    : $"{Peer} did not finish {what} within {Seconds} s.{Hint(hint)}");
            }
            catch (IOException e)
            {
                throw new ProbeException(DiagnosticCodes.ProbeConnectionClosed, $"{Peer} closed the connection instead of sending {what} ({Inner(e)}).{Hint(hint)}", e);
            }

            if (read == 0)
            {
                throw new ProbeException(DiagnosticCodes.ProbeConnectionClosed, _end > 0 || linesSoFar > 0
                    ? $"{Peer} closed the connection in the middle of {what}.{Hint(hint)}"
                    : $"{Peer} closed the connection instead of sending {what}.{Hint(hint)}");
            }

            _end += read;
        }
    }

    private static string Bare(string what) => what.StartsWith("the ", StringComparison.Ordinal) ? what[4..] : what;

    private static string Hint(string? hint) => hint is null ? string.Empty : " " + hint;

    /// <summary>The innermost exception's message, shortened to what OpenSSL says (<c>tlsv1 alert protocol version</c>).</summary>
    private static string Inner(Exception e)
    {
        var x = e;
        while (x.InnerException is not null)
        {
            x = x.InnerException;
        }

        var message = x.Message.Trim().TrimEnd('.');
        var colons = message.LastIndexOf("::", StringComparison.Ordinal);
        if (colons >= 0 && colons + 2 < message.Length)
        {
            message = message[(colons + 2)..];
        }

        return Show(message);
    }

    private static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "the connection was refused (nothing listens on that port, or a firewall rejects it).",
        SocketError.HostUnreachable or SocketError.HostDown => "the host is unreachable (no route to it).",
        SocketError.NetworkUnreachable => "the network is unreachable (no route to it; an IPv6 address without IPv6 connectivity?).",
        SocketError.TimedOut => "the connection timed out (the host does not answer).",
        SocketError.AddressNotAvailable => "the address cannot be used from here.",
        _ => "the connection failed: " + Show(e.Message) + ".",
    };
}
