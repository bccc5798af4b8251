using PostfixConfig.Diagnostics;

namespace PostfixConfig.Dns;

/// <summary>
/// Postfix's own DNSSEC probe (<c>src/dns/dns_sec.c</c>, <c>dns_sec_probe</c>): the <c>dnssec_probe</c>
/// value is <c>qtype:qname</c> (default <c>ns:.</c>), split at the first colon; the query goes to the
/// host's resolver with the DO bit (<c>RES_USE_DNSSEC</c>, with <c>RES_USE_EDNS0</c> and
/// <c>RES_TRUSTAD</c>), and DNSSEC validation counts as available when the reply has the AD bit
/// (<c>dns_query</c> sets <c>DNS_SEC_FLAG_AVAILABLE</c> from the header's <c>ad</c>, whatever the
/// response code). Otherwise Postfix logs "DNSSEC validation may be unavailable" with the reason,
/// and <c>dane</c> works as <c>may</c>. This class gives the same answer without Postfix.
/// </summary>
internal static class DnssecProbe
{
    /// <summary>Runs the probe; an error (no value) only for a malformed probe or resolver address. A resolver that does not answer is a value with <see cref="DnssecCheck.Answered"/> false.</summary>
    public static async Task<Result<DnssecCheck>> RunAsync(DnssecCheckOptions options, CancellationToken cancellation)
    {
        if (Parse(options.Probe, out var type, out var name) is { } malformed)
        {
            return Error(DiagnosticCodes.DnssecProbeMalformed, malformed);
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

        var resolver = $"{endpoints.Describe()} ({endpoints.Source})";
        var probe = options.Probe.Trim();
        DnsReply reply;
        try
        {
            reply = await DnsTransport.QueryAsync(endpoints, name, type, checkingDisabled: false, options.Dns.Timeout, cancellation).ConfigureAwait(false);
        }
        catch (DnsNoAnswerException e)
        {
            return Value(new DnssecCheck(false, false, probe, resolver,
                $"dnssec_probe '{probe}' received no response ({e.Message}): Postfix logs \"DNSSEC validation may be unavailable\", dane works as may and dane-only defers all mail."));
        }

        if (reply.AuthenticData)
        {
            return Value(new DnssecCheck(true, true, probe, resolver,
                $"dnssec_probe '{probe}' received a response that is DNSSEC validated ({DnsMessage.RcodeName(reply.Rcode)} with AD): {resolver} validates, so outbound DANE works."));
        }

        var why = reply.Rcode == DnsMessage.NoError
            ? "received a response that is not DNSSEC validated (no AD bit)"
            : $"received no response: {DnsMessage.RcodeName(reply.Rcode)}";
        return Value(new DnssecCheck(false, true, probe, resolver,
            $"dnssec_probe '{probe}' {why}: {resolver} does not validate for Postfix, so Postfix logs \"DNSSEC validation may be unavailable\", dane silently works as may and dane-only defers all mail. Use a validating resolver (unbound on the host, for example)."));
    }

    /// <summary>
    /// Runs the probe a configuration asks for: <paramref name="value"/> is the expanded <c>dnssec_probe</c>
    /// (null: not set, Postfix's default <c>ns:.</c>). An empty value means Postfix itself never probes;
    /// the check then uses <c>ns:.</c> and <paramref name="disabled"/> says so (for messages), else it is null.
    /// Used by <c>lint --check-dns</c> and <c>status --check-dns</c>.
    /// </summary>
    internal static Result<DnssecCheck> RunForParameter(string? value, DnsResolverOptions dns, out string? disabled)
    {
        var probe = "ns:.";
        disabled = null;
        if (value is not null && value.Trim().Length == 0)
        {
            disabled = " (dnssec_probe is empty, so Postfix itself never probes and logs no warning; checked with ns:.)";
        }
        else if (value is not null)
        {
            probe = value.Trim();
        }

        return Task.Run(() => RunAsync(new DnssecCheckOptions { Probe = probe, Dns = dns }, CancellationToken.None)).GetAwaiter().GetResult();
    }

    /// <summary>Splits <c>qtype:qname</c> as Postfix does; returns Postfix's own complaint when malformed, else null.</summary>
    internal static string? Parse(string probe, out DnsType type, out string name)
    {
        type = DnsType.Ns;
        name = ".";
        var text = probe.Trim();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var qname = colon < 0 ? string.Empty : text[(colon + 1)..];
        var qtype = colon < 0 ? text : text[..colon];
        if (colon < 0 || qname.Length == 0 || DnsMessage.TypeByName(qtype) is not { } t)
        {
            return $"malformed dnssec_probe value: {probe}: format is qtype:qname (Postfix stops with this fatal error; the default is ns:.)";
        }

        if (!DnsMessage.IsValidName(qname))
        {
            return $"malformed dnssec_probe value: {probe}: '{qname}' is not a DNS name";
        }

        type = t;
        name = qname;
        return null;
    }

    private static Result<DnssecCheck> Value(DnssecCheck check) => new(check, DiagnosticList.Empty);

    private static Result<DnssecCheck> Error(string code, string message) =>
        new(null, DiagnosticList.Create([new Diagnostic(DiagnosticSeverity.Error, code, null, message)]));
}
