using System.Runtime.InteropServices;

namespace PostfixConfig.Probe.Native;

/// <summary>
/// The few OpenSSL 3 functions the probe calls in-process (libssl.so.3 and libcrypto.so.3, the same
/// libraries .NET's own TLS uses on Linux). Only what SslStream does not expose: the key-exchange
/// group, the server's signature, the choice of signature algorithms and cipher suites offered, the
/// security level, OCSP stapling and session resumption. Marshalling is source-generated
/// (<see cref="LibraryImportAttribute"/>): no reflection, so it works in the native AOT build.
/// Macros of ssl.h (<c>SSL_set_tlsext_host_name</c>, ...) are their <c>SSL_ctrl</c> calls.
/// </summary>
internal static partial class LibSsl
{
    private const string Ssl = "libssl.so.3";

    public const int SslErrorSsl = 1;
    public const int SslErrorWantRead = 2;
    public const int SslErrorWantWrite = 3;
    public const int SslErrorSyscall = 5;
    public const int SslErrorZeroReturn = 6;

    public const int CtrlSetTlsextHostname = 55;
    public const int CtrlSetTlsextStatusReqType = 65;
    public const int CtrlGetTlsextStatusReqOcspResp = 70;
    public const int CtrlSetSigalgsList = 98;
    public const int CtrlGetPeerSignatureNid = 108;
    public const int CtrlGetPeerTmpKey = 109;
    public const int CtrlSetMinProtoVersion = 123;
    public const int CtrlSetMaxProtoVersion = 124;
    public const int CtrlGetNegotiatedGroup = 134;
    public const int CtrlSetSessCacheMode = 44;

    public const int Ssl3Version = 0x0300;
    public const int Tls1Version = 0x0301;
    public const int Tls11Version = 0x0302;
    public const int Tls12Version = 0x0303;
    public const int Tls13Version = 0x0304;

    [LibraryImport(Ssl)]
    public static partial nint TLS_client_method();

    [LibraryImport(Ssl)]
    public static partial nint SSL_CTX_new(nint method);

    [LibraryImport(Ssl)]
    public static partial void SSL_CTX_free(nint ctx);

    [LibraryImport(Ssl)]
    public static partial nint SSL_CTX_ctrl(nint ctx, int cmd, nint larg, nint parg);

    [LibraryImport(Ssl, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint SSL_CTX_ctrl(nint ctx, int cmd, nint larg, string parg);

    [LibraryImport(Ssl)]
    public static partial void SSL_CTX_set_security_level(nint ctx, int level);

    [LibraryImport(Ssl)]
    public static partial ulong SSL_CTX_set_options(nint ctx, ulong options);

    [LibraryImport(Ssl, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SSL_CTX_set_cipher_list(nint ctx, string list);

    [LibraryImport(Ssl, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SSL_CTX_set_ciphersuites(nint ctx, string list);

    [LibraryImport(Ssl)]
    public static partial void SSL_CTX_set_verify(nint ctx, int mode, nint callback);

    [LibraryImport(Ssl)]
    public static partial int SSL_CTX_set_default_verify_paths(nint ctx);

    [LibraryImport(Ssl, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SSL_CTX_load_verify_locations(nint ctx, string? file, string? path);

    [LibraryImport(Ssl)]
    public static partial nint SSL_CTX_get0_param(nint ctx);

    [LibraryImport(Ssl)]
    public static partial nint SSL_new(nint ctx);

    [LibraryImport(Ssl)]
    public static partial void SSL_free(nint ssl);

    [LibraryImport(Ssl)]
    public static partial nint SSL_ctrl(nint ssl, int cmd, nint larg, nint parg);

    [LibraryImport(Ssl, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint SSL_ctrl(nint ssl, int cmd, nint larg, string parg);

    [LibraryImport(Ssl)]
    public static partial void SSL_set_bio(nint ssl, nint rbio, nint wbio);

    [LibraryImport(Ssl)]
    public static partial void SSL_set_connect_state(nint ssl);

    [LibraryImport(Ssl)]
    public static partial int SSL_do_handshake(nint ssl);

    [LibraryImport(Ssl)]
    public static partial int SSL_get_error(nint ssl, int ret);

    [LibraryImport(Ssl)]
    public static unsafe partial int SSL_read(nint ssl, byte* buffer, int count);

    [LibraryImport(Ssl)]
    public static unsafe partial int SSL_write(nint ssl, byte* buffer, int count);

    [LibraryImport(Ssl)]
    public static partial int SSL_shutdown(nint ssl);

    [LibraryImport(Ssl)]
    public static partial nint SSL_get_version(nint ssl);

    [LibraryImport(Ssl)]
    public static partial int SSL_version(nint ssl);

    [LibraryImport(Ssl)]
    public static partial nint SSL_get_current_cipher(nint ssl);

    [LibraryImport(Ssl)]
    public static partial nint SSL_CIPHER_standard_name(nint cipher);

    [LibraryImport(Ssl)]
    public static partial nint SSL_CIPHER_get_name(nint cipher);

    [LibraryImport(Ssl)]
    public static unsafe partial int SSL_CIPHER_get_bits(nint cipher, int* algBits);

    [LibraryImport(Ssl)]
    public static partial int SSL_CIPHER_get_kx_nid(nint cipher);

    [LibraryImport(Ssl)]
    public static partial int SSL_CIPHER_get_auth_nid(nint cipher);

    [LibraryImport(Ssl)]
    public static partial nint SSL_get_peer_cert_chain(nint ssl);

    [LibraryImport(Ssl)]
    public static partial nint SSL_get0_peer_certificate(nint ssl);

    [LibraryImport(Ssl)]
    public static partial nint SSL_get_verify_result(nint ssl);

    [LibraryImport(Ssl)]
    public static unsafe partial int SSL_get_peer_signature_type_nid(nint ssl, int* nid);

    [LibraryImport(Ssl)]
    public static partial nint SSL_group_to_name(nint ssl, int id);

    [LibraryImport(Ssl)]
    public static partial int SSL_session_reused(nint ssl);

    [LibraryImport(Ssl)]
    public static partial nint SSL_get1_session(nint ssl);

    [LibraryImport(Ssl)]
    public static partial int SSL_set_session(nint ssl, nint session);

    [LibraryImport(Ssl)]
    public static partial void SSL_SESSION_free(nint session);

    [LibraryImport(Ssl)]
    public static partial int SSL_SESSION_is_resumable(nint session);

    [LibraryImport(Ssl)]
    public static partial nint SSL_get1_supported_ciphers(nint ssl);
}

/// <summary>The libcrypto side of <see cref="LibSsl"/>.</summary>
internal static partial class LibCrypto
{
    private const string Crypto = "libcrypto.so.3";

    public const int NidRsa = 6;
    public const int NidRsaPss = 912;
    public const int NidEc = 408;
    public const int NidDh = 28;
    public const int NidX25519 = 1034;
    public const int NidX448 = 1035;
    public const int NidEd25519 = 1087;
    public const int NidEd448 = 1088;

    [LibraryImport(Crypto)]
    public static partial nint BIO_s_mem();

    [LibraryImport(Crypto)]
    public static partial nint BIO_new(nint type);

    [LibraryImport(Crypto)]
    public static partial int BIO_free(nint bio);

    [LibraryImport(Crypto)]
    public static unsafe partial int BIO_write(nint bio, byte* data, int length);

    [LibraryImport(Crypto)]
    public static unsafe partial int BIO_read(nint bio, byte* data, int length);

    [LibraryImport(Crypto)]
    public static partial nint BIO_ctrl(nint bio, int cmd, nint larg, nint parg);

    [LibraryImport(Crypto)]
    public static partial int X509_VERIFY_PARAM_set_flags(nint param, ulong flags);

    [LibraryImport(Crypto)]
    public static partial nint X509_get_default_cert_dir();

    [LibraryImport(Crypto)]
    public static partial int OPENSSL_sk_num(nint stack);

    [LibraryImport(Crypto)]
    public static partial nint OPENSSL_sk_value(nint stack, int index);

    [LibraryImport(Crypto)]
    public static partial void OPENSSL_sk_free(nint stack);

    [LibraryImport(Crypto)]
    public static unsafe partial int i2d_X509(nint x509, byte** output);

    [LibraryImport(Crypto)]
    public static partial nint X509_get0_pubkey(nint x509);

    [LibraryImport(Crypto)]
    public static partial int EVP_PKEY_get_id(nint pkey);

    [LibraryImport(Crypto)]
    public static partial int EVP_PKEY_get_bits(nint pkey);

    [LibraryImport(Crypto)]
    public static unsafe partial int EVP_PKEY_get_group_name(nint pkey, byte* name, nuint size, nuint* length);

    [LibraryImport(Crypto)]
    public static partial nint EVP_PKEY_get0_type_name(nint pkey);

    [LibraryImport(Crypto)]
    public static partial void EVP_PKEY_free(nint pkey);

    [LibraryImport(Crypto)]
    public static partial nint OBJ_nid2sn(int nid);

    [LibraryImport(Crypto)]
    public static partial nint X509_verify_cert_error_string(nint error);

    [LibraryImport(Crypto)]
    public static partial ulong ERR_get_error();

    [LibraryImport(Crypto)]
    public static partial void ERR_clear_error();

    [LibraryImport(Crypto)]
    public static partial nint ERR_reason_error_string(ulong error);

    [LibraryImport(Crypto)]
    public static unsafe partial nint d2i_OCSP_RESPONSE(nint reuse, byte** input, nint length);

    [LibraryImport(Crypto)]
    public static partial int OCSP_response_status(nint response);

    [LibraryImport(Crypto)]
    public static partial nint OCSP_response_get1_basic(nint response);

    [LibraryImport(Crypto)]
    public static partial int OCSP_resp_count(nint basic);

    [LibraryImport(Crypto)]
    public static partial nint OCSP_resp_get0(nint basic, int index);

    [LibraryImport(Crypto)]
    public static partial int OCSP_single_get0_status(nint single, nint reason, nint revoked, nint thisUpdate, nint nextUpdate);

    [LibraryImport(Crypto)]
    public static partial void OCSP_BASICRESP_free(nint basic);

    [LibraryImport(Crypto)]
    public static partial void OCSP_RESPONSE_free(nint response);

    /// <summary>A C string owned by OpenSSL, or null.</summary>
    public static string? Text(nint pointer) => pointer == 0 ? null : Marshal.PtrToStringUTF8(pointer);
}
