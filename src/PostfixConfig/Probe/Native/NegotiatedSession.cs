using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PostfixConfig.Probe.Native;

/// <summary>An OCSP response the server stapled: its response status and, when successful, the certificate status.</summary>
/// <param name="ResponseStatus">OpenSSL's name of the response status (<c>successful</c>, <c>tryLater</c>, ...).</param>
/// <param name="CertificateStatus"><c>good</c>, <c>revoked</c> or <c>unknown</c>; null when the response holds none.</param>
/// <param name="Length">The size of the DER response in bytes.</param>
internal sealed record StapledOcsp(string ResponseStatus, string? CertificateStatus, int Length);

/// <summary>
/// What OpenSSL says about a completed client handshake, read in-process (what posttls-finger
/// logs): protocol, suite (IANA and OpenSSL names, bits), key-exchange group, the server's
/// signature, the served chain, the verification result against the trust store, the stapled OCSP
/// response and whether the session was resumed.
/// </summary>
internal sealed record NegotiatedSession(
    string Protocol,
    string CipherSuite,
    string OpenSslCipher,
    int CipherBits,
    string? KeyExchange,
    string? ServerSignature,
    string? ServerDigest,
    IReadOnlyList<X509Certificate2> Chain,
    long VerifyResult,
    string VerifyText,
    StapledOcsp? Ocsp,
    bool Resumed)
{
    public static unsafe NegotiatedSession Read(nint ssl, bool readOcsp)
    {
        var version = LibSsl.SSL_version(ssl);
        var protocol = LibCrypto.Text(LibSsl.SSL_get_version(ssl)) ?? "unknown";
        var cipher = LibSsl.SSL_get_current_cipher(ssl);
        var iana = LibCrypto.Text(LibSsl.SSL_CIPHER_standard_name(cipher)) ?? LibCrypto.Text(LibSsl.SSL_CIPHER_get_name(cipher)) ?? "unknown";
        var openSslName = LibCrypto.Text(LibSsl.SSL_CIPHER_get_name(cipher)) ?? iana;
        int algBits;
        var bits = LibSsl.SSL_CIPHER_get_bits(cipher, &algBits);

        var chain = new List<X509Certificate2>();
        var stack = LibSsl.SSL_get_peer_cert_chain(ssl);
        var count = stack == 0 ? 0 : LibCrypto.OPENSSL_sk_num(stack);
        for (var i = 0; i < count; i++)
        {
            chain.Add(Certificate(LibCrypto.OPENSSL_sk_value(stack, i)));
        }

        var verify = (long)LibSsl.SSL_get_verify_result(ssl);
        var verifyText = LibCrypto.Text(LibCrypto.X509_verify_cert_error_string((nint)verify)) ?? verify.ToString(CultureInfo.InvariantCulture);
        var resumed = LibSsl.SSL_session_reused(ssl) == 1;
        return new NegotiatedSession(
            protocol, iana, openSslName, bits, ReadKeyExchange(ssl), resumed ? null : Signature(ssl, version), resumed ? null : Digest(ssl),
            chain, verify, verifyText, readOcsp ? ReadOcsp(ssl) : null, resumed);
    }

    private static unsafe X509Certificate2 Certificate(nint x509)
    {
        var length = LibCrypto.i2d_X509(x509, null);
        var der = new byte[length];
        fixed (byte* start = der)
        {
            var p = start;
            _ = LibCrypto.i2d_X509(x509, &p);
        }

        return X509CertificateLoader.LoadCertificate(der);
    }

    /// <summary>As posttls-finger: <c>X25519</c>, <c>ECDHE (prime256v1)</c>, <c>DHE (2048 bits)</c>; null for RSA key transport.</summary>
    private static unsafe string? ReadKeyExchange(nint ssl)
    {
        nint key = 0;
        if (LibSsl.SSL_ctrl(ssl, LibSsl.CtrlGetPeerTmpKey, 0, (nint)(&key)) != 1 || key == 0)
        {
            return null;
        }

        try
        {
            return LibCrypto.EVP_PKEY_get_id(key) switch
            {
                LibCrypto.NidEc => "ECDHE" + Curve(key),
                LibCrypto.NidDh => string.Create(CultureInfo.InvariantCulture, $"DHE ({LibCrypto.EVP_PKEY_get_bits(key)} bits)"),
                var id when id > 0 => LibCrypto.Text(LibCrypto.OBJ_nid2sn(id)),
                _ => LibCrypto.Text(LibCrypto.EVP_PKEY_get0_type_name(key)),
            };
        }
        finally
        {
            LibCrypto.EVP_PKEY_free(key);
        }
    }

    /// <summary>As posttls-finger: <c>RSA-PSS (2048 bits)</c>, <c>ECDSA (prime256v1)</c>, <c>ED25519</c>.</summary>
    private static unsafe string? Signature(nint ssl, int version)
    {
        var leaf = LibSsl.SSL_get0_peer_certificate(ssl);
        if (leaf == 0)
        {
            return null;
        }

        var key = LibCrypto.X509_get0_pubkey(leaf);
        if (key == 0)
        {
            return null;
        }

        int type;
        var signed = LibSsl.SSL_get_peer_signature_type_nid(ssl, &type) == 1;
        return LibCrypto.EVP_PKEY_get_id(key) switch
        {
            LibCrypto.NidRsa or LibCrypto.NidRsaPss => string.Create(CultureInfo.InvariantCulture,
                $"{(version >= LibSsl.Tls13Version || (signed && type == LibCrypto.NidRsaPss) ? "RSA-PSS" : "RSA")} ({LibCrypto.EVP_PKEY_get_bits(key)} bits)")
                + (signed || version >= LibSsl.Tls13Version ? string.Empty : ", no signature (RSA key exchange)"),
            LibCrypto.NidEc => "ECDSA" + Curve(key),
            var id when id > 0 => LibCrypto.Text(LibCrypto.OBJ_nid2sn(id)),
            _ => LibCrypto.Text(LibCrypto.EVP_PKEY_get0_type_name(key)),
        };
    }

    private static unsafe string? Digest(nint ssl)
    {
        int nid;
        return LibSsl.SSL_ctrl(ssl, LibSsl.CtrlGetPeerSignatureNid, 0, (nint)(&nid)) == 1 && nid != 0
            ? LibCrypto.Text(LibCrypto.OBJ_nid2sn(nid))
            : null;
    }

    private static unsafe string Curve(nint key)
    {
        var name = stackalloc byte[80];
        nuint length;
        return LibCrypto.EVP_PKEY_get_group_name(key, name, 80, &length) == 1 && length > 0
            ? " (" + Encoding.ASCII.GetString(name, (int)length) + ")"
            : string.Empty;
    }

    private static unsafe StapledOcsp? ReadOcsp(nint ssl)
    {
        byte* der = null;
        var length = (int)LibSsl.SSL_ctrl(ssl, LibSsl.CtrlGetTlsextStatusReqOcspResp, 0, (nint)(&der));
        if (length <= 0 || der == null)
        {
            return null;
        }

        var p = der;
        var response = LibCrypto.d2i_OCSP_RESPONSE(0, &p, length);
        if (response == 0)
        {
            LibCrypto.ERR_clear_error();
            return new StapledOcsp("malformed", null, length);
        }

        try
        {
            var status = LibCrypto.OCSP_response_status(response);
            var statusName = status switch
            {
                0 => "successful",
                1 => "malformedRequest",
                2 => "internalError",
                3 => "tryLater",
                5 => "sigRequired",
                6 => "unauthorized",
                _ => status.ToString(CultureInfo.InvariantCulture),
            };
            string? certificate = null;
            var basic = status == 0 ? LibCrypto.OCSP_response_get1_basic(response) : 0;
            if (basic != 0)
            {
                if (LibCrypto.OCSP_resp_count(basic) > 0)
                {
                    certificate = LibCrypto.OCSP_single_get0_status(LibCrypto.OCSP_resp_get0(basic, 0), 0, 0, 0, 0) switch
                    {
                        0 => "good",
                        1 => "revoked",
                        _ => "unknown",
                    };
                }

                LibCrypto.OCSP_BASICRESP_free(basic);
            }

            return new StapledOcsp(statusName, certificate, length);
        }
        finally
        {
            LibCrypto.OCSP_RESPONSE_free(response);
        }
    }
}
