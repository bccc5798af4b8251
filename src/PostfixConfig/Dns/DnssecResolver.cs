namespace PostfixConfig.Dns;

/// <summary>A lookup that failed without a validation failure: no answer in time, a server failure that persists with checking disabled, a refusal.</summary>
internal sealed class DnsLookupException(string message) : Exception(message);

/// <summary>The answer to one lookup and its DNSSEC status.</summary>
/// <param name="Name">The name asked for (normalised).</param>
/// <param name="Type">The type asked for.</param>
/// <param name="Status">Secure (AD set), insecure (no AD) or bogus (SERVFAIL that a CD query answers).</param>
/// <param name="Rcode">The response code the status rests on (of the CD query when bogus).</param>
/// <param name="Records">The records of the requested type at the end of any CNAME chain in the answer.</param>
/// <param name="CanonicalName">The name those records belong to (differs from <paramref name="Name"/> behind a CNAME).</param>
internal sealed record DnsLookup(string Name, DnsType Type, DnssecStatus Status, int Rcode, IReadOnlyList<DnsRecord> Records, string CanonicalName)
{
    /// <summary>NXDOMAIN, or NOERROR without records of the type (NODATA).</summary>
    public bool NotFound => Records.Count == 0;

    /// <summary>What was found, for messages: <c>NXDOMAIN</c>, <c>no MX record (NODATA)</c>, <c>2 MX records</c>.</summary>
    public string Describe()
    {
        var type = Type.ToString().ToUpperInvariant();
        return Records.Count > 0 ? $"{Records.Count} {type} record{(Records.Count == 1 ? string.Empty : "s")}"
            : Rcode == DnsMessage.NxDomain ? "NXDOMAIN (the name does not exist)"
            : $"no {type} record (NODATA)";
    }
}

/// <summary>
/// Lookups through a recursive resolver, judged the way Postfix trusts it: every query has the DO
/// bit (and AD); an answer with AD is secure, one without is insecure. A SERVFAIL is asked again
/// with CD (checking disabled): when that answers, validation failed and the answer is bogus
/// (validating resolvers return SERVFAIL for bogus data); when it fails too, the lookup failed.
/// </summary>
internal sealed class DnssecResolver(ResolverEndpoints endpoints, TimeSpan timeout)
{
    /// <summary>At most this many CNAMEs are followed inside one answer (Postfix follows 10).</summary>
    private const int MaxCnames = 10;

    public ResolverEndpoints Endpoints { get; } = endpoints;

    public TimeSpan Timeout { get; } = timeout;

    /// <summary>Resolves <paramref name="name"/>/<paramref name="type"/>; a failure without a validation failure is a <see cref="DnsLookupException"/> with one sentence.</summary>
    public async Task<DnsLookup> LookupAsync(string name, DnsType type, CancellationToken cancellation)
    {
        var what = $"{DnsMessage.Normalize(name)} {type.ToString().ToUpperInvariant()}";
        var reply = await AskAsync(name, type, checkingDisabled: false, what, cancellation).ConfigureAwait(false);
        switch (reply.Rcode)
        {
            case DnsMessage.NoError or DnsMessage.NxDomain:
                return Answer(name, type, reply, reply.AuthenticData ? DnssecStatus.Secure : DnssecStatus.Insecure);

            case DnsMessage.ServFail:
                var cd = await AskAsync(name, type, checkingDisabled: true, what, cancellation).ConfigureAwait(false);
                if (cd.Rcode is DnsMessage.NoError or DnsMessage.NxDomain)
                {
                    return Answer(name, type, cd, DnssecStatus.Bogus);
                }

                throw new DnsLookupException(
                    $"The lookup of {what} failed: {Endpoints.Describe()} answered SERVFAIL (server failure), also with checking disabled, so it is not a DNSSEC validation failure but a broken or unreachable authoritative server.");

            default:
                throw new DnsLookupException(
                    $"The lookup of {what} failed: {Endpoints.Describe()} answered {DnsMessage.RcodeName(reply.Rcode)}{(reply.Rcode == DnsMessage.Refused ? " (it does not serve this client: is it a recursive resolver that allows queries from here?)" : string.Empty)}.");
        }
    }

    private async Task<DnsReply> AskAsync(string name, DnsType type, bool checkingDisabled, string what, CancellationToken cancellation)
    {
        try
        {
            return await DnsTransport.QueryAsync(Endpoints, name, type, checkingDisabled, Timeout, cancellation).ConfigureAwait(false);
        }
        catch (DnsNoAnswerException e)
        {
            throw new DnsLookupException($"The resolver did not answer the lookup of {what} ({Endpoints.Source}: {e.Message}).");
        }
    }

    private static DnsLookup Answer(string name, DnsType type, DnsReply reply, DnssecStatus status)
    {
        var current = DnsMessage.Normalize(name);
        for (var i = 0; i < MaxCnames; i++)
        {
            var cname = reply.Answers.FirstOrDefault(r => r.Type == (ushort)DnsType.Cname && r.Name == current);
            if (cname?.Target is null || type == DnsType.Cname)
            {
                break;
            }

            current = cname.Target;
        }

        var records = reply.Answers.Where(r => r.Type == (ushort)type && r.Name == current).ToList();
        return new DnsLookup(DnsMessage.Normalize(name), type, status, reply.Rcode, records, current);
    }
}
