using PostfixConfig.Catalog;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Catalog;

/// <summary>
/// The release lines that have no <c>postconf -d</c> reference file (3.2, 3.5, 3.8, 3.9) must come
/// out right all the same. Two independent sources judge them: the presence column of
/// <c>Data/tls-params.tsv</c> (in which built releases <c>postconf -d</c> lists each parameter;
/// those builds include 3.2.22, 3.5.27 and 3.8.20) fixes the names, and the neighbouring
/// reference files fix every default on which they agree. Where the neighbours disagree, the
/// expected side is written out below, each reviewed against the default history in the same
/// file.
/// </summary>
public class ReleaseLinesWithoutReferenceTests
{
    /// <summary>Each line without a reference file and its newest patch release.</summary>
    public static TheoryData<string, string> NewestPatch() => new()
    {
        { "3.2", "3.2.22" },
        { "3.5", "3.5.27" },
        { "3.8", "3.8.20" },
        { "3.9", "3.9.14" },
    };

    /// <summary>Each line without a reference file and the reference releases just before and after it.</summary>
    public static TheoryData<string, string, string> Neighbours() => new()
    {
        { "3.2", "3.1.15", "3.3.22" },
        { "3.5", "3.4.29", "3.6.20" },
        { "3.8", "3.7.22", "3.10.13" },
        { "3.9", "3.7.22", "3.10.13" },
    };

    private enum Side
    {
        Older,
        Newer,
    }

    /// <summary>
    /// Defaults on which the neighbouring reference files disagree: which neighbour the line
    /// takes after, and why (from the default history in tls-params.tsv / version-rules.md).
    /// </summary>
    private static readonly Dictionary<(string Line, string Name), Side> Reviewed = new()
    {
        // 3.2.21 back-ported the conditional default that 3.6.0 introduced.
        [("3.2", "smtp_tls_dane_insecure_mx_policy")] = Side.Newer,
        // auto from 3.2 on (strong in 2.8-3.1).
        [("3.2", "smtpd_tls_eecdh_grade")] = Side.Newer,
        // ">=TLSv1" from 3.6.0; 3.5 keeps "!SSLv2, !SSLv3".
        [("3.5", "lmtp_tls_mandatory_protocols")] = Side.Older,
        [("3.5", "lmtp_tls_protocols")] = Side.Older,
        [("3.5", "smtp_tls_mandatory_protocols")] = Side.Older,
        [("3.5", "smtp_tls_protocols")] = Side.Older,
        [("3.5", "smtpd_tls_mandatory_protocols")] = Side.Older,
        [("3.5", "smtpd_tls_protocols")] = Side.Older,
        // The compatibility_level-dependent digest arrived in 3.6.0; 3.5 keeps md5.
        [("3.5", "lmtp_tls_fingerprint_digest")] = Side.Older,
        [("3.5", "smtp_tls_fingerprint_digest")] = Side.Older,
        [("3.5", "smtpd_tls_fingerprint_digest")] = Side.Older,
        // 3.5.9 got the conditional default (as 3.4.19 did); plain "dane" came back only in 3.6.17.
        [("3.5", "smtp_tls_dane_insecure_mx_policy")] = Side.Older,
        // The curve order changed in 3.10.
        [("3.8", "tls_eecdh_auto_curves")] = Side.Older,
        [("3.9", "tls_eecdh_auto_curves")] = Side.Older,
        // 3.8 emptied the low/export lists (ignored from then on) and added exclusions to the others.
        [("3.8", "tls_export_cipherlist")] = Side.Newer,
        [("3.8", "tls_low_cipherlist")] = Side.Newer,
        [("3.8", "tls_high_cipherlist")] = Side.Newer,
        [("3.8", "tls_medium_cipherlist")] = Side.Newer,
        [("3.8", "tls_null_cipherlist")] = Side.Newer,
        [("3.9", "tls_export_cipherlist")] = Side.Newer,
        [("3.9", "tls_low_cipherlist")] = Side.Newer,
        [("3.9", "tls_high_cipherlist")] = Side.Newer,
        [("3.9", "tls_medium_cipherlist")] = Side.Newer,
        [("3.9", "tls_null_cipherlist")] = Side.Newer,
    };

    [Theory]
    [MemberData(nameof(NewestPatch))]
    public void ParamsCli_LineWithoutReference_ListsTheNamesThatReleaseLists(string line, string newest)
    {
        Assert.Equal(PostfixVersion.Parse(newest), ParameterCatalog.Default.Releases.Resolve(PostfixVersion.Parse(line)));
        var printed = PrintedDefaults(line);
        var expected = NamesListedIn(PostfixVersion.Parse(newest));

        Assert.True(expected.Count > 100, $"only {expected.Count} names present in {newest} according to tls-params.tsv");
        var missing = expected.Except(printed.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var extra = printed.Keys.Except(expected, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"params --postfix-version {line}: missing {string.Join(", ", missing)}; not listed by {newest}: {string.Join(", ", extra)}");
    }

    [Theory]
    [MemberData(nameof(Neighbours))]
    public void ParamsCli_LineWithoutReference_DefaultsAgreeWithNeighbouringReleases(string line, string older, string newer)
    {
        var printed = PrintedDefaults(line);
        var before = Reference(older);
        var after = Reference(newer);
        var problems = new List<string>();
        var reviewedUsed = 0;
        foreach (var (name, value) in printed)
        {
            if (!before.TryGetValue(name, out var a) || !after.TryGetValue(name, out var b))
            {
                continue; // appeared or disappeared around this line: only the name check applies
            }

            if (a == b)
            {
                if (value != a)
                {
                    problems.Add($"{name}: {older} and {newer} both print '{a}', the CLI prints '{value}'");
                }
            }
            else if (!Reviewed.TryGetValue((line, name), out var side))
            {
                problems.Add($"{name}: {older} prints '{a}', {newer} prints '{b}', the CLI prints '{value}'; review it and add it to the list");
            }
            else
            {
                reviewedUsed++;
                var expected = side == Side.Older ? a : b;
                if (value != expected)
                {
                    problems.Add($"{name}: expected the {side.ToString().ToLowerInvariant()} default '{expected}', the CLI prints '{value}'");
                }
            }
        }

        Assert.True(problems.Count == 0, $"params --postfix-version {line}:\n" + string.Join('\n', problems));
        Assert.Equal(Reviewed.Keys.Count(k => k.Line == line), reviewedUsed);
    }

    private static Dictionary<string, string> PrintedDefaults(string line)
    {
        var cli = CliRunner.Run("params", "--postfix-version", line);
        Assert.True(cli.ExitCode == 0, cli.StdErr);
        return CatalogAgainstPostconfTests.ParsePostconfD(cli.StdOut);
    }

    private static Dictionary<string, string> Reference(string version) =>
        CatalogAgainstPostconfTests.ParsePostconfD(File.ReadAllText(Path.Combine(RepoPaths.Data, "postconf-d", $"postconf-d-{version}.txt")))
            .ToDictionary(kv => kv.Key, kv => kv.Value.TrimEnd(' '), StringComparer.Ordinal);

    /// <summary>
    /// The names whose <c>postconf_d_presence</c> in tls-params.tsv covers <paramref name="version"/>:
    /// "A..B" ranges and single releases separated by ";", or "never known to postconf".
    /// </summary>
    private static HashSet<string> NamesListedIn(PostfixVersion version)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Data, "tls-params.tsv"));
        var header = lines[0].Split('\t');
        var nameColumn = Array.IndexOf(header, "name");
        var presenceColumn = Array.IndexOf(header, "postconf_d_presence");
        Assert.True(nameColumn >= 0 && presenceColumn >= 0, "tls-params.tsv lacks the name or postconf_d_presence column");

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')))
        {
            var presence = row[presenceColumn];
            if (presence.StartsWith("never", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var part in presence.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var range = part.Split("..");
                var low = PostfixVersion.Parse(range[0]);
                var high = PostfixVersion.Parse(range[^1]);
                if (low <= version && version <= high)
                {
                    names.Add(row[nameColumn]);
                }
            }
        }

        return names;
    }
}
