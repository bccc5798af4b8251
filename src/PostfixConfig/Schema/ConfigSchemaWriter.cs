using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PostfixConfig.Catalog;
using PostfixConfig.Validation.Rules;

namespace PostfixConfig.Schema;

/// <summary>
/// Writes the JSON Schema (draft 2020-12) of the YAML configuration for one Postfix release,
/// generated from the parameter catalog and the release thresholds, for editors (the YAML language
/// server) and other tools. It is generated, never hand-edited: <c>schema/postfix-config.schema.json</c>
/// is this output for the newest stable release, and a test fails when that file is stale.
/// </summary>
/// <remarks>
/// <para>The schema accepts what <c>validate</c> accepts without an error and rejects what it rejects
/// for names, words and shapes: parameter names that the release does not know yet or never knew
/// (warnings such as "deprecated" or "removed" become <c>deprecated: true</c>), enumeration words
/// the release does not accept, booleans other than yes and no, policy levels and attributes.
/// Values containing <c>$</c> are expanded by Postfix, so they are not checked by kind. What it
/// cannot express (user-defined parameters that a <c>$name</c> elsewhere refers to, rules that join
/// several settings) stays with <c>validate</c>.</para>
/// <para>Written with <see cref="Utf8JsonWriter"/> (no reflection), in a fixed order, with LF line ends.</para>
/// </remarks>
internal static class ConfigSchemaWriter
{
    private const string Expansion = "#/$defs/expansion";

    /// <summary>The schema for <paramref name="release"/> (a concrete release the catalog knows, see <see cref="PostfixReleases.Resolve"/>).</summary>
    public static string Write(ParameterCatalog catalog, PostfixVersion release)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            new Generator(catalog, release, w).Root();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private sealed class Generator(ParameterCatalog catalog, PostfixVersion release, Utf8JsonWriter w)
    {
        private readonly string _label = release.IsSnapshot || release == release.Line ? $"Postfix {release}" : $"Postfix {release.Line} ({release})";

        public void Root()
        {
            w.WriteStartObject();
            w.WriteString("$schema", "https://json-schema.org/draft/2020-12/schema");
            w.WriteString("title", $"postfix-config configuration for {_label}");
            w.WriteString("description",
                $"The YAML configuration that postfix-config validates and renders, for {_label}. Generated from postfix-config's parameter catalog by 'postfix-config schema"
                + $" --postfix-version {release}'; do not edit. 'postfix-config validate' checks more than a schema can (rules that join several settings, files).");
            w.WriteString("type", "object");
            w.WriteBoolean("additionalProperties", false);
            w.WriteStartObject("properties");
            PostfixVersionProperty();
            w.WriteStartObject("profile");
            w.WriteString("description", "A preset of TLS settings: modern, intermediate or old. Settings in main and services override it.");
            WriteStrings("enum", ProfileCatalog.ProfileNames);
            w.WriteEndObject();
            w.WriteStartObject("openssl_version");
            w.WriteString("description", "The OpenSSL release Postfix is linked with on the mail host (openssl version), such as \"3.0\" or \"1.1.1\"; write it as a quoted string.");
            w.WriteString("type", "string");
            w.WriteString("pattern", "^[0-9]+\\.[0-9]+(\\.[0-9]+[a-z]*)?$");
            WriteStrings("examples", ["3.0", "1.1.1"]);
            w.WriteEndObject();
            w.WriteStartObject("main");
            w.WriteString("description", "main.cf parameters by their Postfix names. A YAML list renders as a Postfix list, true/false as yes/no, an empty value as an explicitly empty setting.");
            w.WriteString("$ref", "#/$defs/parameters");
            w.WriteEndObject();
            Services();
            TlsPolicy();
            Sni();
            w.WriteStartObject("used_by_master_cf");
            w.WriteString("description", "main.cf parameters of your own that only master.cf's -o options refer to (-o smtpd_sender_restrictions=$mua_sender_restrictions), so that they count as used as postconf counts them; import writes it. Nothing is rendered for it.");
            w.WriteString("type", "array");
            w.WriteStartObject("items");
            w.WriteString("type", "string");
            w.WriteString("pattern", "^[A-Za-z0-9_]+$");
            w.WriteEndObject();
            w.WriteEndObject();
            MtaStsSchema.Write(w);
            w.WriteEndObject();
            Definitions();
            w.WriteEndObject();
        }

        private void PostfixVersionProperty()
        {
            w.WriteStartObject("postfix_version");
            w.WriteString("description",
                $"The Postfix release the output is for: X.Y (the newest patch release of that line) or X.Y.Z, from {catalog.Releases.Oldest} to {catalog.Releases.Newest[^1].Line}. "
                + "Write it as a quoted string: unquoted, 3.10 is the number 3.1.");
            w.WriteString("type", "string");
            var lines = string.Join("|", catalog.Releases.Lines.Select(l => l.ToString().Replace(".", "\\.", StringComparison.Ordinal)));
            var snapshots = string.Join("|", catalog.Releases.Provisional.Order().Select(v => v.ToString().Replace(".", "\\.", StringComparison.Ordinal)));
            w.WriteString("pattern", snapshots.Length == 0 ? $"^(?:{lines})(?:\\.[0-9]{{1,4}})?$" : $"^(?:(?:{lines})(?:\\.[0-9]{{1,4}})?|{snapshots})$");
            WriteStrings("examples", catalog.Releases.Lines.Reverse().Select(l => l.ToString()));
            w.WriteEndObject();
        }

        private void Services()
        {
            w.WriteStartObject("services");
            w.WriteString("description",
                "Settings for master.cf services, written as -o overrides: each service is empty or maps parameter names to values, as main does, plus listen (the master.cf service name to listen on, such as 127.0.0.1:587).");
            WriteStrings("type", ["object", "null"]);
            w.WriteBoolean("additionalProperties", false);
            w.WriteStartObject("properties");
            foreach (var service in ProfileCatalog.Default.Services)
            {
                w.WriteStartObject(service.Name);
                w.WriteString("description", service.Role switch
                {
                    ServiceRole.Port25 => $"The {service.Name} service (port {service.Port}): mail from other servers, where TLS stays opportunistic (RFC 3207).",
                    ServiceRole.Submission => $"The {service.Name} service (port {service.Port}, STARTTLS): mail from your own users.",
                    _ => $"The {service.Name} service (port {service.Port}, TLS from the start): mail from your own users.",
                });
                WriteStrings("type", ["object", "null"]);
                w.WriteString("$ref", "#/$defs/parameterSet");
                w.WriteStartObject("properties");
                w.WriteStartObject("listen");
                w.WriteString("description", "The master.cf service name to listen on instead of the service's own ([address:]port, such as 127.0.0.1:587).");
                w.WriteString("type", "string");
                w.WriteNumber("minLength", 1);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteBoolean("unevaluatedProperties", false);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        private void TlsPolicy()
        {
            w.WriteStartObject("tls_policy");
            w.WriteString("description",
                "The entries of the TLS policy table that smtp_tls_policy_maps names: a destination (example.com, .example.com, [host], [host]:port) maps to a level or to a mapping with level and attributes.");
            WriteStrings("type", ["object", "null"]);
            w.WriteStartObject("propertyNames");
            w.WriteString("pattern", DestinationPattern);
            w.WriteEndObject();
            w.WriteStartObject("additionalProperties");
            w.WriteString("$ref", "#/$defs/policyEntry");
            w.WriteEndObject();
            w.WriteEndObject();
        }

        private void Sni()
        {
            w.WriteStartObject("sni");
            w.WriteString("description",
                "Server certificates by the name clients ask for (SNI, tls_server_sni_maps, Postfix 3.4 and later): a host name or .domain maps to the key file first, then the certificate chain file(s).");
            WriteStrings("type", ["object", "null"]);
            w.WriteStartObject("propertyNames");
            w.WriteString("pattern", "^\\.?[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})?(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})?)*$");
            w.WriteEndObject();
            w.WriteStartObject("additionalProperties");
            w.WriteStartArray("anyOf");
            w.WriteStartObject();
            w.WriteString("description", "The files in order: the private key first, then the certificate chain (or one file that holds both).");
            w.WriteString("type", "array");
            w.WriteNumber("minItems", 1);
            w.WriteStartObject("items");
            w.WriteString("type", "string");
            w.WriteNumber("minLength", 1);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteString("description", "One file that holds the private key and then the certificate chain.");
            w.WriteString("type", "string");
            w.WriteNumber("minLength", 1);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        private void Definitions()
        {
            w.WriteStartObject("$defs");
            Parameters();
            w.WriteStartObject("scalar");
            w.WriteString("description", "One value (text, a number, true/false for yes/no, or empty).");
            WriteStrings("type", ["string", "number", "boolean", "null"]);
            w.WriteEndObject();
            w.WriteStartObject("value");
            w.WriteString("description", "One value, or a list that renders as a Postfix list.");
            w.WriteStartArray("anyOf");
            Ref("#/$defs/scalar");
            w.WriteStartObject();
            w.WriteString("type", "array");
            w.WriteStartObject("items");
            w.WriteString("$ref", "#/$defs/scalar");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("expansion");
            w.WriteString("description", "Text with a $name or ${name...} expression, which Postfix expands at run time.");
            w.WriteString("type", "string");
            w.WriteString("pattern", "\\$");
            w.WriteEndObject();
            w.WriteStartObject("boolean");
            w.WriteStartArray("anyOf");
            w.WriteStartObject();
            w.WriteStartArray("enum");
            w.WriteStringValue("yes");
            w.WriteStringValue("no");
            w.WriteBooleanValue(true);
            w.WriteBooleanValue(false);
            w.WriteEndArray();
            w.WriteEndObject();
            Pattern(AnyCase(["yes", "no"]));
            Ref(Expansion);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("integer");
            w.WriteStartArray("anyOf");
            w.WriteStartObject();
            w.WriteString("type", "integer");
            w.WriteEndObject();
            Pattern("^\\s*[+-]?[0-9]+\\s*$");
            Ref(Expansion);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("time");
            w.WriteString("description", "A time: a number with an optional unit s, m, h, d or w.");
            w.WriteStartArray("anyOf");
            w.WriteStartObject();
            w.WriteString("type", "integer");
            w.WriteNumber("minimum", 0);
            w.WriteEndObject();
            Pattern("^\\s*[0-9]{1,12}[SsMmHhDdWw]?\\s*$");
            Ref(Expansion);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("list");
            w.WriteString("description", "A list: one text (items separated as Postfix reads them) or a YAML list of texts.");
            w.WriteStartArray("anyOf");
            w.WriteStartObject();
            w.WriteString("type", "string");
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteString("type", "array");
            w.WriteStartObject("items");
            w.WriteString("type", "string");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            PolicyDefinitions();
            w.WriteEndObject();
        }

        /// <summary>
        /// The parameters of main (and of each service): every name the catalog knows that this
        /// release does not reject, per-service names by pattern, nothing else.
        /// </summary>
        private void Parameters()
        {
            w.WriteStartObject("parameters");
            w.WriteString("description", "main.cf parameters by their Postfix names.");
            WriteStrings("type", ["object", "null"]);
            w.WriteString("$ref", "#/$defs/parameterSet");
            w.WriteBoolean("unevaluatedProperties", false);
            w.WriteEndObject();

            // The names and their values, without closing the set: services add listen to it.
            w.WriteStartObject("parameterSet");
            w.WriteStartObject("properties");
            var names = new SortedDictionary<string, (PostfixVersion Since, PostfixVersion? Removed)?>(StringComparer.Ordinal);
            foreach (var p in catalog.Parameters)
            {
                names[p.Name] = null;
            }

            foreach (var (name, since, removed) in catalog.NamedParameters)
            {
                names.TryAdd(name, (since, removed));
            }

            foreach (var (name, range) in names)
            {
                if (range is { } r)
                {
                    NamedParameter(name, r.Since, r.Removed);
                }
                else if (catalog.Find(name) is { } p && p.Since.IsSatisfiedBy(release))
                {
                    DetailedParameter(p);
                }
            }

            w.WriteEndObject();
            w.WriteStartObject("patternProperties");
            var suffixes = ServiceParameters.SuffixesIn(catalog, release).ToList();
            if (suffixes.Count > 0)
            {
                w.WriteStartObject($"^[A-Za-z0-9_]+(?:{string.Join("|", suffixes)})$");
                w.WriteString("description",
                    "A per-service setting (SERVICE_destination_concurrency_limit, SERVICE_time_limit, ...): it takes effect only when master.cf defines that service with a program that reads it.");
                w.WriteString("$ref", "#/$defs/value");
                w.WriteEndObject();
            }

            w.WriteStartObject("^mua_[A-Za-z0-9_]+$");
            w.WriteString("description",
                "A parameter of your own for master.cf -o options to refer to ($mua_client_restrictions), as Postfix's stock master.cf names them. The schema cannot see references: validate reports one that nothing refers to as an unknown parameter.");
            w.WriteString("$ref", "#/$defs/value");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        private void NamedParameter(string name, PostfixVersion since, PostfixVersion? removed)
        {
            var known = catalog.IsKnownName(name, release);
            w.WriteStartObject(name);
            if (known)
            {
                w.WriteString("description", $"A Postfix parameter outside the TLS catalog (postconf -d lists it from {since}); passed through as text. See postconf(5).");
            }
            else
            {
                var why = removed is { } gone && release.Line >= gone ? $"removed in {gone}" : $"it exists from {since}";
                w.WriteString("description", $"Not a parameter of {_label} ({why}); postconf would report it as unused.");
                Deprecated($"Not a parameter of {_label} ({why}).");
            }

            w.WriteString("$ref", "#/$defs/value");
            w.WriteEndObject();
        }

        private void DetailedParameter(ParameterInfo p)
        {
            w.WriteStartObject(p.Name);
            var text = new StringBuilder(p.Description);
            text.Append(CultureInfo.InvariantCulture, $" Postfix {p.Since.Describe()} and later.");
            string? deprecated = null;
            var instead = p.Replacements.IsEmpty ? string.Empty : $" Use {string.Join(" or ", p.Replacements)} instead.";
            if (p.Removed is { } removed && removed.IsSatisfiedBy(release))
            {
                deprecated = $"Removed in Postfix {removed.Describe()}: {_label} does not read it.{instead}";
            }
            else if (p.IsObsoleteIn(release))
            {
                deprecated = $"No effect from Postfix {p.Obsolete!.Describe()}.{instead}";
            }
            else if (p.IsDeprecatedIn(release))
            {
                deprecated = $"Deprecated since Postfix {p.Deprecated!.Describe()}.{instead}";
            }
            else if (p.Deprecated is { } later)
            {
                text.Append(CultureInfo.InvariantCulture, $" Deprecated from Postfix {later.Describe()}.");
            }

            if (deprecated is not null)
            {
                text.Append(' ').Append(deprecated);
            }

            if (p.DefaultIn(release) is { } value)
            {
                text.Append(CultureInfo.InvariantCulture, $" Default in {_label}: {(value.Length == 0 ? "(empty)" : value)}.");
            }

            w.WriteString("description", text.ToString());
            if (deprecated is not null)
            {
                Deprecated(deprecated);
            }

            ValueOf(p);
            w.WriteEndObject();
        }

        /// <summary>The value's shape by the parameter's kind (inside the property's object).</summary>
        private void ValueOf(ParameterInfo p)
        {
            switch (p.Kind)
            {
                case ParameterKind.Boolean:
                    w.WriteString("$ref", "#/$defs/boolean");
                    break;
                case ParameterKind.Integer when p.Name.EndsWith("_tls_loglevel", StringComparison.Ordinal) && Thresholds.LoglevelNames.IsSatisfiedBy(release):
                    // From 2.9 level names (0-4, routine, debug, ...) in one value; an unknown name is a warning.
                    w.WriteString("$ref", "#/$defs/scalar");
                    break;
                case ParameterKind.Integer:
                    w.WriteString("$ref", "#/$defs/integer");
                    break;
                case ParameterKind.Time:
                    w.WriteString("$ref", "#/$defs/time");
                    break;
                case ParameterKind.Enum or ParameterKind.CipherGrade:
                    var words = p.ValuesIn(release).ToList();
                    var accepted = ServerTlsRules.IsServerLevel(p.Name) && catalog.Find("smtp_tls_security_level") is { } client
                        ? words.Concat(client.ValuesIn(release).Where(v => ServerTlsRules.LevelsActingAsEncrypt.Contains(v, StringComparer.Ordinal))).ToList()
                        : words;
                    var empty = p.Kind == ParameterKind.Enum || p.DefaultIn(release) is not { Length: > 0 };
                    Words(words, accepted, empty, expansion: true);
                    break;
                case ParameterKind.Digest:
                    w.WriteStartArray("anyOf");
                    w.WriteStartObject();
                    EnumOf(p.ValuesIn(release), empty: true);
                    w.WriteEndObject();
                    Pattern("^\\s*[A-Za-z0-9/_-]{1,32}\\s*$");
                    Ref(Expansion);
                    w.WriteEndArray();
                    break;
                case ParameterKind.File or ParameterKind.MapReference:
                    w.WriteString("$ref", "#/$defs/scalar");
                    break;
                default:
                    w.WriteString("$ref", "#/$defs/value");
                    break;
            }
        }

        /// <summary>
        /// One of <paramref name="words"/> (offered for completion), any letter case of <paramref name="accepted"/>,
        /// and, when asked, an empty value and a <c>$</c> expression.
        /// </summary>
        private void Words(IReadOnlyList<string> words, IReadOnlyList<string> accepted, bool empty, bool expansion)
        {
            w.WriteStartArray("anyOf");
            w.WriteStartObject();
            EnumOf(words, empty);
            w.WriteEndObject();
            Pattern(AnyCase(accepted));
            if (expansion)
            {
                Ref(Expansion);
            }

            w.WriteEndArray();
        }

        private void EnumOf(IEnumerable<string> words, bool empty)
        {
            w.WriteStartArray("enum");
            foreach (var word in words)
            {
                w.WriteStringValue(word);
            }

            if (empty)
            {
                w.WriteStringValue(string.Empty);
                w.WriteNullValue();
            }

            w.WriteEndArray();
        }

        private void PolicyDefinitions()
        {
            var levels = catalog.Find("smtp_tls_security_level")?.ValuesIn(release).ToList() ?? [];
            w.WriteStartObject("policyLevel");
            w.WriteString("description", $"The security level for the destination: {string.Join(", ", levels)}.");
            if (levels.Count > 0)
            {
                Words(levels, levels, empty: false, expansion: false);
            }
            else
            {
                w.WriteString("type", "string");
            }

            w.WriteEndObject();

            w.WriteStartObject("policyEntry");
            w.WriteStartArray("anyOf");
            Ref("#/$defs/policyLevel");
            Ref("#/$defs/policyAttributes");
            w.WriteEndArray();
            w.WriteEndObject();

            var strict = Thresholds.PolicyStrictAttributes.IsSatisfiedBy(release);
            var known = Thresholds.PolicyAttributes.Where(a => a.Since.IsSatisfiedBy(release)).Select(a => a.Name).ToList();
            w.WriteStartObject("policyAttributes");
            w.WriteString("description", $"A level and the attributes {_label} knows: {string.Join(", ", known)}.");
            w.WriteString("type", "object");
            WriteStrings("required", ["level"]);
            w.WriteStartObject("properties");
            w.WriteStartObject("level");
            w.WriteString("$ref", "#/$defs/policyLevel");
            w.WriteEndObject();
            var grades = catalog.Find("smtp_tls_mandatory_ciphers")?.ValuesIn(release).ToList() ?? [];
            foreach (var (name, since) in Thresholds.PolicyAttributes)
            {
                if (!since.IsSatisfiedBy(release))
                {
                    continue;
                }

                w.WriteStartObject(name);
                w.WriteString("description", AttributeDescription(name) + $" Postfix {since.Describe()} and later.");
                switch (name)
                {
                    case "ciphers":
                        Words(grades, grades, empty: false, expansion: false);
                        break;
                    case "connection_reuse" or "enable_rpk":
                        w.WriteString("$ref", "#/$defs/boolean");
                        break;
                    case "servername":
                        w.WriteString("type", "string");
                        break;
                    default:
                        w.WriteString("$ref", "#/$defs/list");
                        break;
                }

                w.WriteEndObject();
            }

            if (Thresholds.PolicyPluginAttributes.IsSatisfiedBy(release))
            {
                foreach (var name in PolicyTableRules.PluginAttributes)
                {
                    w.WriteStartObject(name);
                    w.WriteString("description", $"An attribute for MTA-STS and TLSRPT policy plugins (needs policy_type). Postfix {Thresholds.PolicyPluginAttributes.Describe()} and later.");
                    if (name == "policy_ttl")
                    {
                        w.WriteStartArray("anyOf");
                        w.WriteStartObject();
                        w.WriteString("type", "integer");
                        w.WriteNumber("minimum", 0);
                        w.WriteEndObject();
                        Pattern("^[0-9]+$");
                        w.WriteEndArray();
                    }
                    else
                    {
                        WriteStrings("type", ["string", "number"]);
                    }

                    w.WriteEndObject();
                }
            }

            w.WriteEndObject();
            if (strict)
            {
                // From 2.5 an unknown attribute, or one at a level that does not take it, makes the entry invalid.
                w.WriteBoolean("additionalProperties", false);
                w.WriteStartObject("dependentSchemas");
                LevelsFor("match", ["fingerprint", "verify", "secure"]);
                if (Thresholds.PolicyTaFile.IsSatisfiedBy(release))
                {
                    LevelsFor("tafile", ["verify", "secure"]);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        /// <summary>An attribute that only some levels take: when it is present, level must be one of those.</summary>
        private void LevelsFor(string attribute, string[] levels)
        {
            w.WriteStartObject(attribute);
            w.WriteStartObject("properties");
            w.WriteStartObject("level");
            w.WriteString("description", $"{attribute} is only for level {string.Join(", ", levels[..^1])}{(levels.Length > 1 ? " or " : string.Empty)}{levels[^1]}.");
            w.WriteString("type", "string");
            w.WriteString("pattern", AnyCase(levels));
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        private static string AttributeDescription(string name) => name switch
        {
            "protocols" => "TLS protocols for this destination (as smtp_tls_mandatory_protocols): a text in Postfix syntax or a list.",
            "ciphers" => "The cipher grade for this destination (as smtp_tls_mandatory_ciphers).",
            "exclude" => "Ciphers to exclude for this destination (as smtp_tls_mandatory_exclude_ciphers).",
            "match" => "Names or fingerprints the server certificate must match (levels fingerprint, verify, secure).",
            "tafile" => "Trust anchor files for this destination (levels verify and secure).",
            "servername" => "The SNI name to send: hostname, nexthop or a DNS name.",
            "connection_reuse" => "Reuse TLS connections for this destination (yes or no).",
            _ => "Accept raw public keys from this destination (yes or no).",
        };

        private void Deprecated(string message)
        {
            w.WriteBoolean("deprecated", true);
            w.WriteString("deprecationMessage", message); // shown by VS Code's YAML extension
        }

        private void Pattern(string pattern)
        {
            w.WriteStartObject();
            w.WriteString("type", "string");
            w.WriteString("pattern", pattern);
            w.WriteEndObject();
        }

        private void Ref(string target)
        {
            w.WriteStartObject();
            w.WriteString("$ref", target);
            w.WriteEndObject();
        }

        private void WriteStrings(string name, IEnumerable<string> values)
        {
            w.WriteStartArray(name);
            foreach (var v in values)
            {
                w.WriteStringValue(v);
            }

            w.WriteEndArray();
        }
    }

    /// <summary>
    /// Policy table keys (see PolicyTableRules.IsDestination): a domain or .domain, or [host] / [ipv6:addr],
    /// each with an optional :port; letters beyond ASCII as one range (JSON Schema patterns have no \p{L}).
    /// </summary>
    internal const string DestinationPattern =
        "^(?:\\.?[A-Za-z0-9_\\u0080-\\uffff](?:[A-Za-z0-9_\\u0080-\\uffff-]{0,62})?(?:\\.[A-Za-z0-9_\\u0080-\\uffff](?:[A-Za-z0-9_\\u0080-\\uffff-]{0,62})?)*"
        + "|\\[(?:[A-Za-z0-9_\\u0080-\\uffff](?:[A-Za-z0-9_\\u0080-\\uffff.-]{0,252})?|(?:[Ii][Pp][Vv]6:)?[0-9A-Fa-f]*:[0-9A-Fa-f:.]+)\\])(?::[0-9A-Za-z-]{1,32})?$";

    /// <summary>A pattern matching any of <paramref name="words"/> in any letter case, with surrounding whitespace.</summary>
    internal static string AnyCase(IEnumerable<string> words)
    {
        var sb = new StringBuilder("^\\s*(?:");
        var first = true;
        foreach (var word in words)
        {
            if (!first)
            {
                sb.Append('|');
            }

            first = false;
            foreach (var c in word)
            {
                if (char.IsAsciiLetter(c))
                {
                    sb.Append('[').Append(char.ToUpperInvariant(c)).Append(char.ToLowerInvariant(c)).Append(']');
                }
                else if (char.IsAsciiDigit(c) || c is '-' or '_')
                {
                    sb.Append(c);
                }
                else
                {
                    sb.Append('\\').Append(c);
                }
            }
        }

        return sb.Append(")\\s*$").ToString();
    }
}
