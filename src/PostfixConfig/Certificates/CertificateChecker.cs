using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using PostfixConfig.Catalog;
using PostfixConfig.Diagnostics;
using PostfixConfig.Text;

namespace PostfixConfig.Certificates;

/// <summary>
/// Checks the certificate and key files a configuration names, on the host that has them:
/// they exist and are PEM, are in Postfix's order, keys match certificates, certificates are
/// valid now and name the mail host, and private keys are not readable by everyone.
/// </summary>
internal static class CertificateChecker
{
    private const string SnakeoilCertificate = "/etc/ssl/certs/ssl-cert-snakeoil.pem";
    private const string SnakeoilKey = "/etc/ssl/private/ssl-cert-snakeoil.key";

    /// <summary>The key and certificate parameters of one role, newest style first.</summary>
    private sealed record CredentialParameters(string ChainFiles, (string Cert, string Key)[] Pairs, bool IsServer);

    private static readonly CredentialParameters[] Roles =
    [
        Role("smtpd", isServer: true),
        Role("smtp", isServer: false),
        Role("lmtp", isServer: false),
    ];

    private static CredentialParameters Role(string prefix, bool isServer) => new(
        prefix + "_tls_chain_files",
        [
            (prefix + "_tls_cert_file", prefix + "_tls_key_file"),
            (prefix + "_tls_eccert_file", prefix + "_tls_eckey_file"),
            (prefix + "_tls_dcert_file", prefix + "_tls_dkey_file"),
        ],
        isServer);

    /// <summary>Every certificate/key parameter this checker reads, for reload hooks.</summary>
    internal static IEnumerable<string> FileParameters() =>
        Roles.SelectMany(r => r.Pairs.SelectMany(p => new[] { p.Cert, p.Key }).Prepend(r.ChainFiles));

    public static DiagnosticList Check(TlsConfiguration config, CertificateCheckOptions options)
    {
        var output = new List<Diagnostic>();
        var expander = new ParameterExpander(config.Main, options.ConfigDirectory);
        var mailHost = MailHostName(config, options, expander);
        var keyFiles = new HashSet<string>(StringComparer.Ordinal);
        var checkedAny = false;

        foreach (var role in Roles)
        {
            var host = role.IsServer ? mailHost : null;
            if (config.Main.TryGetValue(role.ChainFiles, out var chainValue)
                && Files(role.ChainFiles, chainValue, expander, options, output, role.IsServer, host) is { } chain)
            {
                if (chain.Files.Count > 0)
                {
                    checkedAny = true;
                    var loader = new CredentialLoader(chain.Context);
                    loader.LoadChainFiles(chain.Files);
                    Inspect(loader, chain.Context, keyFiles);
                    continue;
                }
            }
            else if (config.Main.ContainsKey(role.ChainFiles))
            {
                checkedAny = true;
                continue;
            }

            foreach (var (certParameter, keyParameter) in role.Pairs)
            {
                if (!config.Main.TryGetValue(certParameter, out var certValue))
                {
                    continue;
                }

                if (Files(certParameter, certValue, expander, options, output, role.IsServer, host) is not { } cert)
                {
                    checkedAny = true;
                    continue;
                }

                if (cert.Files.Count == 0 || (cert.Files.Count == 1 && cert.Files[0] == "none"))
                {
                    continue;
                }

                checkedAny = true;
                var certPath = cert.Files[0];
                var keyPath = certPath;
                var keyContext = cert.Context;
                if (config.Main.TryGetValue(keyParameter, out var keyValue))
                {
                    if (Files(keyParameter, keyValue, expander, options, output, role.IsServer, host) is not { } key)
                    {
                        continue;
                    }

                    keyPath = key.Files.Count > 0 ? key.Files[0] : string.Empty;
                    keyContext = key.Context;
                }

                var loader = new CredentialLoader(cert.Context);
                if (keyPath == certPath)
                {
                    loader.LoadCombinedFile(certPath, keyParameter);
                }
                else if (keyPath.Length == 0)
                {
                    keyContext.Error(DiagnosticCodes.MissingKeyOrCertificate,
                        $"{keyParameter} is empty, so Postfix has no private key for {certPath} and would disable TLS. Set it to the key file, or remove it to use the key inside {certPath}.");
                    continue;
                }
                else
                {
                    loader.LoadSeparateFiles(certPath, keyPath, keyParameter);
                }

                Inspect(loader, cert.Context, keyFiles);
            }
        }

        if (config.Sni.Count > 0)
        {
            // The configuration's own SNI table (the source file on the host is what it replaces).
            checkedAny = true;
            foreach (var entry in config.Sni)
            {
                CheckSniEntry(entry.Name, entry.Files, $"sni[{entry.Name}]", entry.FilesSpan ?? entry.Span, options, output, keyFiles);
            }
        }
        else if (config.Main.TryGetValue("tls_server_sni_maps", out var sniValue))
        {
            checkedAny = true;
            CheckSniMaps(sniValue, expander, options, output, keyFiles);
        }

        PublishedPolicyCheck.Check(config, options, output);
        CaFileCheck.Run(config, expander, output);
        if (!checkedAny)
        {
            output.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.NotChecked, null,
                "No certificate or key file is configured (smtpd_tls_chain_files, smtpd_tls_cert_file, ...), so there is nothing to check. Without a server certificate Postfix offers no STARTTLS.",
                config.SourcePath is null ? null : new SourceSpan(config.SourcePath, 1, 1)));
        }

        return DiagnosticList.Create(output);
    }

    private sealed record FileList(IReadOnlyList<string> Files, CheckContext Context);

    /// <summary>
    /// The expanded file names of a parameter, or null (reported) when they cannot be known: an
    /// unresolved <c>$name</c> or a relative path.
    /// </summary>
    private static FileList? Files(string parameter, PostfixValue value, ParameterExpander expander, CertificateCheckOptions options,
        List<Diagnostic> output, bool isServer, MailHost? host)
    {
        var context = new CheckContext(parameter, value.Span, output, options, isServer, host);
        var expanded = expander.Expand(value.Text, out var unresolved);
        if (expanded is null)
        {
            context.Info(DiagnosticCodes.NotChecked,
                $"{parameter} = {value.Text}: {unresolved} is not set in this configuration, so the file name is unknown and was not checked. Write the path out to have it checked.");
            return null;
        }

        var files = PostfixText.SplitList(expanded);
        foreach (var f in files)
        {
            if (f != "none" && !Path.IsPathRooted(f))
            {
                context.Info(DiagnosticCodes.NotChecked,
                    $"{parameter}: {f} is a relative path (Postfix would look for it relative to its queue directory), so it was not checked. Write the absolute path, such as /etc/postfix/{f}.");
                return null;
            }
        }

        return new FileList(files, context);
    }

    private static MailHost MailHostName(TlsConfiguration config, CertificateCheckOptions options, ParameterExpander expander)
    {
        if (options.HostName is { Length: > 0 } given)
        {
            return new MailHost(given, "the given mail host name", null);
        }

        if (config.Main.GetText("myhostname") is not { } text)
        {
            return new MailHost(null, null, "myhostname is not set in this configuration, so the certificate's names were not checked against the mail host name. Set myhostname to the name your MX record points to.");
        }

        var expanded = expander.Expand(text, out var unresolved);
        return expanded is { Length: > 0 }
            ? new MailHost(expanded, "myhostname", null)
            : new MailHost(null, null, $"myhostname = {text}: {unresolved ?? "the value"} cannot be resolved from this configuration, so the certificate's names were not checked. Write the host name out.");
    }

    /// <summary>The checks on loaded pairs: validity, names, usages, trust, key file permissions.</summary>
    private static void Inspect(CredentialLoader loader, CheckContext context, HashSet<string> reportedKeyFiles)
    {
        foreach (var keyFile in loader.KeyFiles)
        {
            if (reportedKeyFiles.Add(keyFile) && WorldReadableMode(keyFile) is { } mode)
            {
                context.Warning(DiagnosticCodes.PrivateKeyWorldReadable,
                    $"{keyFile} holds a private key and every user can read it (mode {mode}). Postfix reads keys as root before it drops privileges, so make it readable by root only: chmod 600 {keyFile} (or chmod 640 with a group that only trusted services share, such as Debian's ssl-cert).");
            }
        }

        foreach (var credential in loader.Credentials)
        {
            if (credential.KeyMatches == false || credential.Leaf is null)
            {
                continue;
            }

            InspectCredential(credential, credential.Leaf, context);
        }
    }

    private static void InspectCredential(Credential credential, LoadedCertificate leaf, CheckContext context)
    {
        var now = context.Options.Clock.GetUtcNow();
        var certificate = leaf.Certificate;
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        var left = notAfter - now;
        var name = CertificateFacts.ShortName(certificate);
        var names = CertificateFacts.HostNames(certificate);
        var selfSigned = CertificateFacts.IsSelfIssued(certificate);

        context.Info(DiagnosticCodes.CertificateSummary, string.Create(CultureInfo.InvariantCulture,
            $"{leaf.File}: {credential.Key.Description} key and certificate for {(names.Count > 0 ? string.Join(", ", names) : certificate.Subject)}, {(selfSigned ? "self-signed" : "issued by " + CertificateFacts.IssuerShortName(certificate))}, valid until {CertificateFacts.Date(certificate.NotAfter)} ({Math.Max(0, (int)Math.Floor(left.TotalDays))} days left), {credential.Chain.Count} issuer certificate(s) in the chain."));

        if (now > notAfter)
        {
            context.Error(DiagnosticCodes.CertificateExpired,
                $"The certificate at {leaf.Where} ({name}) expired on {CertificateFacts.Date(certificate.NotAfter)}. Renew it (certbot renew), then reload Postfix (postfix reload); a reload hook does that after each renewal.");
        }
        else if (now < notBefore)
        {
            context.Error(DiagnosticCodes.CertificateNotYetValid,
                $"The certificate at {leaf.Where} ({name}) is not valid before {CertificateFacts.Date(certificate.NotBefore)}. Check the system clock, or wait until then before deploying it.");
        }
        else if (left < context.Options.ExpiryWarning)
        {
            context.Warning(DiagnosticCodes.CertificateExpiresSoon, string.Create(CultureInfo.InvariantCulture,
                $"The certificate at {leaf.Where} ({name}) expires on {CertificateFacts.Date(certificate.NotAfter)}, in {(int)Math.Floor(left.TotalDays)} days. Renew it now (certbot renew) and reload Postfix; check that automatic renewal works (certbot renew --dry-run)."));
        }

        InspectChain(credential, context, now);

        if (context.IsServer)
        {
            InspectServer(credential, leaf, context, names, selfSigned);
        }
        else if (!CertificateFacts.AllowsClientAuth(certificate))
        {
            context.Info(DiagnosticCodes.NoClientAuthUsage,
                $"The client certificate at {leaf.Where} ({name}) does not allow client authentication (its extended key usage lacks clientAuth). Servers that verify client certificates may refuse it; most servers do not ask for one.");
        }
    }

    private static void InspectServer(Credential credential, LoadedCertificate leaf, CheckContext context, IReadOnlyList<string> names, bool selfSigned)
    {
        var certificate = leaf.Certificate;
        var name = CertificateFacts.ShortName(certificate);
        var covers = context.HostName is { } host && HostNameMatcher.Covers(names, host);
        var serverAuth = CertificateFacts.AllowsServerAuth(certificate);

        if (selfSigned)
        {
            var snakeoil = leaf.File == SnakeoilCertificate || credential.KeyFile == SnakeoilKey;
            context.Info(DiagnosticCodes.SelfSignedCertificate,
                $"The certificate at {leaf.Where} ({name}) is self-signed{(snakeoil ? " (Debian's \"snakeoil\" certificate, made when the ssl-cert package was installed)" : string.Empty)}. That works for opportunistic TLS (most senders) and can be pinned with a DANE-EE (3 1 1) TLSA record, but senders that verify certificates (MTA-STS, ...) will not trust it. For a public MX get a certificate from a CA for {context.HostName ?? "the MX host name"} (for example Let's Encrypt: certbot certonly -d {context.HostName ?? "mail.example.com"}).");
            return;
        }

        if (context.HostName is { } hostName && !covers)
        {
            context.Warning(DiagnosticCodes.HostNameNotCovered,
                $"The certificate at {leaf.Where} names {(names.Count > 0 ? string.Join(", ", names) : "no host")}, which does not cover {hostName} ({context.HostNameSource}). Senders that verify (MTA-STS, ...) check that name: get a certificate that includes {hostName} (certbot: add -d {hostName}).");
        }
        else if (context.HostName is null && context.HostNameMissing is { } reason)
        {
            context.Info(DiagnosticCodes.NotChecked, reason);
        }

        if (!serverAuth)
        {
            context.Warning(DiagnosticCodes.NoServerAuthUsage,
                $"The certificate at {leaf.Where} ({name}) does not allow server authentication (its extended key usage lacks serverAuth); senders that verify will reject it. Use a TLS server certificate.");
        }

        InspectTrust(credential, leaf, context);

        if (covers && serverAuth)
        {
            context.Info(DiagnosticCodes.WebCertificateReusable,
                $"The certificate at {leaf.Where} covers {context.HostName} and allows server authentication, so a web server certificate like this one works for mail too: Postfix can use the same key and chain files (make sure they stay readable by root and reload Postfix after each renewal).");
        }
    }

    private static void InspectChain(Credential credential, CheckContext context, DateTimeOffset now)
    {
        var previous = credential.Leaf!;
        var chain = credential.Chain;
        for (var i = 0; i < chain.Count; i++)
        {
            var c = chain[i];
            var notAfter = new DateTimeOffset(c.Certificate.NotAfter.ToUniversalTime());
            var notBefore = new DateTimeOffset(c.Certificate.NotBefore.ToUniversalTime());
            if (now > notAfter || now < notBefore)
            {
                context.Warning(DiagnosticCodes.ChainCertificateNotValid,
                    $"The issuer certificate at {c.Where} ({c.Certificate.Subject}) is {(now > notAfter ? "expired since " + CertificateFacts.Date(c.Certificate.NotAfter) : "not valid before " + CertificateFacts.Date(c.Certificate.NotBefore))}. Replace the chain with the current one from your CA (for Let's Encrypt: the fullchain.pem of the latest renewal).");
            }

            if (!CertificateFacts.IsIssuedBy(previous.Certificate, c.Certificate))
            {
                var issuer = chain.FirstOrDefault(o => CertificateFacts.IsIssuedBy(previous.Certificate, o.Certificate));
                context.Warning(DiagnosticCodes.ChainMisordered, issuer is not null
                    ? $"The issuer chain is out of order: {c.Where} ({c.Certificate.Subject}) did not issue {previous.Where}; its issuer is {issuer.Where}. List each certificate directly before the one that issued it (leaf, intermediate, ...)."
                    : $"{c.Where} ({c.Certificate.Subject}) did not issue {previous.Where} ({previous.Certificate.Subject}) and is not part of its chain. Remove it, or replace the chain with the one your CA provides (for Let's Encrypt: fullchain.pem).");
                return;
            }

            previous = c;
        }
    }

    private static void InspectTrust(Credential credential, LoadedCertificate leaf, CheckContext context)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = context.Options.Clock.GetUtcNow().UtcDateTime;
        policy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid
            | X509VerificationFlags.IgnoreNotTimeNested | X509VerificationFlags.IgnoreWrongUsage;
        foreach (var c in credential.Chain)
        {
            policy.ExtraStore.Add(c.Certificate);
        }

        var store = "the system trust store";
        if (context.Options.TrustedRoots is { } roots)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            foreach (var root in roots)
            {
                policy.CustomTrustStore.Add(root);
            }

            store = "the given trust store";
        }

        var name = CertificateFacts.ShortName(leaf.Certificate);
        if (chain.Build(leaf.Certificate))
        {
            var root = chain.ChainElements[^1].Certificate;
            context.Info(DiagnosticCodes.TrustChain,
                $"The chain of {name} leads to {root.Subject}, a root in {store}: senders that verify (MTA-STS, ...) can trust it. (For DANE only the TLSA records matter.)");
            return;
        }

        var statuses = chain.ChainStatus.Select(s => s.Status).ToHashSet();
        var last = chain.ChainElements.Count > 0 ? chain.ChainElements[^1].Certificate : leaf.Certificate;
        string why;
        if (statuses.Contains(X509ChainStatusFlags.PartialChain))
        {
            why = last.RawData.AsSpan().SequenceEqual(leaf.Certificate.RawData)
                ? $"the file holds no certificate that issued it, and its issuer ({last.Issuer}) is not in {store}. Add the intermediate certificates after the leaf (for Let's Encrypt: use fullchain.pem, not cert.pem)"
                : $"the chain stops at {last.Subject}, whose issuer ({last.Issuer}) is not in {store} (a private CA, or a chain for another trust store). That is fine for opportunistic TLS and DANE; senders that verify against public CAs will not trust it";
        }
        else if (statuses.Contains(X509ChainStatusFlags.UntrustedRoot))
        {
            why = $"it ends at {last.Subject}, which is not in {store} (a private CA). That is fine for opportunistic TLS and DANE; senders that verify against public CAs will not trust it";
        }
        else
        {
            why = "chain building reported: " + string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal));
        }

        context.Info(DiagnosticCodes.TrustChain,
            $"The chain of {name} does not lead to a root in {store}: {why}. (This matters only to senders that verify, such as MTA-STS; not to opportunistic TLS or DANE.)");
    }

    /// <summary>The file mode (octal) when every user can read the file, else null.</summary>
    internal static string? WorldReadableMode(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            var full = Path.GetFullPath(path);
            var target = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
            var mode = File.GetUnixFileMode(target);
            if ((mode & UnixFileMode.OtherRead) == 0)
            {
                return null;
            }

            for (var dir = Path.GetDirectoryName(target); dir is not null; dir = Path.GetDirectoryName(dir))
            {
                if ((File.GetUnixFileMode(dir) & UnixFileMode.OtherExecute) == 0)
                {
                    return null;
                }
            }

            return "0" + Convert.ToString((int)mode & 0x1FF, 8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void CheckSniMaps(PostfixValue value, ParameterExpander expander, CertificateCheckOptions options, List<Diagnostic> output, HashSet<string> keyFiles)
    {
        const string Parameter = "tls_server_sni_maps";
        var context = new CheckContext(Parameter, value.Span, output, options, isServer: true, host: null);
        var expanded = expander.Expand(value.Text, out var unresolved);
        if (expanded is null)
        {
            context.Info(DiagnosticCodes.NotChecked,
                $"{Parameter} = {value.Text}: {unresolved} is not set in this configuration, so the SNI table was not checked. Write the table name out to have it checked.");
            return;
        }

        foreach (var table in PostfixText.SplitList(expanded))
        {
            var colon = table.IndexOf(':', StringComparison.Ordinal);
            var type = colon > 0 ? table[..colon] : string.Empty;
            var source = colon > 0 ? table[(colon + 1)..] : table;
            if (!MapTypes.IsIndexed(type) && type != MapTypes.TextHash)
            {
                context.Info(DiagnosticCodes.NotChecked,
                    $"{Parameter}: {table} is not a table built from a source file (hash, lmdb, cdb, texthash, ...), so its key and certificate files were not checked.");
                continue;
            }

            foreach (var entry in SniMapSource.Read(source, context))
            {
                CheckSniEntry(entry.Key, PostfixText.SplitList(entry.Value), $"{Parameter}[{entry.Key}]", new SourceSpan(source, entry.Line, 1), options, output, keyFiles);
            }
        }
    }

    /// <summary>
    /// One SNI entry's files, like <c>smtpd_tls_chain_files</c> (each key first, then its chain; keys
    /// match; not expired), with the entry's name as the host the certificate must cover (a
    /// <c>.domain</c> entry is not checked for names).
    /// </summary>
    private static void CheckSniEntry(string key, IReadOnlyList<string> files, string where, SourceSpan? span, CertificateCheckOptions options, List<Diagnostic> output, HashSet<string> keyFiles)
    {
        var isParent = key.StartsWith('.');
        var entryContext = new CheckContext(where, span, output, options, isServer: true,
            isParent ? null : new MailHost(key, "the SNI name of the table entry", null));
        var relative = files.FirstOrDefault(f => !Path.IsPathRooted(f));
        if (relative is not null)
        {
            entryContext.Info(DiagnosticCodes.NotChecked,
                $"{relative} is a relative path (postmap -F would read it relative to the current folder), so the entry was not checked. Write absolute paths.");
            return;
        }

        if (files.Count == 0)
        {
            entryContext.Error(DiagnosticCodes.MissingKeyOrCertificate,
                $"The SNI entry {key} lists no files. List the private key file and the certificate chain file.");
            return;
        }

        var loader = new CredentialLoader(entryContext);
        loader.LoadChainFiles(files);
        Inspect(loader, entryContext, keyFiles);
    }
}
