using System.Security.Cryptography.X509Certificates;
using PostfixConfig.Certificates;
using PostfixConfig.Diagnostics;
using PostfixConfig.Probe;

namespace PostfixConfig.Dns;

/// <summary>What one published TLSA record is, against the chain and the next key.</summary>
public enum TlsaPublicationState
{
    /// <summary>One of the records that should be published (3 1 1 of the current or next key, 2 1 1 of an issuing intermediate).</summary>
    Expected,

    /// <summary>Not one of those, but it matches the current chain (another selector or matching type): it works today, but a 0 selector breaks at every renewal.</summary>
    MatchesCurrentChain,

    /// <summary>Matches neither the current chain nor the next key: remove it.</summary>
    Stale,
}

/// <summary>A TLSA record found in DNS and what it is.</summary>
/// <param name="Record">The record.</param>
/// <param name="State">What it matches.</param>
public sealed record PublishedTlsa(TlsaAssociation Record, TlsaPublicationState State);

/// <summary>What <see cref="PostfixTls.CheckTlsaDns(string, TlsaDnsOptions, CancellationToken)"/> compares.</summary>
/// <remarks>This type is immutable; change it with <c>with</c>.</remarks>
public sealed record TlsaDnsOptions
{
    /// <summary>Creates options for the MX host <paramref name="host"/>.</summary>
    public TlsaDnsOptions(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        Host = host;
    }

    /// <summary>The MX host name (the records are at <c>_PORT._tcp.HOST</c>).</summary>
    public string Host { get; init; }

    /// <summary>The TCP port (25).</summary>
    public int Port { get; init; } = 25;

    /// <summary>The key the next certificate will have (a private or public key file, PEM or DER), or <see langword="null"/> when unknown.</summary>
    public string? NextKey { get; init; }

    /// <summary>The resolver and the timeout.</summary>
    public DnsResolverOptions Dns { get; init; } = DnsResolverOptions.Default;

    /// <summary>The clock for chain validity (tests pass a fixed one).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>The published TLSA records against what should be published, and whether a renewal now keeps DANE delivery working.</summary>
/// <remarks>This type is immutable.</remarks>
public sealed record TlsaDnsReport
{
    /// <summary>The owner name looked up: <c>_25._tcp.mail.example.com.</c></summary>
    public required string OwnerName { get; init; }

    /// <summary>The DNSSEC status of the answer: only secure records count for DANE clients.</summary>
    public required DnssecStatus Dnssec { get; init; }

    /// <summary>The records found, each with what it matches.</summary>
    public required IReadOnlyList<PublishedTlsa> Published { get; init; }

    /// <summary>The records that should be published and are not.</summary>
    public required IReadOnlyList<TlsaRecord> ToAdd { get; init; }

    /// <summary>Whether a validated record authenticates the current chain (DANE clients deliver today).</summary>
    public required bool CurrentChainAuthenticated { get; init; }

    /// <summary>Whether a validated record would still authenticate after a renewal: a 2 record of an issuing intermediate, or a 3 1 record of the next key.</summary>
    public required bool RenewalSafe { get; init; }

    /// <summary>Whether nothing needs doing: validated, nothing to add, today's chain and a renewed one authenticated.</summary>
    public bool InOrder => Dnssec == DnssecStatus.Secure && ToAdd.Count == 0 && CurrentChainAuthenticated && RenewalSafe;
}

/// <summary>
/// <c>tlsa CHAIN --host HOST [--next-key FILE] --dns</c>: what should be published (3 1 1 of the
/// current key, 3 1 1 of the next key, 2 1 1 of each issuing intermediate) against what DNS holds,
/// looked up with DNSSEC status; what to add, what is stale, and whether renewing now would break
/// delivery (no published record matching the renewed chain: the next key, or the same intermediate).
/// </summary>
internal static class TlsaPublication
{
    public static async Task<Result<TlsaDnsReport>> RunAsync(string chainPath, TlsaDnsOptions options, CancellationToken cancellation)
    {
        var diagnostics = new List<Diagnostic>();
        var chain = CertificateFile.Read(chainPath, diagnostics);
        try
        {
            if (diagnostics.Count > 0)
            {
                return new Result<TlsaDnsReport>(null, DiagnosticList.Create(diagnostics));
            }

            var expected = PostfixTls.Tlsa(chain, new TlsaOptions(options.Host) { Port = options.Port });
            if (expected.HasErrors)
            {
                return new Result<TlsaDnsReport>(null, expected.Diagnostics);
            }

            var records = expected.Value.ToList();
            var owner = records[0].OwnerName;
            TlsaAssociation? next = null;
            if (options.NextKey is { } nextKey)
            {
                var key = KeyTlsa.FromFile(nextKey, TlsaMatchingType.Sha256);
                if (key.HasErrors)
                {
                    return new Result<TlsaDnsReport>(null, key.Diagnostics);
                }

                next = key.Value;
                records.Insert(1, new TlsaRecord(owner, TlsaUsage.DaneEe, TlsaSelector.SubjectPublicKeyInfo, TlsaMatchingType.Sha256, next.Data, "the next key"));
            }

            ResolverEndpoints endpoints;
            if (options.Dns.Resolver is { } given)
            {
                if (ResolverEndpoints.Parse(given, out var error) is not { } parsed)
                {
                    return Error(DiagnosticCodes.DnsResolverInvalid, error!);
                }

                endpoints = parsed;
            }
            else
            {
                endpoints = ResolverEndpoints.FromFile(options.Dns.ResolvConf);
            }

            DnsLookup lookup;
            try
            {
                lookup = await new DnssecResolver(endpoints, options.Dns.Timeout).LookupAsync(owner, DnsType.Tlsa, cancellation).ConfigureAwait(false);
            }
            catch (DnsLookupException e)
            {
                return Error(DiagnosticCodes.DnsLookupFailed, e.Message);
            }

            return new Result<TlsaDnsReport>(Compare(chain, records, next, lookup, options, diagnostics), DiagnosticList.Create(diagnostics));
        }
        finally
        {
            chain.ForEach(c => c.Dispose());
        }
    }

    private static TlsaDnsReport Compare(List<X509Certificate2> chain, List<TlsaRecord> expected, TlsaAssociation? next, DnsLookup lookup,
        TlsaDnsOptions options, List<Diagnostic> diagnostics)
    {
        var owner = expected[0].OwnerName;
        var host = options.Host.Trim().TrimEnd('.');
        var now = options.Clock.GetUtcNow();
        var found = lookup.Records.Select(MxDaneProber.ToAssociation).OfType<TlsaAssociation>().ToList();
        var published = new List<PublishedTlsa>();
        foreach (var record in found)
        {
            var state = expected.Any(e => Same(e, record)) ? TlsaPublicationState.Expected
                : DaneMatcher.Match(chain, [record], host, now).Verdict == DaneVerdict.Authenticated ? TlsaPublicationState.MatchesCurrentChain
                : TlsaPublicationState.Stale;
            published.Add(new PublishedTlsa(record, state));
            if (state == TlsaPublicationState.Stale)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.TlsaStale, null,
                    $"{owner} IN TLSA {record}: matches neither the key nor the issuers of the chain{(next is null ? string.Empty : " nor the next key")}; remove it (after the records to add have been published for twice the TTL)."));
            }
        }

        var toAdd = expected.Where(e => !found.Any(f => Same(e, f))).ToList();
        foreach (var record in toAdd)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.TlsaMissing, null,
                $"Not published: {record} ({(record.Usage == TlsaUsage.DaneEe ? record.Certificate == "the next key" ? "the next key" : "the current key" : "the issuer " + record.Certificate)}); add it to the signed zone."));
        }

        var secure = lookup.Status == DnssecStatus.Secure;
        if (!secure)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.TlsaNotValidated, null, lookup.Status == DnssecStatus.Bogus
                ? $"The TLSA lookup of {owner} fails DNSSEC validation (the resolver answers SERVFAIL; with checking disabled it gives {lookup.Describe()}): DANE clients defer all mail to {host}. Fix the zone's signatures or DS record."
                : $"{owner}: {lookup.Describe()}, not DNSSEC-validated (an unsigned zone, or a resolver that does not validate): DANE clients ignore TLSA records there. Sign the zone and publish its DS record."));
        }

        var valid = secure ? found : [];
        var current = valid.Count > 0 && DaneMatcher.Match(chain, valid, host, now).Verdict == DaneVerdict.Authenticated;
        var byIssuer = valid.Where(r => r.Usage == TlsaUsage.DaneTa).Any(r => DaneMatcher.Match(chain, [r], host, now).Verdict == DaneVerdict.Authenticated);
        var byNextKey = next is not null && valid.Any(r => r.Usage == TlsaUsage.DaneEe && r.Selector == TlsaSelector.SubjectPublicKeyInfo && MatchesKey(r, next));
        var safe = byIssuer || byNextKey;
        if (secure && valid.Count > 0 && !current)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.DaneVerdict, null,
                $"No published record authenticates the current chain: DANE clients defer mail to {host} today. Publish the records to add."));
        }

        if (!safe)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.TlsaRolloverUnsafe, null, next is null
                ? $"Renewing now would break delivery by DANE clients: no validated 2 1 1 record of an issuing intermediate is published, and without --next-key the renewed key is unknown (certbot makes a new key at each renewal unless --reuse-key). Publish the 2 1 1 records, or the next key's 3 1 1 (tlsa --key)."
                : $"Renewing now would break delivery by DANE clients: neither the next key's 3 1 1 record nor a 2 1 1 record of an issuing intermediate is published and validated. Publish them, wait twice the TTL, then renew."));
        }
        else
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.TlsaMatched, null,
                $"A renewal keeps DANE delivery working: {(byNextKey ? "the next key's 3 1 1 record is published" : "a 2 1 1 record of the issuing intermediate is published (as long as the renewal comes from the same intermediate)")}."));
        }

        return new TlsaDnsReport
        {
            OwnerName = owner,
            Dnssec = lookup.Status,
            Published = published,
            ToAdd = toAdd,
            CurrentChainAuthenticated = current,
            RenewalSafe = safe,
        };
    }

    private static bool Same(TlsaRecord expected, TlsaAssociation found) =>
        expected.Usage == found.Usage && expected.Selector == found.Selector && expected.MatchingType == found.MatchingType
        && string.Equals(expected.Data, found.Data, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a 3 1 M record names <paramref name="next"/> (a 3 1 1 association of the key): SHA-256 compares directly; other matching types cannot be told from the digest alone.</summary>
    private static bool MatchesKey(TlsaAssociation record, TlsaAssociation next) =>
        record.MatchingType == TlsaMatchingType.Sha256 && string.Equals(record.Data, next.Data, StringComparison.OrdinalIgnoreCase);

    private static Result<TlsaDnsReport> Error(string code, string message) =>
        new(null, DiagnosticList.Create([new Diagnostic(DiagnosticSeverity.Error, code, null, message)]));
}
