using System.Collections.Concurrent;

namespace PostfixConfig.Probe.Native;

/// <summary>
/// An OpenSSL client context (<c>SSL_CTX</c>) for one kind of handshake: protocol bounds, the
/// suites and signature algorithms offered, security level, and the trust store the served chain
/// is verified against (the system's CA folder, plus <c>--cafile</c>/<c>--capath</c>). Peers are
/// never rejected: verification runs with <c>SSL_VERIFY_NONE</c> and its result is only read.
/// Certificate times are not checked there (expiry is reported on its own).
/// </summary>
internal sealed class TlsClientContext : IDisposable
{
    private const ulong NoCheckTime = 0x200000; // X509_V_FLAG_NO_CHECK_TIME
    private const ulong NoCompression = 1UL << 17; // SSL_OP_NO_COMPRESSION
    private const ulong LegacyServerConnect = 1UL << 2; // SSL_OP_LEGACY_SERVER_CONNECT

    private nint _ctx;

    private TlsClientContext(nint ctx) => _ctx = ctx;

    public nint Handle => _ctx != 0 ? _ctx : throw new ObjectDisposedException(nameof(TlsClientContext));

    /// <summary>Makes a context; throws <see cref="ArgumentException"/> for a setting OpenSSL refuses (a CA file it cannot read, a cipher list that names nothing).</summary>
    public static TlsClientContext Create(TlsClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var ctx = LibSsl.SSL_CTX_new(LibSsl.TLS_client_method());
        if (ctx == 0)
        {
            throw new InvalidOperationException("OpenSSL could not create a TLS client context: " + OpenSslStream.Errors());
        }

        var context = new TlsClientContext(ctx);
        try
        {
            LibCrypto.ERR_clear_error();
            LibSsl.SSL_CTX_set_security_level(ctx, settings.SecurityLevel);
            LibSsl.SSL_CTX_set_options(ctx, NoCompression | LegacyServerConnect);
            LibSsl.SSL_CTX_ctrl(ctx, LibSsl.CtrlSetMinProtoVersion, settings.MinVersion, 0);
            LibSsl.SSL_CTX_ctrl(ctx, LibSsl.CtrlSetMaxProtoVersion, settings.MaxVersion, 0);
            // The client keeps no session cache of its own: resumption is offered only when asked.
            LibSsl.SSL_CTX_ctrl(ctx, LibSsl.CtrlSetSessCacheMode, 0, 0);
            if (settings.CipherList is { } list && LibSsl.SSL_CTX_set_cipher_list(ctx, list) != 1)
            {
                throw new ArgumentException($"OpenSSL offers no cipher for '{list}'.");
            }

            if (settings.CipherSuites is { } suites && LibSsl.SSL_CTX_set_ciphersuites(ctx, suites) != 1)
            {
                throw new ArgumentException($"OpenSSL offers no TLS 1.3 suite for '{suites}'.");
            }

            if (TlsClientSettings.SignatureAlgorithms(settings.Family) is { } sigalgs && LibSsl.SSL_CTX_ctrl(ctx, LibSsl.CtrlSetSigalgsList, 0, sigalgs) != 1)
            {
                throw new InvalidOperationException($"OpenSSL does not know the signature algorithms '{sigalgs}'.");
            }

            LibSsl.SSL_CTX_set_verify(ctx, 0, 0);
            X509VerifyFlags(ctx);
            var systemDir = Environment.GetEnvironmentVariable("SSL_CERT_DIR") is { Length: > 0 } d ? d : LibCrypto.Text(LibCrypto.X509_get_default_cert_dir());
            if (systemDir is not null && Directory.Exists(systemDir))
            {
                LibSsl.SSL_CTX_load_verify_locations(ctx, null, systemDir);
            }

            if ((settings.CaFile ?? settings.CaPath) is not null)
            {
                LibCrypto.ERR_clear_error();
                if (LibSsl.SSL_CTX_load_verify_locations(ctx, settings.CaFile, settings.CaPath) != 1)
                {
                    throw new ArgumentException($"OpenSSL cannot load the trusted CAs of {settings.CaFile ?? settings.CaPath} ({OpenSslStream.Errors()}).");
                }
            }

            LibCrypto.ERR_clear_error();
            return context;
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (_ctx != 0)
        {
            LibSsl.SSL_CTX_free(_ctx);
            _ctx = 0;
        }
    }

    private static void X509VerifyFlags(nint ctx)
    {
        var param = LibSsl.SSL_CTX_get0_param(ctx);
        if (param != 0)
        {
            _ = LibCrypto.X509_VERIFY_PARAM_set_flags(param, NoCheckTime);
        }
    }
}

/// <summary>Whether this process can use OpenSSL 3 in-process, found once.</summary>
internal static class OpenSslAvailability
{
    private static readonly Lazy<string?> Problem = new(Check);

    private static readonly ConcurrentDictionary<int, bool> Offerable = new();

    /// <summary>Null when libssl.so.3 and libcrypto.so.3 load, else why not.</summary>
    public static string? Why => Problem.Value;

    /// <summary>
    /// Whether this OpenSSL can offer <paramref name="version"/> at all (Debian builds it without
    /// SSLv3): a ClientHello is produced into a memory BIO, no network involved.
    /// </summary>
    public static bool CanOffer(int version) => Offerable.GetOrAdd(version, static v =>
    {
        using var context = TlsClientContext.Create(new TlsClientSettings { MinVersion = v, MaxVersion = v, CipherList = "ALL:COMPLEMENTOFALL" });
        using var stream = new OpenSslStream(Stream.Null, context, null, requestOcsp: false);
        LibCrypto.ERR_clear_error();
        var r = LibSsl.SSL_do_handshake(stream.Handle);
        var error = LibSsl.SSL_get_error(stream.Handle, r);
        LibCrypto.ERR_clear_error();
        return error == LibSsl.SslErrorWantRead;
    });

    private static string? Check()
    {
        try
        {
            return LibSsl.TLS_client_method() != 0 && LibCrypto.BIO_s_mem() != 0 ? null : "OpenSSL 3 did not initialise";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return $"the probe needs OpenSSL 3 (libssl.so.3, libcrypto.so.3) in-process, and it cannot be loaded here ({e.Message})";
        }
    }
}
