using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PostfixConfig.Certificates;
using PostfixConfig.Diagnostics;
using PostfixConfig.Probe;

namespace PostfixConfig.Cli.Commands;

/// <summary>
/// The output of <c>probe</c>: a text report, or one JSON object whose shape docs/reference/probe.md documents
/// ("Probing a server"); names are snake_case, absent facts are <c>null</c>, and new members are
/// only ever added.
/// </summary>
internal static class ProbeOutput
{
    public static void WriteText(ProbeReport report, DiagnosticList diagnostics, TextWriter writer)
    {
        void Line(string text) => writer.WriteLine(CliApp.OneLine(text));
        static string Yes(bool value, string yes, string no) => value ? yes : no;

        var mode = report.Mode == TlsStart.Implicit ? "implicit TLS" : "STARTTLS";
        Line(string.Create(CultureInfo.InvariantCulture, $"probe:      {report.Host} port {report.Port} ({report.Address}), {mode}"));
        Line($"banner:     {(report.Banner.Length > 0 ? report.Banner : "(none)")}");
        if (report.Mode == TlsStart.StartTls)
        {
            Line($"starttls:   {Yes(report.StartTlsOffered, "offered", "not offered")}");
        }

        if (report.Tls is { } tls)
        {
            Line(string.Create(CultureInfo.InvariantCulture, $"tls:        {tls.Protocol}, {tls.CipherSuite} ({tls.CipherBits} bits)"));
            Line($"key exch.:  {tls.KeyExchange ?? "(none: RSA key transport)"}");
            Line($"signature:  {tls.ServerSignature ?? "(none)"}{(tls.ServerDigest is { } digest ? ", digest " + digest : string.Empty)}");
            Line(tls.Ocsp is { } ocsp
                ? string.Create(CultureInfo.InvariantCulture, $"ocsp:       stapled ({ocsp.ResponseStatus}{(ocsp.CertificateStatus is { } cs ? ", certificate " + cs : string.Empty)}, {ocsp.Length} bytes)")
                : "ocsp:       not stapled");
            Line(tls.ReferenceName is null
                ? "name:       not checked (an address without --servername)"
                : $"name:       {tls.ReferenceName} {Yes(tls.NameMatches == true, "is covered by the certificate", "is NOT covered by the certificate")}");
            Line(tls.DaysToExpiry < 0
                ? string.Create(CultureInfo.InvariantCulture, $"expiry:     EXPIRED {-tls.DaysToExpiry} day(s) ago ({Date(tls.Chain[0].NotAfter)})")
                : string.Create(CultureInfo.InvariantCulture, $"expiry:     {tls.DaysToExpiry} day(s) left ({Date(tls.Chain[0].NotAfter)})"));
            Line(string.Create(CultureInfo.InvariantCulture,
                $"chain:      {tls.Chain.Count} certificate(s), {Yes(tls.ChainInOrder, "in order", "OUT OF ORDER")}, {Yes(tls.ChainComplete, "complete", "INCOMPLETE")}, {Yes(tls.PkixTrusted, "trusted by the system store", "not trusted by the system store")}"));
            foreach (var c in tls.Chain)
            {
                Line(string.Create(CultureInfo.InvariantCulture, $"  [{c.Depth}] subject:   {c.Subject}"));
                Line($"      names:     {(c.Names.Count > 0 ? string.Join(", ", c.Names) : "(none)")}");
                Line($"      issuer:    {c.Issuer}{(c.SelfSigned ? " (self-signed)" : string.Empty)}");
                Line($"      key:       {c.Key}");
                Line($"      valid:     {Date(c.NotBefore)} to {Date(c.NotAfter)}");
                Line($"      sha256:    {c.Sha256Fingerprint}");
                Line($"      key sha256: {c.PublicKeySha256Fingerprint}");
            }

            if (tls.ExtensionsAfterTls.Count > 0)
            {
                Line($"ehlo (tls): {string.Join(", ", tls.ExtensionsAfterTls)}");
            }
        }

        else
        {
            Line("tls:        none");
        }

        if (report.Certificates.Count > 0)
        {
            Line("certificates (one handshake per key type):");
            var main = report.Tls is { Chain.Count: > 0 } t ? t.Chain[0].Sha256Fingerprint : null;
            foreach (var offer in report.Certificates)
            {
                var same = offer.Chain.Count > 0 && offer.Chain[0].Sha256Fingerprint == main ? " (the chain above)" : string.Empty;
                Line($"  {offer.Family,-8} {CertificateOutcomeName(offer.Outcome),-11} {offer.Detail}{same}");
                if (same.Length == 0)
                {
                    foreach (var c in offer.Chain)
                    {
                        Line(string.Create(CultureInfo.InvariantCulture, $"    [{c.Depth}] {c.Subject}, {c.Key}, sha256 {c.Sha256Fingerprint}"));
                        Line($"        key sha256 {c.PublicKeySha256Fingerprint}");
                    }
                }
            }
        }

        if (report.Protocols.Count > 0)
        {
            Line("protocols:");
            foreach (var p in report.Protocols)
            {
                Line($"  {p.Protocol,-8} {Outcome(p.Outcome),-12} {p.CipherSuite ?? p.Detail}");
            }
        }

        if (report.Ciphers.Count > 0)
        {
            Line("ciphers:");
            foreach (var group in report.Ciphers)
            {
                Line($"  {group.Protocol,-8} {Outcome(group.Outcome),-12} {group.Detail}");
                foreach (var suite in group.Suites)
                {
                    Line(string.Create(CultureInfo.InvariantCulture,
                        $"    {suite.OpenSslName,-36} {suite.Bits,3} bits{(suite.Weaknesses.Count > 0 ? "  WEAK: " + string.Join(", ", suite.Weaknesses) : string.Empty)}"));
                }
            }
        }

        if (report.Resumption is { } resumption)
        {
            Line($"resumption: {Yes(resumption.Resumed, "resumed", "not resumed")}: {resumption.Detail}");
        }

        if (report.Dane is { } dane)
        {
            Line($"dane:       {Verdict(dane.Verdict)}: a DANE client would {Yes(dane.WouldDeliver, "deliver", "NOT deliver")}");
            foreach (var m in dane.Records)
            {
                var depth = m.Depth is { } d ? string.Create(CultureInfo.InvariantCulture, $" (depth {d})") : string.Empty;
                Line($"  {Abbreviated(m.Record)}  {Outcome(m.Outcome)}{depth}");
            }
        }

        if (diagnostics.Count > 0)
        {
            writer.WriteLine();
            DiagnosticPrinter.Print(diagnostics, OutputFormat.Text, writer);
        }
    }

    public static string ToJson(ProbeReport report, DiagnosticList diagnostics)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, JsonOptions))
        {
            json.WriteStartObject();
            WriteMembers(json, report, diagnostics, report.Dane, null);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    internal static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The members of one probe report (<c>host</c> to <c>diagnostics</c>); <paramref name="dane"/> and <paramref name="wouldDeliver"/> as <c>dane</c> says them.</summary>
    internal static void WriteMembers(Utf8JsonWriter json, ProbeReport report, DiagnosticList diagnostics, DaneResult? dane, bool? wouldDeliver)
    {
        json.WriteString("host", report.Host);
        json.WriteNumber("port", report.Port);
        json.WriteString("address", report.Address);
        json.WriteString("tls_mode", report.Mode == TlsStart.Implicit ? "implicit" : "starttls");
        json.NullableString("banner", report.Banner.Length > 0 ? report.Banner : null);
        Strings(json, "ehlo", report.Extensions);
        json.WriteBoolean("starttls_offered", report.StartTlsOffered);
        if (report.Tls is { } tls)
        {
            json.WriteStartObject("tls");
            json.WriteString("protocol", tls.Protocol);
            json.WriteString("cipher", tls.CipherSuite);
            json.WriteNumber("cipher_bits", tls.CipherBits);
            json.NullableString("key_exchange", tls.KeyExchange);
            json.NullableString("server_signature", tls.ServerSignature);
            json.NullableString("server_digest", tls.ServerDigest);
            if (tls.Ocsp is { } ocsp)
            {
                json.WriteStartObject("ocsp");
                json.WriteString("response_status", ocsp.ResponseStatus);
                json.NullableString("certificate_status", ocsp.CertificateStatus);
                json.WriteNumber("length", ocsp.Length);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("ocsp");
            }

            json.NullableString("server_name", tls.ReferenceName);
            if (tls.NameMatches is { } matches)
            {
                json.WriteBoolean("name_matches", matches);
            }
            else
            {
                json.WriteNull("name_matches");
            }

            json.WriteBoolean("chain_in_order", tls.ChainInOrder);
            json.WriteBoolean("chain_complete", tls.ChainComplete);
            json.WriteBoolean("pkix_trusted", tls.PkixTrusted);
            json.WriteNumber("days_to_expiry", tls.DaysToExpiry);
            Strings(json, "ehlo", tls.ExtensionsAfterTls);
            Chain(json, tls.Chain);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("tls");
        }

        json.WriteStartArray("protocols");
        foreach (var p in report.Protocols)
        {
            json.WriteStartObject();
            json.WriteString("protocol", p.Protocol);
            json.WriteString("result", Outcome(p.Outcome));
            json.NullableString("cipher", p.CipherSuite);
            json.WriteString("detail", p.Detail);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WireMembers(json, report);
        if (dane is not null)
        {
            WriteDane(json, dane, wouldDeliver ?? dane.WouldDeliver);
        }
        else
        {
            json.WriteNull("dane");
        }

        json.WritePropertyName("diagnostics");
        using var document = JsonDocument.Parse(DiagnosticPrinter.ToJson(diagnostics));
        document.RootElement.WriteTo(json);
    }

    /// <summary><c>certificates</c>, <c>ciphers</c> and <c>resumption</c> (empty and null for a host without a session).</summary>
    internal static void WireMembers(Utf8JsonWriter json, ProbeReport? report)
    {
        json.WriteStartArray("certificates");
        foreach (var offer in report?.Certificates ?? [])
        {
            json.WriteStartObject();
            json.WriteString("family", offer.Family);
            json.WriteString("result", CertificateOutcomeName(offer.Outcome));
            json.NullableString("server_signature", offer.ServerSignature);
            json.WriteString("detail", offer.Detail);
            Chain(json, offer.Chain);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("ciphers");
        foreach (var group in report?.Ciphers ?? [])
        {
            json.WriteStartObject();
            json.WriteString("protocol", group.Protocol);
            json.WriteString("result", Outcome(group.Outcome));
            json.WriteString("detail", group.Detail);
            json.WriteStartArray("suites");
            foreach (var suite in group.Suites)
            {
                json.WriteStartObject();
                json.WriteString("name", suite.Name);
                json.WriteString("openssl_name", suite.OpenSslName);
                json.WriteNumber("bits", suite.Bits);
                Strings(json, "weak", suite.Weaknesses);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (report?.Resumption is { } resumption)
        {
            json.WriteStartObject("resumption");
            json.WriteBoolean("resumed", resumption.Resumed);
            json.WriteString("detail", resumption.Detail);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("resumption");
        }
    }

    private static void Chain(Utf8JsonWriter json, IReadOnlyList<ServedCertificate> chain)
    {
        json.WriteStartArray("chain");
        foreach (var c in chain)
        {
            json.WriteStartObject();
            json.WriteNumber("depth", c.Depth);
            json.WriteString("subject", c.Subject);
            Strings(json, "names", c.Names);
            json.WriteString("issuer", c.Issuer);
            json.WriteString("key", c.Key);
            json.WriteString("key_algorithm", c.KeyAlgorithm);
            json.WriteNumber("key_bits", c.KeyBits);
            json.WriteString("not_before", JsonDate(c.NotBefore));
            json.WriteString("not_after", JsonDate(c.NotAfter));
            json.WriteString("sha256", c.Sha256Fingerprint);
            json.WriteString("public_key_sha256", c.PublicKeySha256Fingerprint);
            json.WriteBoolean("self_signed", c.SelfSigned);
            json.WriteBoolean("ca", c.IsCa);
            json.WriteString("pem", c.Pem);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    internal static void WriteDane(Utf8JsonWriter json, DaneResult dane, bool wouldDeliver)
    {
        json.WriteStartObject("dane");
        json.WriteString("verdict", Verdict(dane.Verdict));
        json.WriteBoolean("would_deliver", wouldDeliver);
        json.WriteString("detail", dane.Detail);
        json.WriteStartArray("records");
        foreach (var m in dane.Records)
        {
            json.WriteStartObject();
            json.WriteString("record", m.Record.ToString());
            json.NullableString("owner", m.Record.OwnerName);
            json.WriteString("result", Outcome(m.Outcome));
            if (m.Depth is { } depth)
            {
                json.WriteNumber("depth", depth);
            }
            else
            {
                json.WriteNull("depth");
            }

            json.WriteString("detail", m.Detail);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    internal static string Outcome(ProtocolOutcome outcome) => outcome switch
    {
        ProtocolOutcome.Accepted => "accepted",
        ProtocolOutcome.Refused => "refused",
        ProtocolOutcome.NotTestable => "not-testable",
        _ => "failed",
    };

    internal static string CertificateOutcomeName(CertificateOutcome outcome) => outcome switch
    {
        CertificateOutcome.Served => "served",
        CertificateOutcome.NotServed => "not-served",
        _ => "failed",
    };

    internal static string Outcome(TlsaOutcome outcome) => outcome switch
    {
        TlsaOutcome.Authenticates => "authenticates",
        TlsaOutcome.MatchRejected => "match-rejected",
        TlsaOutcome.NoMatch => "no-match",
        TlsaOutcome.NotUsedForSmtp => "not-used-for-smtp",
        _ => "unusable",
    };

    internal static string Verdict(DaneVerdict verdict) => verdict switch
    {
        DaneVerdict.Authenticated => "authenticated",
        DaneVerdict.EncryptOnly => "encrypt-only",
        DaneVerdict.NotAuthenticated => "not-authenticated",
        DaneVerdict.DnsBogus => "dns-bogus",
        DaneVerdict.DnsError => "dns-error",
        DaneVerdict.ProbeFailed => "probe-failed",
        _ => "no-tls",
    };

    /// <summary>A record for the text report: <c>3 1 1 0123456789abcdef...</c>.</summary>
    internal static string Abbreviated(TlsaAssociation record)
    {
        var text = record.ToString();
        var data = text.LastIndexOf(' ') + 1;
        return text.Length - data > 16 ? text[..(data + 16)] + "..." : text;
    }

    internal static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            json.WriteStringValue(v);
        }

        json.WriteEndArray();
    }

    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string JsonDate(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
