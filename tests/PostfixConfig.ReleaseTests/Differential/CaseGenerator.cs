using System.Globalization;
using PostfixConfig.Catalog;
using PostfixConfig.ReleaseTests.Support;

namespace PostfixConfig.ReleaseTests.Differential;

/// <summary>
/// Seeded configurations around a release's thresholds, from the catalog and the release's own
/// <c>postconf -d</c> (never from a table of releases): parameter names introduced just after the
/// release, new in it, deprecated, obsolete or removed in it; protocol lists in both syntaxes on the
/// server, the client, the submission service and in policy entries; security levels of both sides,
/// valid and not; chain files in every arrangement; the legacy switches alone and with the levels that
/// replaced them; policy attributes at their levels and their releases. The same seed and release give
/// the same cases.
/// </summary>
internal sealed class CaseGenerator
{
    /// <summary>Protocol lists, main.cf form (", " between elements; ":" where the value must have no space).</summary>
    private static readonly string[] ProtocolPool =
    [
        ">=TLSv1.2", ">=TLSv1", ">=TLSv1.3", "<=TLSv1.2", ">=TLSv1.1, <=TLSv1.2", ">=0x0303",
        "!SSLv2, !SSLv3", "!SSLv2, !SSLv3, !TLSv1, !TLSv1.1", "TLSv1.2, TLSv1.3", "tlsv1.2, tlsv1.3",
        "!TLSv1.1", "!TLSv1.2", "TLSv1.4", ">=TLSv1.2, !TLSv1.3", "!SSLv2, !TLSv1.3", string.Empty,
    ];

    private static readonly string[] ServerLevels = ["none", "may", "encrypt", "verify", "fingerprint", "optional"];

    private static readonly string[] ClientLevels = ["none", "may", "encrypt", "dane", "dane+dnssec", "dane-only", "fingerprint", "verify", "required"];

    private readonly ReleaseTree _release;
    private readonly Random _random;
    private readonly ParameterCatalog _catalog = ParameterCatalog.Default;
    private readonly ReleasePki _pki = ReleasePki.Instance;
    private int _next;

    public CaseGenerator(ReleaseTree release, int seed)
    {
        _release = release;
        _random = new Random(seed);
    }

    /// <summary>The seed for a release: <c>RELEASE_DIFF_SEED</c> when set, else a fixed function of its mail_version.</summary>
    public static int SeedFor(ReleaseTree release)
    {
        ArgumentNullException.ThrowIfNull(release);
        if (int.TryParse(Environment.GetEnvironmentVariable("RELEASE_DIFF_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
        {
            return seed;
        }

        var hash = 2166136261u; // FNV-1a: string.GetHashCode differs between runs
        foreach (var c in release.MailVersion)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return (int)(hash & 0x7FFFFFFF);
    }

    public List<DiffCase> Generate()
    {
        var cases = new List<DiffCase>
        {
            // Controls: the base configurations, which both judges must find clean.
            Case("X", "control", "base: server TLS at level may", [], Probe.Server, true),
            Case("X", "control", "base: opportunistic client TLS to the receiver", [], Probe.Client, true),
        };
        cases.AddRange(Regressions());
        // RELEASE_DIFF_ROUNDS (default 1) draws more cases from the same seed, for exploring.
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("RELEASE_DIFF_ROUNDS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) && r > 0 ? r : 1;
        for (var round = 0; round < rounds; round++)
        {
            cases.AddRange(Names());
            cases.AddRange(Protocols());
            cases.AddRange(Levels());
            cases.AddRange(Pick(ChainFiles(), 3));
            cases.AddRange(Pick(Legacy(), 3));
            cases.AddRange(Policies(4));
        }

        return cases;
    }

    private string NextId(string prefix) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{++_next:00}");

    private DiffCase Case(string prefix, string dimension, string description, IReadOnlyList<(string, string)> main, Probe probe, bool expectTls,
        PolicyEntry? policy = null, IReadOnlyList<(string, string)>? submission = null, IReadOnlyList<string>? drop = null) =>
        new(NextId(prefix), dimension, description, main, probe, expectTls, policy, submission, drop);

    private IEnumerable<DiffCase> Names()
    {
        var version = _release.Version;
        var defaults = ReleaseFacts.Defaults(_release);
        var tls = _catalog.Parameters.ToList();

        // Introduced after this release: the nearest few by their first release.
        var later = tls.Where(p => !p.IsKnownIn(version) && p.Removed is null && p.Since.Mainline.Line > version.Line)
            .OrderBy(p => p.Since.Mainline).Take(6).ToList();
        if (later.Count > 0)
        {
            var p = later[_random.Next(later.Count)];
            yield return Case("N", "names", $"{p.Name}, introduced in {p.Since.Describe()}", [(p.Name, SampleValue(p, p.InitialDefault))], Probe.Server, true);
        }

        // New in this release line or the one before: known, set to the release's own default.
        var recent = tls.Where(p => p.IsKnownIn(version) && defaults.ContainsKey(p.Name) && p.Since.Mainline.Line >= Previous(version.Line)).ToList();
        if (recent.Count > 0)
        {
            var p = recent[_random.Next(recent.Count)];
            yield return Case("N", "names", $"{p.Name}, since {p.Since.Describe()}, at its default", [(p.Name, defaults[p.Name])], Probe.Server, true);
        }

        // Deprecated, obsolete or removed by this release.
        var retired = tls.Where(p => p.IsDeprecatedIn(version) || p.IsObsoleteIn(version) || p.PostconfWarnsIn(version)
            || (p.Removed is not null && !p.IsKnownIn(version) && p.Since.First <= version)).ToList();
        if (retired.Count > 0)
        {
            var p = retired[_random.Next(retired.Count)];
            var value = defaults.TryGetValue(p.Name, out var d) ? d : p.InitialDefault;
            yield return Case("N", "names", $"{p.Name}, retired ({Status(p, version)})", [(p.Name, SampleValue(p, value))], Probe.Server, true);
        }
    }

    private IEnumerable<DiffCase> Protocols()
    {
        yield return Case("P", "protocols", "smtpd_tls_protocols = >=TLSv1.2", [("smtpd_tls_protocols", ">=TLSv1.2")], Probe.Server, true);
        yield return Case("P", "protocols", "smtp_tls_protocols as exclusions", [("smtp_tls_protocols", "!SSLv2, !SSLv3, !TLSv1, !TLSv1.1")], Probe.Client, true);
        var mandatory = Protocol();
        yield return Case("P", "protocols", $"submission -o smtpd_tls_mandatory_protocols={Colons(mandatory)}", [], Probe.Submission, true,
            submission: [("smtpd_tls_mandatory_protocols", Colons(mandatory))]);
        var server = Protocol();
        yield return Case("P", "protocols", $"smtpd_tls_protocols = {server}", [("smtpd_tls_protocols", server)], Probe.Server, true);
        var client = Protocol();
        yield return Case("P", "protocols", $"smtp_tls_mandatory_protocols = {client} at level encrypt",
            [("smtp_tls_security_level", "encrypt"), ("smtp_tls_mandatory_protocols", client)], Probe.Client, true);
    }

    private IEnumerable<DiffCase> Levels()
    {
        foreach (var level in Pick(ServerLevels, 2))
        {
            yield return Case("L", "levels", $"smtpd_tls_security_level = {level}", [("smtpd_tls_security_level", level)], Probe.Server, level != "none");
        }

        foreach (var level in Pick(ClientLevels, 2))
        {
            var main = level switch
            {
                "dane+dnssec" => new List<(string, string)> { ("smtp_tls_security_level", "dane"), ("smtp_dns_support_level", "dnssec") },
                "verify" => [("smtp_tls_security_level", level), .. Verifiable()],
                _ => [("smtp_tls_security_level", level)],
            };
            yield return Case("L", "levels", string.Join(", ", main.Select(m => $"{m.Item1} = {m.Item2}")), main, Probe.Client, level != "none");
        }
    }

    private IEnumerable<DiffCase> ChainFiles()
    {
        string[] chain = ["smtpd_tls_chain_files"];
        yield return Case("C", "chain files", "key, certificate and CA in one file", [("smtpd_tls_chain_files", _pki.CombinedFile)], Probe.Server, true);
        yield return Case("C", "chain files", "certificate chain before its key", [("smtpd_tls_chain_files", $"{_pki.ChainFile}, {_pki.KeyFile}")], Probe.Server, true);
        yield return Case("C", "chain files", "a key that is not the certificate's", [("smtpd_tls_chain_files", $"{_pki.OtherKeyFile}, {_pki.ChainFile}")], Probe.Server, true);
        yield return Case("C", "chain files", "a key file that does not exist", [("smtpd_tls_chain_files", $"{_pki.MissingFile}, {_pki.ChainFile}")], Probe.Server, true);
        yield return Case("C", "chain files", "cert_file and key_file instead", [("smtpd_tls_cert_file", _pki.ChainFile), ("smtpd_tls_key_file", _pki.KeyFile)], Probe.Server, true, drop: chain);
        yield return Case("C", "chain files", "chain files and another cert_file/key_file pair",
            [("smtpd_tls_cert_file", _pki.OtherChainFile), ("smtpd_tls_key_file", _pki.OtherKeyFile)], Probe.Server, true);
        yield return Case("C", "chain files", "cert_file holding key and chain, key_file left to its default", [("smtpd_tls_cert_file", _pki.CombinedFile)], Probe.Server, true, drop: chain);
        yield return Case("C", "chain files", "cert_file without any key", [("smtpd_tls_cert_file", _pki.ChainFile)], Probe.Server, true, drop: chain);
    }

    private IEnumerable<DiffCase> Legacy()
    {
        string[] level = ["smtpd_tls_security_level"];
        string[] clientLevel = ["smtp_tls_security_level"];
        yield return Case("G", "legacy", "smtpd_use_tls = yes alone", [("smtpd_use_tls", "yes")], Probe.Server, true, drop: level);
        yield return Case("G", "legacy", "smtpd_use_tls = no alone", [("smtpd_use_tls", "no")], Probe.Server, false, drop: level);
        yield return Case("G", "legacy", "smtpd_use_tls = no with level may", [("smtpd_use_tls", "no")], Probe.Server, true);
        yield return Case("G", "legacy", "smtpd_enforce_tls = yes alone", [("smtpd_enforce_tls", "yes")], Probe.Server, true, drop: level);
        yield return Case("G", "legacy", "smtp_use_tls = yes alone", [("smtp_use_tls", "yes")], Probe.Client, true, drop: clientLevel);
        yield return Case("G", "legacy", "smtp_enforce_tls = yes alone (verify, with a trust anchor)", [("smtp_enforce_tls", "yes"), .. Verifiable()], Probe.Client, true, drop: clientLevel);
        yield return Case("G", "legacy", "smtp_enforce_tls = yes with level may", [("smtp_enforce_tls", "yes")], Probe.Client, true);
        yield return Case("G", "legacy", "smtpd_tls_eecdh_grade = strong", [("smtpd_tls_eecdh_grade", "strong")], Probe.Server, true);
        yield return Case("G", "legacy", "smtpd_tls_dh1024_param_file = auto", [("smtpd_tls_dh1024_param_file", "auto")], Probe.Server, true);
        yield return Case("G", "legacy", "smtp_tls_enforce_peername = no at level may", [("smtp_tls_enforce_peername", "no")], Probe.Client, true);
    }

    private IEnumerable<DiffCase> Policies(int count)
    {
        var fingerprint = _pki.ServerSha256;
        (string Level, List<(string, string)> Required)[] levels =
        [
            ("may", []), ("encrypt", []), ("none", []), ("fingerprint", [("match", fingerprint)]),
            ("secure", [("match", ReleasePki.ServerName), ("tafile", _pki.CaFile)]),
        ];
        (string, string)[] optional =
        [
            ("protocols", "PROTOCOLS"), ("ciphers", "high"), ("ciphers", "medium"), ("exclude", "3DES"),
            ("servername", ReleasePki.ServerName), ("connection_reuse", "yes"), ("enable_rpk", "yes"),
            ("tafile", _pki.CaFile), ("match", fingerprint), ("bogus", "1"),
        ];
        for (var i = 0; i < count; i++)
        {
            var (level, required) = levels[_random.Next(levels.Length)];
            var attributes = new List<(string Name, string Value)>(required);
            foreach (var (name, value) in Pick(optional, 1 + _random.Next(2)))
            {
                if (attributes.All(a => a.Name != name))
                {
                    attributes.Add((name, value == "PROTOCOLS" ? Colons(Protocol()) : value));
                }
            }

            var entry = new PolicyEntry(level, attributes);
            yield return Case("T", "policy", $"{level} {string.Join(' ', attributes.Select(a => $"{a.Name}={a.Value}"))}", [], Probe.Client, level != "none", policy: entry);
        }
    }

    /// <summary>
    /// Fixed cases, in every release: each disagreement the suite found, kept after its fix
    /// (docs/releases.md, "What the releases found").
    /// </summary>
    private IEnumerable<DiffCase> Regressions()
    {
        string[] clientLevel = ["smtp_tls_security_level"];
        yield return Case("R", "regression", "policy protocols= with no value at level may (allows every protocol)", [], Probe.Client, true,
            policy: new PolicyEntry("may", [("protocols", string.Empty)]));
        yield return Case("R", "regression", "policy protocols= with no value at level none", [], Probe.Client, false,
            policy: new PolicyEntry("none", [("protocols", string.Empty)]));
        yield return Case("R", "regression", "policy exclude= with no value at level encrypt", [], Probe.Client, true,
            policy: new PolicyEntry("encrypt", [("exclude", string.Empty)]));
        yield return Case("R", "regression", "smtp_enforce_tls = yes alone (verify) with a trust anchor", [("smtp_enforce_tls", "yes"), .. Verifiable()], Probe.Client, true, drop: clientLevel);
        yield return Case("R", "regression", "smtpd_tls_dh1024_param_file = auto", [("smtpd_tls_dh1024_param_file", "auto")], Probe.Server, true);
        yield return Case("R", "regression", "fingerprint policy with protocols=!TLSv1.2 (only TLS 1.0 and 1.1 left)", [("smtp_tls_fingerprint_digest", "sha256")], Probe.Client, true,
            policy: new PolicyEntry("fingerprint", [("match", _pki.ServerSha256), ("protocols", "!TLSv1.2")]));

        // Not a disagreement found, but a threshold the seeded draws may miss: a name renamed in 3.7 that
        // later releases still read through its successor's default (PFX1011/PFX1004 from 3.7, postconf's
        // notice from 3.11; docs/releases.md "Deliberately stricter").
        yield return Case("R", "regression", "tlsproxy_client_level = may (renamed to tlsproxy_client_security_level in 3.7)", [("tlsproxy_client_level", "may")], Probe.Server, true);

        // The render test's refusal judgement found it: 3.4.29 reads compatibility_level = 3.6 as 3 (roll-back
        // support from 3.3.18, 3.4.21, 3.5.11); the library called it an error that stops Postfix (PFX2018).
        yield return Case("R", "regression", "compatibility_level = 3.6 (read as 3 before 3.6, from 3.3.18/3.4.21/3.5.11)", [("compatibility_level", "3.6")], Probe.Server, true);
    }

    /// <summary>What makes the receiver's certificate verifiable: the test CA and the name in the certificate.</summary>
    private List<(string, string)> Verifiable() => [("smtp_tls_CAfile", _pki.CaFile), ("smtp_tls_verify_cert_match", ReleasePki.ServerName)];

    private string Protocol() => ProtocolPool[_random.Next(ProtocolPool.Length)];

    private static string Colons(string list) => list.Replace(", ", ":", StringComparison.Ordinal);

    private List<T> Pick<T>(IEnumerable<T> items, int count) => [.. items.OrderBy(_ => _random.Next()).Take(count)];

    private PostfixVersion Previous(PostfixVersion line)
    {
        var lines = _catalog.Releases.Lines;
        var i = lines.IndexOf(line);
        return i > 0 ? lines[i - 1] : line;
    }

    private static string Status(ParameterInfo p, PostfixVersion v) =>
        p.IsKnownIn(v)
            ? string.Join(", ", new[] { p.IsDeprecatedIn(v) ? "deprecated" : null, p.IsObsoleteIn(v) ? "obsolete" : null, p.PostconfWarnsIn(v) ? "postconf warns" : null }.OfType<string>())
            : $"removed in {p.Removed!.Describe()}";

    /// <summary>A value Postfix reads for the parameter: its default when it has one, else one by kind.</summary>
    private static string SampleValue(ParameterInfo p, string value) =>
        value.Length > 0 ? value : p.Kind switch
        {
            ParameterKind.Boolean => "no",
            ParameterKind.Integer => "1",
            ParameterKind.Time => "10s",
            _ => string.Empty,
        };
}
