using System.Text;

namespace PostfixConfig.Probe.Native;

/// <summary>Why a client handshake did not complete: the transport closed, or OpenSSL gave up (an alert, no shared cipher, ...).</summary>
internal sealed class TlsHandshakeFailedException(string message, bool closed) : Exception(message)
{
    /// <summary>Whether the server closed the connection (no alert).</summary>
    public bool Closed { get; } = closed;
}

/// <summary>
/// An OpenSSL client session over another stream, through a pair of memory BIOs: OpenSSL never
/// touches the socket, so every read and write stays a .NET async call with its cancellation
/// (the caller's timeout), and the plain SMTP exchange before STARTTLS needs nothing special.
/// Not thread-safe; one handshake, then reads and writes of application data.
/// </summary>
internal sealed class OpenSslStream : Stream
{
    private readonly Stream _inner;
    private readonly byte[] _io = new byte[16 * 1024];
    private readonly byte[] _out = new byte[16 * 1024];
    private nint _ssl;
    private nint _rbio;
    private bool _eof;

    /// <summary>Creates the session (not yet connected) from <paramref name="context"/>; <paramref name="resume"/> is a session of an earlier connection to offer.</summary>
    public OpenSslStream(Stream inner, TlsClientContext context, string? serverName, bool requestOcsp, nint resume = 0)
    {
        ArgumentNullException.ThrowIfNull(context);
        _inner = inner;
        _ssl = LibSsl.SSL_new(context.Handle);
        if (_ssl == 0)
        {
            throw new InvalidOperationException("OpenSSL could not create a TLS session (SSL_new).");
        }

        _rbio = LibCrypto.BIO_new(LibCrypto.BIO_s_mem());
        var wbio = LibCrypto.BIO_new(LibCrypto.BIO_s_mem());
        // An empty memory BIO reports "retry", not end of file (BIO_set_mem_eof_return(bio, -1)).
        LibCrypto.BIO_ctrl(_rbio, 130, -1, 0);
        LibCrypto.BIO_ctrl(wbio, 130, -1, 0);
        LibSsl.SSL_set_bio(_ssl, _rbio, wbio);
        WriteBio = wbio;
        LibSsl.SSL_set_connect_state(_ssl);
        if (serverName is { Length: > 0 })
        {
            LibSsl.SSL_ctrl(_ssl, LibSsl.CtrlSetTlsextHostname, 0, serverName);
        }

        if (requestOcsp)
        {
            LibSsl.SSL_ctrl(_ssl, LibSsl.CtrlSetTlsextStatusReqType, 1, 0);
        }

        if (resume != 0)
        {
            _ = LibSsl.SSL_set_session(_ssl, resume); // a session OpenSSL refuses is simply not offered
        }
    }

    private nint WriteBio { get; }

    /// <summary>The OpenSSL session (valid until disposed), for <see cref="NegotiatedSession.Read"/>.</summary>
    public nint Handle => _ssl;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Runs the handshake; throws <see cref="TlsHandshakeFailedException"/> when it fails.</summary>
    public async Task HandshakeAsync(CancellationToken cancellation)
    {
        while (true)
        {
            LibCrypto.ERR_clear_error();
            var r = LibSsl.SSL_do_handshake(_ssl);
            var error = r == 1 ? 0 : LibSsl.SSL_get_error(_ssl, r);
            var reason = error is LibSsl.SslErrorSsl or LibSsl.SslErrorSyscall ? Errors() : null;
            try
            {
                await FlushOutAsync(cancellation).ConfigureAwait(false);
            }
            catch (IOException) when (reason is not null)
            {
                // The alert could not be sent: the reason below says what happened.
            }

            if (r == 1)
            {
                return;
            }

            switch (error)
            {
                case LibSsl.SslErrorWantRead:
                    if (!await FillAsync(cancellation).ConfigureAwait(false))
                    {
                        throw new TlsHandshakeFailedException("the server closed the connection", closed: true);
                    }

                    break;
                case LibSsl.SslErrorWantWrite:
                    break;
                default:
                    throw new TlsHandshakeFailedException(reason is { Length: > 0 } ? reason : "the handshake failed", closed: false);
            }
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_eof || buffer.Length == 0)
            {
                return 0;
            }

            int r;
            LibCrypto.ERR_clear_error();
            unsafe
            {
                fixed (byte* p = buffer.Span)
                {
                    r = LibSsl.SSL_read(_ssl, p, buffer.Length);
                }
            }

            if (r > 0)
            {
                return r;
            }

            var error = LibSsl.SSL_get_error(_ssl, r);
            // Post-handshake messages (TLS 1.3 session tickets) may need an answer.
            await FlushOutAsync(cancellationToken).ConfigureAwait(false);
            switch (error)
            {
                case LibSsl.SslErrorWantRead:
                    if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                    {
                        _eof = true;
                        return 0;
                    }

                    break;
                case LibSsl.SslErrorWantWrite:
                    break;
                case LibSsl.SslErrorZeroReturn:
                    _eof = true;
                    return 0;
                default:
                    throw new IOException("TLS error: " + (Errors() is { Length: > 0 } e ? e : "the session failed"));
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var offset = 0;
        while (offset < buffer.Length)
        {
            int r;
            LibCrypto.ERR_clear_error();
            unsafe
            {
                fixed (byte* p = buffer.Span[offset..])
                {
                    r = LibSsl.SSL_write(_ssl, p, buffer.Length - offset);
                }
            }

            await FlushOutAsync(cancellationToken).ConfigureAwait(false);
            if (r > 0)
            {
                offset += r;
                continue;
            }

            var error = LibSsl.SSL_get_error(_ssl, r);
            if (error == LibSsl.SslErrorWantRead)
            {
                if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new IOException("the server closed the connection");
                }
            }
            else if (error != LibSsl.SslErrorWantWrite)
            {
                throw new IOException("TLS error: " + (Errors() is { Length: > 0 } e ? e : "the session failed"));
            }
        }
    }

    /// <summary>Sends close_notify (without waiting for the server's).</summary>
    public async Task ShutdownAsync(CancellationToken cancellation)
    {
        LibCrypto.ERR_clear_error();
        _ = LibSsl.SSL_shutdown(_ssl);
        await FlushOutAsync(cancellation).ConfigureAwait(false);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Use ReadAsync.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Use WriteAsync.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (_ssl != 0)
        {
            LibSsl.SSL_free(_ssl); // frees both BIOs
            _ssl = 0;
            _rbio = 0;
        }

        base.Dispose(disposing);
    }

    /// <summary>OpenSSL's error queue as one sentence (the reasons, without the codes), emptied.</summary>
    internal static string Errors()
    {
        var reasons = new List<string>();
        for (var e = LibCrypto.ERR_get_error(); e != 0; e = LibCrypto.ERR_get_error())
        {
            var reason = LibCrypto.Text(LibCrypto.ERR_reason_error_string(e))
                ?? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"OpenSSL error 0x{e:X}");
            if (!reasons.Contains(reason))
            {
                reasons.Add(reason);
            }
        }

        return string.Join("; ", reasons);
    }

    private async Task FlushOutAsync(CancellationToken cancellation)
    {
        while (true)
        {
            int n;
            unsafe
            {
                fixed (byte* p = _out)
                {
                    n = LibCrypto.BIO_read(WriteBio, p, _out.Length);
                }
            }

            if (n <= 0)
            {
                return;
            }

            await _inner.WriteAsync(_out.AsMemory(0, n), cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>The first bytes the server sent, as printable text (for telling a plain-text greeting from TLS), or null.</summary>
    public string? FirstBytes { get; private set; }

    private async Task<bool> FillAsync(CancellationToken cancellation)
    {
        var n = await _inner.ReadAsync(_io, cancellation).ConfigureAwait(false);
        if (n <= 0)
        {
            return false;
        }

        FirstBytes ??= Encoding.Latin1.GetString(_io, 0, Math.Min(n, 40));

        unsafe
        {
            fixed (byte* p = _io)
            {
                // A memory BIO takes all it is given (it grows).
                _ = LibCrypto.BIO_write(_rbio, p, n);
            }
        }

        return true;
    }
}
