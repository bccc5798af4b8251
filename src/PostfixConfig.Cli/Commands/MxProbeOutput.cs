using System.Globalization;
using System.Text;
using System.Text.Json;
using PostfixConfig.Dns;
using PostfixConfig.Probe;

namespace PostfixConfig.Cli.Commands;

/// <summary>
/// The output of <c>probe DOMAIN --mx --dane</c> (and <c>probe HOST --dane</c>): one block per MX
/// host in text, or one JSON object (<c>domain</c>, <c>dnssec</c>, <c>resolver</c>, <c>mx</c>: per MX
/// host the members of a probe report plus its DNSSEC statuses), described by
/// <c>schema/probe-report.schema.json</c>.
/// </summary>
internal static class MxProbeOutput
{
    public static void WriteText(MxProbeReport report, TextWriter writer)
    {
        void Line(string text) => writer.WriteLine(CliApp.OneLine(text));
        Line(report.Dnssec is { } mx
            ? string.Create(CultureInfo.InvariantCulture, $"domain:     {report.Domain}: {report.Hosts.Count} MX host(s), MX lookup {Status(mx)} (resolver {report.Resolver})")
            : $"host:       {report.Domain} as the MX host (resolver {report.Resolver})");
        foreach (var h in report.Hosts)
        {
            writer.WriteLine();
            var preference = h.Preference is { } p ? string.Create(CultureInfo.InvariantCulture, $"{p} ") : string.Empty;
            Line($"mx {preference}{h.Host}{(h.Address is null ? string.Empty : $" ({h.Address})")}: {ProbeOutput.Verdict(h.Dane.Verdict)}, DNSSEC {Status(h.Dnssec)}");
            Line(h.AddressDnssec is { } a ? $"  address:  DNSSEC {Status(a)}" : "  address:  not looked up, or the lookup failed");
            Line(h.TlsaDnssec is { } t
                ? string.Create(CultureInfo.InvariantCulture, $"  tlsa:     {h.Tlsa.Count} record(s), DNSSEC {Status(t)}")
                : "  tlsa:     not looked up");
            foreach (var r in h.Tlsa)
            {
                Line($"    {r}");
            }

            if (h.Probe?.Tls is { } tls)
            {
                Line($"  tls:      {tls.Protocol}, {tls.CipherSuite}, server key sha256 {tls.Chain[0].PublicKeySha256Fingerprint}");
            }
            else if (h.Probe is not null)
            {
                Line("  tls:      none (no STARTTLS)");
            }

            foreach (var m in h.Dane.Records)
            {
                // An unusable record (an undefined usage, a digest of the wrong length) is ignored, as Postfix drops it; the line says why.
                Line($"  {ProbeOutput.Abbreviated(m.Record)}  {ProbeOutput.Outcome(m.Outcome)}{(m.Outcome is TlsaOutcome.Unusable or TlsaOutcome.NotUsedForSmtp ? $": {m.Detail}" : string.Empty)}");
            }

            Line($"  verdict:  {ProbeOutput.Verdict(h.Dane.Verdict)}: Postfix would {(h.WouldDeliver ? "deliver" : "NOT deliver")}. {h.Dane.Detail}");
        }
    }

    public static string ToJson(MxProbeReport report)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, ProbeOutput.JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("domain", report.Domain);
            NullableStatus(json, "dnssec", report.Dnssec);
            json.WriteString("resolver", report.Resolver);
            json.WriteBoolean("all_receive_with_tls", report.AllReceiveWithTls);
            json.WriteStartArray("mx");
            foreach (var h in report.Hosts)
            {
                json.WriteStartObject();
                if (h.Probe is { } probe)
                {
                    ProbeOutput.WriteMembers(json, probe, h.Diagnostics, h.Dane, h.WouldDeliver);
                }
                else
                {
                    // No session: the same members, empty.
                    json.WriteString("host", h.Host);
                    json.WriteNumber("port", report.Port);
                    json.NullableString("address", h.Address);
                    json.WriteNull("tls_mode");
                    json.WriteNull("banner");
                    ProbeOutput.Strings(json, "ehlo", []);
                    json.WriteBoolean("starttls_offered", false);
                    json.WriteNull("tls");
                    ProbeOutput.Strings(json, "protocols", []);
                    ProbeOutput.WireMembers(json, null);
                    ProbeOutput.WriteDane(json, h.Dane, h.WouldDeliver);
                    json.WritePropertyName("diagnostics");
                    using var document = JsonDocument.Parse(DiagnosticPrinter.ToJson(h.Diagnostics));
                    document.RootElement.WriteTo(json);
                }

                if (h.Preference is { } preference)
                {
                    json.WriteNumber("preference", preference);
                }
                else
                {
                    json.WriteNull("preference");
                }

                NullableStatus(json, "dnssec", h.Dnssec);
                NullableStatus(json, "address_dnssec", h.AddressDnssec);
                NullableStatus(json, "tlsa_dnssec", h.TlsaDnssec);
                ProbeOutput.Strings(json, "tlsa", h.Tlsa.Select(t => t.ToString()));
                json.NullableString("error", h.Error);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>0 when every MX host would receive mail over TLS as DANE intends, else 1.</summary>
    public static int ExitCode(MxProbeReport report) => report.AllReceiveWithTls ? CliApp.Ok : CliApp.Invalid;

    internal static string Status(DnssecStatus? status) => status switch
    {
        DnssecStatus.Secure => "secure",
        DnssecStatus.Insecure => "insecure",
        DnssecStatus.Bogus => "bogus",
        _ => "unknown (the lookup failed)",
    };

    private static void NullableStatus(Utf8JsonWriter json, string name, DnssecStatus? status)
    {
        if (status is { } s)
        {
            json.WriteString(name, Status(s));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
