using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PostfixConfig.Status;

/// <summary>
/// <see cref="TlsStatus"/> as text (one line per listener, one for the client) and as JSON in the shape
/// of <c>schema/tls-status.schema.json</c>: <c>{"inbound": [{"service", "port", "tls", ...}], "outbound": {"level", ...}}</c>.
/// </summary>
internal static class TlsStatusWriter
{
    /// <summary>The word for <paramref name="tls"/> in text and JSON.</summary>
    public static string Word(InboundTls tls) => tls switch
    {
        InboundTls.Offered => "offered",
        InboundTls.Required => "required",
        InboundTls.Implicit => "implicit",
        _ => "off",
    };

    /// <summary>One line about a listener (also lint's info line).</summary>
    public static string Line(InboundListener l)
    {
        var port = l.Port is { } p ? $"port {p.ToString(CultureInfo.InvariantCulture)}" : l.Type == "inet" ? "port unknown" : "unix-domain socket";
        var sb = new StringBuilder($"Inbound {l.Service} ({port}, {l.Program}): TLS {Word(l.Tls)}. {l.Reason} Certificate: {Certificate(l.Certificate)}.");
        if (l.ProtocolFloor is { } floor)
        {
            sb.Append(CultureInfo.InvariantCulture, $" Protocols from {floor}.");
        }

        return sb.ToString();
    }

    /// <summary>One line about the SMTP client (also lint's info line).</summary>
    public static string Line(OutboundStatus o)
    {
        var sb = new StringBuilder($"Outbound (SMTP client): level {o.Level.Value}. {o.Reason}");
        sb.Append(o.DaneUsed ? $" DANE: {(o.DaneComplete ? "complete" : "incomplete")} (smtp_dns_support_level = {Or(o.DnsSupportLevel)})." : " DANE: not used.");
        sb.Append(o.PolicyTable is { } t
            ? $" Policy table: {t.Type}:{t.Name}{(t.Entries is { } n ? $" ({n.ToString(CultureInfo.InvariantCulture)} entries)" : string.Empty)}."
            : " Policy table: none.");
        sb.Append(o.SessionCache is { } c ? $" Session cache: {c}." : " Session cache: off.");
        if (o.ProtocolFloor is { } floor)
        {
            sb.Append(CultureInfo.InvariantCulture, $" Protocols from {floor}.");
        }

        if (o.DnssecValidation is { } check)
        {
            sb.Append(OutboundDnssecCheck.Sentence(o, check));
        }

        return sb.ToString();
    }

    public static string Text(TlsStatus status)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"TLS status of {status.MainCfPath ?? "main.cf"} for Postfix {status.Release}");
        sb.Append(status.MasterCfPath is null ? " (no master.cf beside it: the stock smtp listener is assumed)\n" : $" and {status.MasterCfPath}\n");
        foreach (var l in status.Inbound)
        {
            sb.Append(Line(l)).Append('\n');
        }

        sb.Append(Line(status.Outbound)).Append('\n');
        return sb.ToString();
    }

    public static string Json(TlsStatus status)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("release", status.Release.ToString());
            w.WriteString("main_cf", status.MainCfPath);
            w.WriteString("master_cf", status.MasterCfPath);
            w.WriteStartArray("inbound");
            foreach (var l in status.Inbound)
            {
                w.WriteStartObject();
                w.WriteString("service", l.Service);
                if (l.Port is { } port)
                {
                    w.WriteNumber("port", port);
                }
                else
                {
                    w.WriteNull("port");
                }

                w.WriteString("tls", Word(l.Tls));
                w.WriteString("type", l.Type);
                w.WriteString("program", l.Program);
                w.WriteNumber("line", l.Line);
                w.WriteString("level", l.Level.Value);
                Source(w, "level_set", l.Level);
                w.WriteBoolean("wrappermode", l.WrapperMode is not null);
                w.WriteString("reason", l.Reason);
                w.WriteStartObject("certificate");
                w.WriteString("kind", l.Certificate.Kind switch
                {
                    CertificateKind.Missing => "missing",
                    CertificateKind.Snakeoil => "snakeoil",
                    CertificateKind.SelfSigned => "self-signed",
                    _ => "files",
                });
                w.WriteStartArray("files");
                foreach (var f in l.Certificate.Files)
                {
                    w.WriteStringValue(f);
                }

                w.WriteEndArray();
                w.WriteString("issuer", l.Certificate.Issuer);
                w.WriteString("not_after", l.Certificate.NotAfter?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                w.WriteString("problem", l.Certificate.Problem);
                w.WriteEndObject();
                w.WriteString("protocol_floor", l.ProtocolFloor);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            var o = status.Outbound;
            w.WriteStartObject("outbound");
            w.WriteString("level", o.Level.Value);
            Source(w, "level_set", o.Level);
            w.WriteString("reason", o.Reason);
            w.WriteStartObject("dane");
            w.WriteBoolean("used", o.DaneUsed);
            w.WriteBoolean("complete", o.DaneComplete);
            w.WriteString("dns_support_level", o.DnsSupportLevel);
            w.WriteEndObject();
            if (o.PolicyTable is { } t)
            {
                w.WriteStartObject("policy_table");
                w.WriteString("type", t.Type);
                w.WriteString("name", t.Name);
                if (t.Entries is { } n)
                {
                    w.WriteNumber("entries", n);
                }
                else
                {
                    w.WriteNull("entries");
                }

                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("policy_table");
            }

            w.WriteString("session_cache", o.SessionCache);
            w.WriteString("protocol_floor", o.ProtocolFloor);
            if (o.DnssecValidation is { } check)
            {
                w.WriteStartObject("dnssec_validation");
                w.WriteString("probe", check.Probe);
                w.WriteString("resolver", check.Resolver);
                w.WriteBoolean("answered", check.Answered);
                w.WriteBoolean("validates", check.Validates);
                w.WriteString("dane", OutboundDnssecCheck.DaneWord(check));
                w.WriteString("detail", check.Detail);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("dnssec_validation");
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void Source(Utf8JsonWriter w, string name, SettingSource s)
    {
        w.WriteStartObject(name);
        w.WriteString("parameter", s.Parameter);
        w.WriteString("origin", s.Origin switch
        {
            SettingOrigin.MainCf => "main.cf",
            SettingOrigin.MasterCf => "master.cf",
            _ => "default",
        });
        w.WriteString("file", s.Span?.File);
        if (s.Span is { } span)
        {
            w.WriteNumber("line", span.Line);
            w.WriteNumber("column", span.Column);
        }
        else
        {
            w.WriteNull("line");
            w.WriteNull("column");
        }

        w.WriteEndObject();
    }

    private static string Certificate(ServedCertificate c)
    {
        var what = c.Kind switch
        {
            CertificateKind.Missing => "none",
            CertificateKind.Snakeoil => $"Debian's snakeoil pair (self-signed; {string.Join(", ", c.Files)})",
            CertificateKind.SelfSigned => $"self-signed ({string.Join(", ", c.Files)})",
            _ => string.Join(", ", c.Files),
        };
        if (c.Issuer is { } issuer)
        {
            what += $", issued by {issuer}, expires {c.NotAfter?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        }
        else if (c.Problem is { } problem)
        {
            what += $" (not read: {problem})";
        }

        return what;
    }

    private static string Or(string value) => value.Length == 0 ? "(default)" : value;
}
