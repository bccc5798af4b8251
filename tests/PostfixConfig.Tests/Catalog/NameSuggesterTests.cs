using CsCheck;
using PostfixConfig.Catalog;

namespace PostfixConfig.Tests.Catalog;

/// <summary>
/// The screened suggester must answer exactly what a plain scan with a textbook distance answers:
/// the pruning may only skip candidates that could not win.
/// </summary>
public class NameSuggesterTests
{
    private static readonly string[] Names =
    [
        "smtpd_tls_cert_file", "smtpd_tls_key_file", "smtpd_tls_chain_files", "smtp_tls_security_level", "smtpd_tls_security_level",
        "smtp_tls_policy_maps", "lmtp_tls_policy_maps", "smtp_destination_concurrency_limit", "lmtp_destination_concurrency_limit",
        "smtp_destination_recipient_limit", "lmtp_destination_recipient_limit", "tls_high_cipherlist", "tls_medium_cipherlist",
        "myhostname", "mydomain", "mynetworks", "relayhost", "smtp_tls_loglevel", "smtpd_tls_loglevel", "smtp_dns_support_level",
    ];

    private static readonly NameSuggester Suggester = new(Names);

    /// <summary>Optimal string alignment distance, case-insensitive, straight from the definition.</summary>
    private static int Osa(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private static string? Naive(string name)
    {
        var limit = Math.Max(2, name.Length / 4);
        return Names.Select(n => (Name: n, Distance: Osa(name, n)))
            .Where(x => x.Distance <= limit)
            .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Select(x => x.Name).FirstOrDefault();
    }

    /// <summary>Known names with a few random edits, and random text.</summary>
    private static readonly Gen<string> Query =
        Gen.Frequency(
            (3, Gen.Select(Gen.OneOf(Names), Gen.Int[0, 6], Gen.Char["abcdefghijklmnopqrstuvwxyz_0123456789T"].Array[6], Gen.Int[0, 1 << 20].Array[6],
                (name, edits, chars, positions) =>
                {
                    var s = name.ToCharArray().ToList();
                    for (var e = 0; e < edits && s.Count > 0; e++)
                    {
                        var at = positions[e] % s.Count;
                        switch (positions[e] & 3)
                        {
                            case 0: s[at] = chars[e]; break;
                            case 1: s.RemoveAt(at); break;
                            case 2: s.Insert(at, chars[e]); break;
                            default:
                                if (at + 1 < s.Count)
                                {
                                    (s[at], s[at + 1]) = (s[at + 1], s[at]);
                                }

                                break;
                        }
                    }

                    return new string([.. s]);
                })),
            (1, Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz_"], 1, 40]));

    [Trait("Category", "Slow")]
    [Fact]
    public void Suggest_AgreesWithThePlainScan() => AgreesWithThePlainScan(3000);

    [Fact]
    public void Suggest_AgreesWithThePlainScan_Quick() => AgreesWithThePlainScan(400);

    private static void AgreesWithThePlainScan(int queries) =>
        Query.Sample(q => Assert.Equal(Naive(q), Suggester.Suggest(q)), iter: queries, threads: 1);

    [Theory]
    [InlineData("smtpd_tls_cert_flie", "smtpd_tls_cert_file")]
    [InlineData("SMTPD_TLS_KEY_FILE", "smtpd_tls_key_file")]
    [InlineData("t0_destination_concurrency_limit", "lmtp_destination_concurrency_limit")]
    [InlineData("smtp_tls_securitylevel", "smtp_tls_security_level")]
    [InlineData("completely_unrelated_name", null)]
    [InlineData("", null)]
    public void Suggest_Examples(string name, string? expected) => Assert.Equal(expected, Suggester.Suggest(name));

    [Fact]
    public void Suggest_FarLongerThanEveryName_Null() => Assert.Null(Suggester.Suggest(new string('q', 128)));

    [Fact]
    public void Suggest_QueriesUpTo128Characters_LongerOnesAreNotLookedAt()
    {
        var name = new string('a', 128);
        var suggester = new NameSuggester([name, "b"]);
        Assert.Equal(name, suggester.Suggest(new string('a', 127) + "b")); // 128 characters: one edit away
        Assert.Equal(name, suggester.Suggest(new string('a', 127)));
        Assert.Null(suggester.Suggest(new string('a', 129))); // one edit away too, but longer than any name Postfix has
    }

    [Fact]
    public void Suggest_NoNames_Null() => Assert.Null(new NameSuggester([]).Suggest("smtpd_tls_cert_file"));

    [Fact]
    public void Suggest_TheCatalog_NullName_Throws() =>
        Assert.Throws<ArgumentNullException>(() => ParameterCatalog.Default.Suggest(null!));

    [Fact]
    public void Suggest_TheCatalog_FindsTheTlsName() =>
        Assert.Equal("smtpd_tls_chain_files", ParameterCatalog.Default.Suggest("smtpd_tls_chain_file"));
}
