using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostfixConfig.Diagnostics;

namespace PostfixConfig.Certificates;

/// <summary>A certificate read from a file, with where it was found.</summary>
internal sealed record LoadedCertificate(X509Certificate2 Certificate, string File, int Index)
{
    public string Where => $"PEM object {Index} in {File}";
}

/// <summary>One private key with its leaf certificate and issuer chain, as Postfix pairs them.</summary>
internal sealed class Credential
{
    public Credential(KeyFacts key, string keyFile, int keyIndex)
    {
        Key = key;
        KeyFile = keyFile;
        KeyIndex = keyIndex;
    }

    public KeyFacts Key { get; }

    public string KeyFile { get; }

    public int KeyIndex { get; }

    public string KeyWhere => $"PEM object {KeyIndex} in {KeyFile}";

    public LoadedCertificate? Leaf { get; set; }

    public List<LoadedCertificate> Chain { get; } = [];

    /// <summary>True when the key belongs to the leaf, false when not, null when it could not be compared.</summary>
    public bool? KeyMatches { get; set; }
}

/// <summary>
/// Loads keys and certificates the way Postfix does (its PEM loader state machine), and reports
/// what would make Postfix refuse them: wrong order, unexpected PEM objects, encrypted keys,
/// mismatched pairs, two keys of one algorithm.
/// </summary>
internal sealed class CredentialLoader
{
    private readonly CheckContext _context;

    public CredentialLoader(CheckContext context) => _context = context;

    /// <summary>The loaded key and certificate pairs.</summary>
    public List<Credential> Credentials { get; } = [];

    /// <summary>Files in which a private key was found (or that a key parameter names).</summary>
    public HashSet<string> KeyFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// <c>*_tls_chain_files</c>: the files are read as one stream of (key, certificate, chain)
    /// groups. Each key must come first and be followed by its leaf certificate, then the issuers.
    /// </summary>
    public void LoadChainFiles(IReadOnlyList<string> files)
    {
        Credential? current = null;
        var slots = new Dictionary<KeyAlgorithm, Credential>();
        for (var f = 0; f < files.Count; f++)
        {
            using var file = PemFile.Read(files[f], _context, out _);
            if (file is null)
            {
                return;
            }

            for (var i = 0; i < file.Objects.Count; i++)
            {
                var pem = file.Objects[i];
                if (pem.IsCertificate)
                {
                    if (current is null)
                    {
                        var laterKey = file.Objects.Skip(i + 1).FirstOrDefault(o => o.IsPrivateKey || o.Label == PemLabels.EncryptedPrivateKey);
                        var hint = laterKey is not null
                            ? $" The key comes later, at PEM object {laterKey.Index}: put the private key first, then its certificate, then the issuer chain."
                            : f + 1 < files.Count
                                ? $" List the file with the private key first (for Let's Encrypt: privkey.pem, then fullchain.pem)."
                                : " Add the private key before the certificate, or list the key file first.";
                        _context.Error(DiagnosticCodes.ChainOrder,
                            $"{file.Path} starts with a certificate (PEM object {pem.Index}) where Postfix expects a private key; Postfix would disable TLS.{hint}");
                        return;
                    }

                    if (LoadCertificate(file.Path, pem) is not { } certificate)
                    {
                        return;
                    }

                    if (current.Leaf is null)
                    {
                        current.Leaf = certificate;
                    }
                    else
                    {
                        current.Chain.Add(certificate);
                    }
                }
                else if (pem.IsPrivateKey || pem.Label == PemLabels.EncryptedPrivateKey)
                {
                    KeyFiles.Add(file.Path);
                    if (current is { Leaf: null })
                    {
                        _context.Error(DiagnosticCodes.ChainOrder,
                            $"The private key at {current.KeyWhere} is followed by another key ({pem} in {file.Path}) instead of its certificate. Put each key directly before its own certificate and chain.");
                        return;
                    }

                    if (LoadKey(file.Path, pem) is not { } key)
                    {
                        return;
                    }

                    if (current is not null)
                    {
                        Finish(current, slots);
                    }

                    current = new Credential(key, file.Path, pem.Index);
                }
                else
                {
                    ReportUnexpected(file.Path, pem);
                    return;
                }
            }
        }

        if (current is null)
        {
            return;
        }

        if (current.Leaf is null)
        {
            _context.Error(DiagnosticCodes.MissingKeyOrCertificate,
                $"The private key at {current.KeyWhere} has no certificate after it. Add the certificate chain file after the key file (for Let's Encrypt: privkey.pem, then fullchain.pem).");
            return;
        }

        Finish(current, slots);
    }

    /// <summary>
    /// Legacy <c>*_cert_file</c> and <c>*_key_file</c> naming the same file: one key anywhere in
    /// it; the first certificate is the leaf, later ones the chain; other PEM objects are ignored.
    /// </summary>
    public void LoadCombinedFile(string path, string keyParameter)
    {
        using var file = PemFile.Read(path, _context, out _);
        if (file is null)
        {
            return;
        }

        PemObject? keyPem = null;
        PemObject? encrypted = null;
        var certificates = new List<LoadedCertificate>();
        foreach (var pem in file.Objects)
        {
            if (pem.IsCertificate)
            {
                if (LoadCertificate(path, pem) is not { } certificate)
                {
                    return;
                }

                certificates.Add(certificate);
            }
            else if (pem.IsPrivateKey)
            {
                if (keyPem is null)
                {
                    keyPem = pem;
                }
                else
                {
                    _context.Warning(DiagnosticCodes.UnexpectedPemObject,
                        $"{path} holds a second private key ({pem}); Postfix ignores it and uses the key at PEM object {keyPem.Index}. Remove the extra key, or use {_context.Parameter?.Replace("cert_file", "chain_files", StringComparison.Ordinal)} for several keys.");
                }
            }
            else if (pem.Label == PemLabels.EncryptedPrivateKey)
            {
                encrypted ??= pem;
            }
        }

        if (keyPem is not null || encrypted is not null)
        {
            KeyFiles.Add(path);
        }

        if (keyPem is null)
        {
            if (encrypted is not null)
            {
                ReportEncrypted(path, encrypted);
            }
            else
            {
                _context.Error(DiagnosticCodes.MissingKeyOrCertificate,
                    $"{path} holds no private key, and {keyParameter} is not set, so Postfix looks for the key in this file and would disable TLS. Set {keyParameter} to the key file, or add the key to this file.");
            }

            return;
        }

        if (LoadKey(path, keyPem) is not { } key)
        {
            return;
        }

        if (certificates.Count == 0)
        {
            _context.Error(DiagnosticCodes.MissingKeyOrCertificate,
                $"{path} holds no certificate; Postfix would disable TLS. Add the certificate and its issuer chain.");
            return;
        }

        var credential = new Credential(key, path, keyPem.Index) { Leaf = certificates[0] };
        credential.Chain.AddRange(certificates.Skip(1));
        Finish(credential, slots: null);
    }

    /// <summary>
    /// Legacy <c>*_cert_file</c> and <c>*_key_file</c> naming different files: the certificate
    /// file gives the leaf (first certificate) and chain, the key file its first private key.
    /// </summary>
    public void LoadSeparateFiles(string certPath, string keyPath, string keyParameter)
    {
        var certificates = new List<LoadedCertificate>();
        using (var certFile = PemFile.Read(certPath, _context, out _))
        {
            if (certFile is null)
            {
                return;
            }

            foreach (var pem in certFile.Objects.Where(o => o.IsCertificate))
            {
                if (LoadCertificate(certPath, pem) is not { } certificate)
                {
                    return;
                }

                certificates.Add(certificate);
            }
        }

        if (certificates.Count == 0)
        {
            _context.Error(DiagnosticCodes.MissingKeyOrCertificate,
                $"{certPath} holds no certificate; Postfix would disable TLS. Name the certificate chain file here (leaf first, then issuers; for Let's Encrypt: fullchain.pem).");
            return;
        }

        KeyFiles.Add(keyPath);
        using var keyFile = PemFile.Read(keyPath, _context, out _);
        if (keyFile is null)
        {
            return;
        }

        var keyPem = keyFile.Objects.FirstOrDefault(o => o.IsPrivateKey || o.Label == PemLabels.EncryptedPrivateKey);
        if (keyPem is null)
        {
            _context.Error(DiagnosticCodes.MissingKeyOrCertificate,
                $"{keyPath} holds no private key; Postfix would disable TLS. Set {keyParameter} to the file with the private key (for Let's Encrypt: privkey.pem).");
            return;
        }

        if (keyPem.Label == PemLabels.EncryptedPrivateKey)
        {
            ReportEncrypted(keyPath, keyPem);
            return;
        }

        if (LoadKey(keyPath, keyPem) is not { } key)
        {
            return;
        }

        var credential = new Credential(key, keyPath, keyPem.Index) { Leaf = certificates[0] };
        credential.Chain.AddRange(certificates.Skip(1));
        Finish(credential, slots: null);
    }

    private void Finish(Credential credential, Dictionary<KeyAlgorithm, Credential>? slots)
    {
        var leaf = credential.Leaf!;
        credential.KeyMatches = Matches(credential.Key, leaf.Certificate);
        if (credential.KeyMatches == false)
        {
            var matching = credential.Chain.FirstOrDefault(c => Matches(credential.Key, c.Certificate) == true);
            if (matching is not null)
            {
                _context.Error(DiagnosticCodes.ChainOrder,
                    $"The private key at {credential.KeyWhere} is followed by {leaf.Where} ({CertificateFacts.ShortName(leaf.Certificate)}), an issuer certificate, but the key belongs to {matching.Where} ({CertificateFacts.ShortName(matching.Certificate)}). Put the leaf certificate directly after the key, then its issuers (Let's Encrypt's fullchain.pem has this order).");
            }
            else
            {
                _context.Error(DiagnosticCodes.KeyMismatch,
                    $"The private key at {credential.KeyWhere} does not belong to the certificate at {leaf.Where} ({CertificateFacts.ShortName(leaf.Certificate)}); Postfix would disable TLS. Use the key the certificate was issued for (for Let's Encrypt: privkey.pem and fullchain.pem of the same folder).");
            }
        }
        else if (credential.KeyMatches is null)
        {
            _context.Info(DiagnosticCodes.NotChecked,
                $"Whether the {credential.Key.Description} private key at {credential.KeyWhere} belongs to the certificate at {leaf.Where} was not checked (only RSA and ECDSA pairs are).");
        }

        if (slots is not null)
        {
            var slot = KeyFacts.AlgorithmOf(leaf.Certificate);
            if (credential.KeyMatches != false && slots.TryGetValue(slot, out var first))
            {
                _context.Error(DiagnosticCodes.DuplicateKeyAlgorithm,
                    $"The {credential.Key.SlotName} key at {credential.KeyWhere} is the second {credential.Key.SlotName} key (the first is at {first.KeyWhere}); Postfix allows one key per algorithm and would disable TLS. Keep one {credential.Key.SlotName} key (an RSA and an ECDSA key together are fine).");
            }
            else
            {
                slots[slot] = credential;
            }
        }

        Credentials.Add(credential);
    }

    private static bool? Matches(KeyFacts key, X509Certificate2 certificate)
    {
        if (key.PublicKeyInfo is null)
        {
            return key.Algorithm == KeyFacts.AlgorithmOf(certificate) ? null : false;
        }

        var certKey = KeyFacts.PublicKeyInfoOf(certificate);
        return certKey is not null && certKey.AsSpan().SequenceEqual(key.PublicKeyInfo);
    }

    private LoadedCertificate? LoadCertificate(string path, PemObject pem)
    {
        try
        {
            var certificate = X509CertificateLoader.LoadCertificate(pem.Der);
            if (!CertificateFacts.IsDecodable(certificate))
            {
                certificate.Dispose();
                throw new CryptographicException("a part of the certificate does not decode");
            }

            return new LoadedCertificate(certificate, path, pem.Index);
        }
        catch (CryptographicException)
        {
            _context.Error(DiagnosticCodes.NotPem,
                $"{path}: {pem} is not a valid X.509 certificate; Postfix would disable TLS. Replace it with an intact copy of the certificate.");
            return null;
        }
    }

    private KeyFacts? LoadKey(string path, PemObject pem)
    {
        if (pem.Label == PemLabels.EncryptedPrivateKey || pem.HasEncryptionHeader)
        {
            ReportEncrypted(path, pem);
            return null;
        }

        var key = KeyFacts.FromPem(pem);
        if (key is null)
        {
            _context.Error(DiagnosticCodes.NotPem,
                $"{path}: {pem} does not decode as a private key; Postfix would disable TLS. Replace it with an intact copy of the key.");
        }

        return key;
    }

    private void ReportEncrypted(string path, PemObject pem) =>
        _context.Error(DiagnosticCodes.EncryptedPrivateKey,
            $"{path}: {pem} is a pass-phrase protected private key; Postfix cannot ask for a pass phrase and would disable TLS. Store it unencrypted and readable by root only: openssl pkey -in {path} -out NEW.key, then chmod 600 NEW.key.");

    private void ReportUnexpected(string path, PemObject pem)
    {
        var hint = pem.Label switch
        {
            PemLabels.EcParameters => " 'openssl ecparam -genkey' writes this block; remove it from the file (or make keys with 'openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256').",
            PemLabels.TrustedCertificate => " Convert it to a plain certificate: openssl x509 -in FILE -out FILE.pem.",
            _ => " Remove it: the files may hold only private keys and certificates.",
        };
        _context.Error(DiagnosticCodes.UnexpectedPemObject,
            $"{path}: {pem} is not a private key or certificate; Postfix rejects it in a chain file and would disable TLS.{hint}");
    }
}
