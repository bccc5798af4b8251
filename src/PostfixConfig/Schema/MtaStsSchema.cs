using System.Text.Json;

namespace PostfixConfig.Schema;

/// <summary>The JSON Schema of the MTA-STS sections, <c>mta_sts</c> and <c>publish</c> (part of <see cref="ConfigSchemaWriter"/>'s output).</summary>
internal static class MtaStsSchema
{
    /// <summary>Writes the two properties of the root object.</summary>
    public static void Write(Utf8JsonWriter w)
    {
        MtaSts(w);
        Publish(w);
    }

    private static void MtaSts(Utf8JsonWriter w)
    {
        w.WriteStartObject("mta_sts");
        w.WriteString("description",
            "The MTA-STS policy resolver the SMTP client asks: render appends its socketmap, with the map name the resolver and the release need, to smtp_tls_policy_maps after the site's own table.");
        Types(w, "object", "null");
        w.WriteBoolean("additionalProperties", false);
        Required(w, "resolver", "address");
        w.WriteStartObject("properties");
        w.WriteStartObject("resolver");
        w.WriteString("description", "postfix-mta-sts-resolver (Debian's package, mta-sts-daemon, default inet:127.0.0.1:8461) or postfix-tlspol (default inet:127.0.0.1:8642).");
        Strings(w, "enum", "postfix-mta-sts-resolver", "postfix-tlspol");
        w.WriteEndObject();
        w.WriteStartObject("address");
        w.WriteString("description", "Where the resolver listens: inet:HOST:PORT or unix:PATH.");
        w.WriteString("type", "string");
        w.WriteString("pattern", "^(inet:(\\[[^\\]]+\\]|[^:\\s\\[]+|[0-9A-Fa-f:]+):[A-Za-z0-9-]+|(unix|local):\\S+)$");
        Strings(w, "examples", "inet:127.0.0.1:8461", "inet:127.0.0.1:8642", "unix:/run/postfix-tlspol/tlspol.sock");
        w.WriteEndObject();
        Boolean(w, "require_sni", "postfix-mta-sts-resolver only: whether its zone answers with servername=hostname (its require_sni, default yes), which Postfix before 3.4 rejects.");
        Boolean(w, "tlsrpt", "postfix-mta-sts-resolver only: whether it sends the TLSRPT policy attributes (its tlsrpt option, 1.5.0 and later), which Postfix before 3.10 rejects.");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Publish(Utf8JsonWriter w)
    {
        w.WriteStartObject("publish");
        w.WriteString("description",
            "What the domain publishes for inbound TLS: render writes mta-sts.txt (the MTA-STS policy, RFC 8461) and dns-records.zone (_mta-sts and _smtp._tls TXT records, and the mail host's TLSA records).");
        Types(w, "object", "null");
        w.WriteBoolean("additionalProperties", false);
        Required(w, "domain");
        w.WriteStartObject("properties");
        w.WriteStartObject("domain");
        w.WriteString("description", "The mail domain (example.com).");
        w.WriteString("type", "string");
        w.WriteString("pattern", HostPattern);
        w.WriteEndObject();

        w.WriteStartObject("mta_sts");
        w.WriteString("description", "The MTA-STS policy: mode, the MX host patterns senders may deliver to, and how long they may cache it.");
        Types(w, "object", "null");
        w.WriteBoolean("additionalProperties", false);
        Required(w, "mode");
        w.WriteStartObject("properties");
        w.WriteStartObject("mode");
        w.WriteString("description", "enforce, testing (start here) or none (withdraws a policy).");
        Strings(w, "enum", "enforce", "testing", "none");
        w.WriteEndObject();
        w.WriteStartObject("mx");
        w.WriteString("description", "MX host patterns: mail.example.com, or *.example.net for one label under example.net. At least one unless the mode is none.");
        OneOrList(w, "^(\\*\\.)?" + HostPattern[1..]);
        w.WriteEndObject();
        w.WriteStartObject("max_age");
        w.WriteString("description", "Seconds senders may cache the policy: 0 to 31557600 (default 604800, one week).");
        w.WriteString("type", "integer");
        w.WriteNumber("minimum", 0);
        w.WriteNumber("maximum", MtaStsPolicy.MaxMaxAge);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartObject("tlsrpt");
        w.WriteString("description", "Where TLSRPT reports go (the _smtp._tls record).");
        Types(w, "object", "null");
        w.WriteBoolean("additionalProperties", false);
        Required(w, "rua");
        w.WriteStartObject("properties");
        w.WriteStartObject("rua");
        w.WriteString("description", "Report URIs: mailto:ADDRESS or https://HOST/PATH (commas and semicolons percent-encoded).");
        OneOrList(w, "^(mailto:[^@\\s,;]+@[^@\\s,;]+|https://[^\\s,;]+)$");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>A domain name of at least two labels, no trailing dot.</summary>
    private const string HostPattern = "^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$";

    private static void OneOrList(Utf8JsonWriter w, string pattern)
    {
        w.WriteStartArray("anyOf");
        w.WriteStartObject();
        w.WriteString("type", "null");
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("type", "string");
        w.WriteString("pattern", pattern);
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("type", "array");
        w.WriteStartObject("items");
        w.WriteString("type", "string");
        w.WriteString("pattern", pattern);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void Boolean(Utf8JsonWriter w, string name, string description)
    {
        w.WriteStartObject(name);
        w.WriteString("description", description);
        w.WriteString("$ref", "#/$defs/boolean");
        w.WriteEndObject();
    }

    private static void Required(Utf8JsonWriter w, params string[] names) => Strings(w, "required", names);

    private static void Types(Utf8JsonWriter w, params string[] types) => Strings(w, "type", types);

    private static void Strings(Utf8JsonWriter w, string name, params string[] values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }
}
