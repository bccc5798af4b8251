using System.Collections.Immutable;
using System.Globalization;

namespace PostfixConfig.Catalog;

/// <summary>
/// What the TLS profiles expand to and the master.cf services that configurations can manage,
/// read from the catalog's data files <c>Data/profiles.txt</c> and <c>Data/services.txt</c>: rows
/// with release and OpenSSL conditions, not code branches.
/// </summary>
/// <remarks>This type is immutable and thread-safe.</remarks>
internal sealed class ProfileCatalog
{
    private static readonly Lazy<ProfileCatalog> DefaultCatalog = new(() => Load(Embedded("profiles.txt"), Embedded("services.txt")));

    private ProfileCatalog(
        ImmutableArray<(PostfixVersion From, OpenSslVersion OpenSsl)> openSsl,
        ImmutableArray<ProfileRow> rows,
        ImmutableArray<ServiceDefinition> services)
    {
        OpenSslDefaults = openSsl;
        Rows = rows;
        Services = services;
    }

    /// <summary>The catalog embedded in this library.</summary>
    public static ProfileCatalog Default => DefaultCatalog.Value;

    /// <summary>The profile names as written in YAML, in declaration order.</summary>
    public static ImmutableArray<string> ProfileNames { get; } = ["modern", "intermediate", "old"];

    /// <summary>The default OpenSSL version per release line: each entry holds from its line up to the next.</summary>
    public ImmutableArray<(PostfixVersion From, OpenSslVersion OpenSsl)> OpenSslDefaults { get; }

    /// <summary>The profile rows, in file order.</summary>
    public ImmutableArray<ProfileRow> Rows { get; }

    /// <summary>The services, in file order.</summary>
    public ImmutableArray<ServiceDefinition> Services { get; }

    /// <summary>The YAML name of a profile.</summary>
    public static string NameOf(TlsProfile profile) => profile switch
    {
        TlsProfile.Modern => "modern",
        TlsProfile.Intermediate => "intermediate",
        _ => "old",
    };

    /// <summary>A profile by its YAML name (exact, lower case), or <see langword="null"/>.</summary>
    public static TlsProfile? Parse(string name) => name switch
    {
        "modern" => TlsProfile.Modern,
        "intermediate" => TlsProfile.Intermediate,
        "old" => TlsProfile.Old,
        _ => null,
    };

    /// <summary>The OpenSSL version assumed for <paramref name="version"/> when none is given.</summary>
    public OpenSslVersion DefaultOpenSsl(PostfixVersion version)
    {
        var result = OpenSslDefaults[0].OpenSsl;
        foreach (var (from, openSsl) in OpenSslDefaults)
        {
            if (version.Line >= from)
            {
                result = openSsl;
            }
        }

        return result;
    }

    /// <summary>Whether <paramref name="profile"/> can be set up for this release and OpenSSL version (no refusal row holds).</summary>
    public bool IsAvailable(TlsProfile profile, PostfixVersion version, OpenSslVersion openSsl) =>
        !Rows.Any(r => r.Kind == ProfileRowKind.Refuse && r.Holds(profile, version, openSsl));

    /// <summary>
    /// The row that decides <paramref name="parameter"/> for the profile, release and OpenSSL version
    /// (its <see cref="ProfileRow.Value"/> is <see langword="null"/> when the profile leaves it unset),
    /// or <see langword="null"/> when no row names it.
    /// </summary>
    public ProfileRow? Decide(TlsProfile profile, string parameter, PostfixVersion version, OpenSslVersion openSsl) =>
        Rows.FirstOrDefault(r => r.Kind == ProfileRowKind.Parameter && r.Parameter == parameter && r.Holds(profile, version, openSsl));

    /// <summary>Whether any row names <paramref name="parameter"/>.</summary>
    public bool Mentions(string parameter) => Rows.Any(r => r.Parameter == parameter);

    /// <summary>The service definition named <paramref name="name"/>, or <see langword="null"/>.</summary>
    public ServiceDefinition? FindService(string name) => Services.FirstOrDefault(s => s.Name == name);

    /// <summary>Parses the two data files.</summary>
    /// <exception cref="FormatException">A line is malformed; the message names the file and line.</exception>
    internal static ProfileCatalog Load(string profiles, string services) =>
        new(ParseOpenSsl(profiles), ParseRows(profiles), ParseServices(services));

    private static string Embedded(string file)
    {
        var assembly = typeof(ProfileCatalog).Assembly;
        using var stream = assembly.GetManifestResourceStream("PostfixConfig.Catalog." + file)
            ?? throw new InvalidOperationException($"Embedded resource {file} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static IEnumerable<(int Line, string Text)> Section(string text, string name)
    {
        var inside = false;
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r').Trim();
            if (line.StartsWith('['))
            {
                inside = line == "[" + name + "]";
                continue;
            }

            if (inside && line.Length > 0 && line[0] != '#')
            {
                yield return (number, line);
            }
        }
    }

    private static ImmutableArray<(PostfixVersion, OpenSslVersion)> ParseOpenSsl(string text)
    {
        var result = ImmutableArray.CreateBuilder<(PostfixVersion, OpenSslVersion)>();
        foreach (var (number, line) in Section(text, "@openssl"))
        {
            var content = StripComment(line);
            var equals = content.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0 || !PostfixVersion.TryParse(content[..equals].Trim(), out var from)
                || !OpenSslVersion.TryParse(content[(equals + 1)..].Trim(), out var openSsl))
            {
                throw Malformed("profiles.txt", number, "expected 'LINE = OPENSSL_VERSION'");
            }

            result.Add((from.Line, openSsl));
        }

        if (result.Count == 0)
        {
            throw Malformed("profiles.txt", 1, "no [@openssl] rows");
        }

        return result.ToImmutable();
    }

    private static ImmutableArray<ProfileRow> ParseRows(string text)
    {
        var result = ImmutableArray.CreateBuilder<ProfileRow>();
        foreach (var (number, line) in Section(text, "@rows"))
        {
            var parts = line.Split('|', 4);
            if (parts.Length != 4)
            {
                throw Malformed("profiles.txt", number, "expected 'PROFILES | PARAMETER | WHEN | VALUE'");
            }

            var profiles = parts[0].Trim();
            ImmutableArray<TlsProfile> set;
            if (profiles == "*")
            {
                set = [TlsProfile.Modern, TlsProfile.Intermediate, TlsProfile.Old];
            }
            else
            {
                var names = profiles.Split(',', StringSplitOptions.TrimEntries);
                var parsed = names.Select(Parse).ToList();
                if (parsed.Any(p => p is null))
                {
                    throw Malformed("profiles.txt", number, $"unknown profile in '{profiles}'");
                }

                set = [.. parsed.Select(p => p!.Value)];
            }

            var parameter = parts[1].Trim();
            var kind = parameter switch
            {
                "!refuse" => ProfileRowKind.Refuse,
                "!note" => ProfileRowKind.Note,
                _ when parameter.Length > 0 && parameter.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') => ProfileRowKind.Parameter,
                _ => throw Malformed("profiles.txt", number, $"'{parameter}' is neither a parameter name nor !refuse or !note"),
            };
            var when = Condition.Parse(parts[2].Trim()) ?? throw Malformed("profiles.txt", number, $"bad condition '{parts[2].Trim()}'");
            var value = parts[3].Trim();
            if (value.Length == 0)
            {
                throw Malformed("profiles.txt", number, "empty value (write (empty) or -)");
            }

            result.Add(new ProfileRow(set, kind, kind == ProfileRowKind.Parameter ? parameter : null, when,
                kind != ProfileRowKind.Parameter ? value : value switch { "-" => null, "(empty)" => string.Empty, _ => value }, number));
        }

        return result.ToImmutable();
    }

    private static ImmutableArray<ServiceDefinition> ParseServices(string text)
    {
        var result = ImmutableArray.CreateBuilder<ServiceDefinition>();
        string? name = null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var sets = ImmutableArray.CreateBuilder<(string, string)>();
        var notes = ImmutableArray.CreateBuilder<(Condition, string)>();
        var start = 0;
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                Flush();
                name = line[1..^1];
                start = number;
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (name is null || equals <= 0)
            {
                throw Malformed("services.txt", number, "expected '[name]' or 'key = value'");
            }

            var key = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim();
            switch (key)
            {
                case "set":
                    var eq = value.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw Malformed("services.txt", number, "expected 'set = NAME=VALUE'");
                    }

                    sets.Add((value[..eq], value[(eq + 1)..]));
                    break;
                case "note":
                    var bar = value.IndexOf('|', StringComparison.Ordinal);
                    var condition = bar < 0 ? null : Condition.Parse(value[..bar].Trim());
                    if (condition is null)
                    {
                        throw Malformed("services.txt", number, "expected 'note = WHEN | TEXT'");
                    }

                    notes.Add((condition, value[(bar + 1)..].Trim()));
                    break;
                default:
                    fields[key] = value;
                    break;
            }
        }

        Flush();
        return result.ToImmutable();

        void Flush()
        {
            if (name is null)
            {
                return;
            }

            var role = fields.GetValueOrDefault("role") switch
            {
                "port25" => ServiceRole.Port25,
                "submission" => ServiceRole.Submission,
                "submissions" => ServiceRole.Submissions,
                _ => throw Malformed("services.txt", start, $"[{name}] has no valid role"),
            };
            if (!int.TryParse(fields.GetValueOrDefault("port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                || fields.GetValueOrDefault("fields") is not { } master || master.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 7)
            {
                throw Malformed("services.txt", start, $"[{name}] needs a port and seven master.cf fields");
            }

            result.Add(new ServiceDefinition(name, role, port, master.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToImmutableArray(), sets.ToImmutable(), notes.ToImmutable()));
            fields.Clear();
            sets.Clear();
            notes.Clear();
        }
    }

    private static string StripComment(string line)
    {
        var hash = line.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? line : line[..hash];
    }

    private static FormatException Malformed(string file, int line, string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{file} line {line}: {what}."));
}

/// <summary>What a profile row is.</summary>
internal enum ProfileRowKind
{
    /// <summary>A parameter value.</summary>
    Parameter,

    /// <summary>The profile cannot be expressed when the condition holds.</summary>
    Refuse,

    /// <summary>Information when the condition holds.</summary>
    Note,
}

/// <summary>One row of <c>profiles.txt</c>.</summary>
/// <param name="Profiles">The profiles it applies to.</param>
/// <param name="Kind">Parameter, refusal or note.</param>
/// <param name="Parameter">The parameter, for <see cref="ProfileRowKind.Parameter"/>.</param>
/// <param name="When">When the row holds.</param>
/// <param name="Value">The value (<see langword="null"/>: leave unset), or the message of a refusal or note.</param>
/// <param name="Line">The line in profiles.txt.</param>
internal sealed record ProfileRow(ImmutableArray<TlsProfile> Profiles, ProfileRowKind Kind, string? Parameter, Condition When, string? Value, int Line)
{
    /// <summary>Whether the row applies to <paramref name="profile"/> for this release and OpenSSL version.</summary>
    public bool Holds(TlsProfile profile, PostfixVersion version, OpenSslVersion openSsl) =>
        Profiles.Contains(profile) && When.Holds(version, openSsl);
}

/// <summary>A condition on the target release and OpenSSL version: all of its parts must hold.</summary>
internal sealed class Condition
{
    private readonly ImmutableArray<(bool Postfix, bool AtLeast, VersionGate? Gate, OpenSslVersion OpenSsl)> _parts;

    private Condition(ImmutableArray<(bool, bool, VersionGate?, OpenSslVersion)> parts, string text)
    {
        _parts = parts;
        Text = text;
    }

    /// <summary>The condition as written.</summary>
    public string Text { get; }

    /// <summary>Whether every part holds.</summary>
    public bool Holds(PostfixVersion version, OpenSslVersion openSsl)
    {
        foreach (var (postfix, atLeast, gate, ssl) in _parts)
        {
            var satisfied = postfix ? gate!.IsSatisfiedBy(version) : openSsl >= ssl;
            if (satisfied != atLeast)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses <c>*</c> or parts joined with <c>&amp;</c>; <see langword="null"/> when malformed.</summary>
    public static Condition? Parse(string text)
    {
        if (text == "*")
        {
            return new Condition([], text);
        }

        var parts = ImmutableArray.CreateBuilder<(bool, bool, VersionGate?, OpenSslVersion)>();
        foreach (var part in text.Split('&', StringSplitOptions.TrimEntries))
        {
            var postfix = part.StartsWith("postfix", StringComparison.Ordinal);
            if (!postfix && !part.StartsWith("openssl", StringComparison.Ordinal))
            {
                return null;
            }

            var rest = part[7..];
            var atLeast = rest.StartsWith(">=", StringComparison.Ordinal);
            if (!atLeast && !rest.StartsWith('<'))
            {
                return null;
            }

            var operand = rest[(atLeast ? 2 : 1)..];
            if (postfix)
            {
                try
                {
                    parts.Add((true, atLeast, VersionGate.Parse(operand), default));
                }
                catch (FormatException)
                {
                    return null;
                }
            }
            else if (OpenSslVersion.TryParse(operand, out var ssl))
            {
                parts.Add((false, atLeast, null, ssl));
            }
            else
            {
                return null;
            }
        }

        return new Condition(parts.ToImmutable(), text);
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}

/// <summary>What an smtpd service is for.</summary>
internal enum ServiceRole
{
    /// <summary>The port 25 MX service: TLS must stay opportunistic (RFC 3207).</summary>
    Port25,

    /// <summary>Message submission on port 587 with STARTTLS (RFC 6409).</summary>
    Submission,

    /// <summary>Message submission on port 465 with TLS at once (RFC 8314).</summary>
    Submissions,

    /// <summary>Any other master.cf service (lint of an existing master.cf): its options are judged as a service's, not as main.cf's.</summary>
    Other,
}

/// <summary>One service of <c>services.txt</c>.</summary>
/// <param name="Name">The service name (the YAML key and master.cf's service field).</param>
/// <param name="Role">What it is for.</param>
/// <param name="Port">The TCP port.</param>
/// <param name="Fields">master.cf's seven fields after the service name.</param>
/// <param name="Sets">The <c>-o</c> overrides it always gets.</param>
/// <param name="Notes">Information shown when it is used.</param>
internal sealed record ServiceDefinition(
    string Name,
    ServiceRole Role,
    int Port,
    ImmutableArray<string> Fields,
    ImmutableArray<(string Name, string Value)> Sets,
    ImmutableArray<(Condition When, string Text)> Notes);
