using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using PostfixConfig.Certificates;

namespace PostfixConfig.Probe;

/// <summary>
/// Matches TLSA records against a served chain as an SMTP DANE client does (RFC 7671, RFC 7672;
/// Postfix with OpenSSL's DANE support):
/// <list type="bullet">
/// <item>Usages 0 and 1 are not used for SMTP: Postfix drops them ("unsupported TLSA certificate usage").</item>
/// <item>An unknown usage, selector or matching type, matching type 255 (Postfix reserves it), or a
/// SHA-256/SHA-512 digest of the wrong length make a record unusable.</item>
/// <item>DANE-EE (3) must match the server's own certificate; names and expiry are not checked.</item>
/// <item>DANE-TA (2) must match an issuer in the served chain (depth 1 or more); the chain from the
/// server certificate up to it must verify (signatures, validity now), and the server certificate's
/// names must cover the reference name (wildcards as Postfix matches them).</item>
/// <item>No usable record: TLS is still required but not authenticated (Postfix uses <c>encrypt</c>).</item>
/// </list>
/// </summary>
internal static class DaneMatcher
{
    public static DaneResult Match(IReadOnlyList<X509Certificate2>? chain, IReadOnlyList<TlsaAssociation> records, string? referenceName, DateTimeOffset now)
    {
        var matches = records.Select(r => MatchOne(chain ?? [], r, referenceName, now)).ToList();
        var usable = matches.Where(m => m.Outcome is TlsaOutcome.Authenticates or TlsaOutcome.MatchRejected or TlsaOutcome.NoMatch).ToList();
        if (chain is null || chain.Count == 0)
        {
            return new DaneResult(matches, DaneVerdict.NoTls, usable.Count > 0
                ? "No TLS session: a DANE client that finds these records requires TLS and defers the mail."
                : "No TLS session: even without a usable record a DANE client that finds TLSA records requires TLS, and defers the mail.");
        }

        if (usable.Count == 0)
        {
            return new DaneResult(matches, DaneVerdict.EncryptOnly,
                "None of the records is usable, so a DANE client requires TLS without authenticating the server (Postfix falls back to 'encrypt') and delivers. Publish a 3 1 1 record for the server's key to authenticate it.");
        }

        var first = usable.FirstOrDefault(m => m.Outcome == TlsaOutcome.Authenticates);
        return first is not null
            ? new DaneResult(matches, DaneVerdict.Authenticated, $"A DANE client delivers: {first.Record.Abbreviated()} authenticates the server.")
            : new DaneResult(matches, DaneVerdict.NotAuthenticated,
                "No usable record authenticates the served chain, so a DANE client defers the mail (\"Server certificate not verified\"). Publish records that match what the server sends (postfix-config tlsa on its certificate files), or fix the server's chain.");
    }

    private static TlsaMatch MatchOne(IReadOnlyList<X509Certificate2> chain, TlsaAssociation record, string? referenceName, DateTimeOffset now)
    {
        if (record.Usage is TlsaUsage.PkixTa or TlsaUsage.PkixEe)
        {
            return new TlsaMatch(record, TlsaOutcome.NotUsedForSmtp, null,
                $"Usage {(int)record.Usage} ({(record.Usage == TlsaUsage.PkixTa ? "PKIX-TA" : "PKIX-EE")}) is not used for SMTP (RFC 7672): DANE clients ignore the record. Publish usage 3 (DANE-EE) or 2 (DANE-TA) instead.");
        }

        if (Unusable(record) is { } why)
        {
            return new TlsaMatch(record, TlsaOutcome.Unusable, null, why + " DANE clients ignore the record.");
        }

        var depths = new List<int>();
        for (var i = 0; i < chain.Count; i++)
        {
            if (string.Equals(Dane.AssociationData(chain[i], record.Selector, record.MatchingType), record.Data, StringComparison.OrdinalIgnoreCase))
            {
                depths.Add(i);
            }
        }

        var what = record.Selector == TlsaSelector.FullCertificate ? "certificate" : "public key";
        if (record.Usage == TlsaUsage.DaneEe)
        {
            if (depths.Contains(0))
            {
                return new TlsaMatch(record, TlsaOutcome.Authenticates, 0,
                    $"Matches the {what} of the server certificate ({chain[0].Subject}); DANE-EE does not check names or expiry.");
            }

            return depths.Count > 0
                ? new TlsaMatch(record, TlsaOutcome.MatchRejected, depths[0],
                    $"Matches the {what} of the served issuer at depth {depths[0]} ({chain[depths[0]].Subject}), but a DANE-EE (3) record must match the server's own certificate. Publish it with usage 2 (DANE-TA), or a 3 {(int)record.Selector} {(int)record.MatchingType} record for the server's own {what}.")
                : new TlsaMatch(record, TlsaOutcome.NoMatch, null,
                    $"Matches no served certificate: the server's {what} is not the one this record names (a new key or certificate after a renewal?).");
        }

        var issuerDepth = depths.FirstOrDefault(d => d > 0, -1);
        if (issuerDepth < 0)
        {
            return depths.Contains(0)
                ? new TlsaMatch(record, TlsaOutcome.MatchRejected, 0,
                    $"Matches the {what} of the server's own certificate, but a DANE-TA (2) record must match an issuer in the served chain. Publish it with usage 3 (DANE-EE).")
                : new TlsaMatch(record, TlsaOutcome.NoMatch, null,
                    $"Matches no issuer in the served chain: the server does not send this trust anchor (a new intermediate after a renewal, or a chain file without the issuers?).");
        }

        var anchor = chain[issuerDepth];
        if (ChainProblem(chain, anchor, now) is { } problem)
        {
            return new TlsaMatch(record, TlsaOutcome.MatchRejected, issuerDepth,
                $"Matches the {what} of the served issuer at depth {issuerDepth} ({anchor.Subject}), but {problem}.");
        }

        if (referenceName is null)
        {
            return new TlsaMatch(record, TlsaOutcome.MatchRejected, issuerDepth,
                $"Matches the {what} of the served issuer at depth {issuerDepth} ({anchor.Subject}), but DANE-TA also checks the server certificate's names and there is no name to check (an address was probed): give the MX host name as the server name.");
        }

        var names = CertificateFacts.HostNames(chain[0]);
        if (!HostNameMatcher.Covers(names, referenceName))
        {
            return new TlsaMatch(record, TlsaOutcome.MatchRejected, issuerDepth,
                $"Matches the {what} of the served issuer at depth {issuerDepth} ({anchor.Subject}), but the server certificate names {(names.Count > 0 ? string.Join(", ", names) : "no host")}, which does not cover {referenceName}; DANE-TA checks the names.");
        }

        return new TlsaMatch(record, TlsaOutcome.Authenticates, issuerDepth,
            $"Matches the {what} of the served issuer at depth {issuerDepth} ({anchor.Subject}); the chain from the server certificate up to it is valid and names {referenceName}.");
    }

    /// <summary>Why a record with usage 2 or 3 is unusable, or null (also <c>probe --tlsa</c>'s check of a malformed record).</summary>
    internal static string? Unusable(TlsaAssociation record)
    {
        if (record.Usage is not (TlsaUsage.DaneTa or TlsaUsage.DaneEe))
        {
            return string.Create(CultureInfo.InvariantCulture, $"Usage {(int)record.Usage} is not a defined certificate usage.");
        }

        if (record.Selector is not (TlsaSelector.FullCertificate or TlsaSelector.SubjectPublicKeyInfo))
        {
            return string.Create(CultureInfo.InvariantCulture, $"Selector {(int)record.Selector} is not defined (0 the whole certificate, 1 the public key).");
        }

        var bytes = record.Data.Length / 2;
        return record.MatchingType switch
        {
            TlsaMatchingType.Sha256 when bytes != 32 => string.Create(CultureInfo.InvariantCulture, $"A SHA-256 digest (matching type 1) has 32 bytes (64 hex digits); this one has {bytes}."),
            TlsaMatchingType.Sha512 when bytes != 64 => string.Create(CultureInfo.InvariantCulture, $"A SHA-512 digest (matching type 2) has 64 bytes (128 hex digits); this one has {bytes}."),
            TlsaMatchingType.Full when bytes == 0 => "Matching type 0 needs the whole certificate or key as data; the data is empty.",
            TlsaMatchingType.Full or TlsaMatchingType.Sha256 or TlsaMatchingType.Sha512 => null,
            _ => string.Create(CultureInfo.InvariantCulture, $"Matching type {(int)record.MatchingType} is not defined (0 full data, 1 SHA-256, 2 SHA-512){((int)record.MatchingType == 255 ? "; Postfix reserves 255 for its own use" : string.Empty)}."),
        };
    }

    /// <summary>
    /// Why the chain from the server certificate to <paramref name="anchor"/> (a served issuer) does
    /// not verify at <paramref name="now"/>, or null when it does.
    /// </summary>
    private static string? ChainProblem(IReadOnlyList<X509Certificate2> chain, X509Certificate2 anchor, DateTimeOffset now)
    {
        using var x509 = new X509Chain();
        var policy = x509.ChainPolicy;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = now.UtcDateTime;
        policy.VerificationFlags = X509VerificationFlags.IgnoreWrongUsage;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.Add(anchor);
        foreach (var c in chain.Skip(1).Where(c => !ReferenceEquals(c, anchor)))
        {
            policy.ExtraStore.Add(c);
        }

        x509.Build(chain[0]);
        var elements = x509.ChainElements.Select(e => e.Certificate).ToList();

        // The chain may go on past the anchor (to a served root); only the part up to the anchor counts.
        var anchorAt = elements.FindIndex(1, e => e.RawData.AsSpan().SequenceEqual(anchor.RawData));
        if (anchorAt < 0)
        {
            return "it is not an issuer of the server certificate (the served chain does not lead from the server certificate to it)";
        }

        for (var i = 0; i <= anchorAt; i++)
        {
            var f = x509.ChainElements[i].ChainElementStatus.Aggregate(X509ChainStatusFlags.NoError, (a, s) => a | s.Status)
                & ~(X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.UntrustedRoot);
            if (f == X509ChainStatusFlags.NoError)
            {
                continue;
            }

            var c = elements[i];
            if ((f & X509ChainStatusFlags.NotTimeValid) != 0)
            {
                return now.UtcDateTime > c.NotAfter.ToUniversalTime()
                    ? $"{c.Subject} in that chain expired on {CertificateFacts.Date(c.NotAfter)} (DANE-TA checks expiry)"
                    : $"{c.Subject} in that chain is not valid before {CertificateFacts.Date(c.NotBefore)} (DANE-TA checks validity)";
            }

            if ((f & X509ChainStatusFlags.NotSignatureValid) != 0)
            {
                return $"the signature on {c.Subject} does not verify";
            }

            return $"the chain does not verify at {c.Subject} ({f})";
        }

        return null;
    }
}
