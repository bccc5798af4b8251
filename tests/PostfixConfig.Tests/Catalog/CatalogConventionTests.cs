using PostfixConfig.Catalog;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Catalog;

/// <summary>Every catalog entry is complete: kind, default, release, description, and a release for every enumeration word.</summary>
public class CatalogConventionTests
{
    private static ParameterCatalog Catalog => ParameterCatalog.Default;

    [Fact]
    public void EveryParameter_HasReleaseKindDefaultAndDescription()
    {
        Assert.True(Catalog.Parameters.Length > 250, $"only {Catalog.Parameters.Length} parameters");
        foreach (var p in Catalog.Parameters)
        {
            Assert.True(Enum.IsDefined(p.Kind), p.Name);
            Assert.NotNull(p.InitialDefault);
            Assert.True(p.Since.Points.Length > 0, p.Name);
            Assert.True(p.Description.Length >= 15 && !p.Description.Contains('\n', StringComparison.Ordinal), $"{p.Name}: description '{p.Description}'");
            Assert.True(p.Since.First >= Catalog.Releases.Oldest, $"{p.Name} since {p.Since}");
        }
    }

    /// <summary>
    /// A description is one sentence of its own: a single line that ends with a full stop, short
    /// enough to print beside the name, not a bare restatement of the name, and not shared with
    /// another parameter (so it says what is particular to this one).
    /// </summary>
    [Fact]
    public void EveryDescription_IsOneDistinctSentence()
    {
        var problems = new List<string>();
        foreach (var p in Catalog.Parameters)
        {
            var d = p.Description;
            if (d.Length is < 15 or > 200 || d.Contains('\n', StringComparison.Ordinal) || !d.EndsWith('.'))
            {
                problems.Add($"{p.Name}: not one line of 15-200 characters ending with '.': '{d}'");
            }

            var nameWords = p.Name.Split('_').ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (Words(d).All(nameWords.Contains))
            {
                problems.Add($"{p.Name}: the description only repeats the name: '{d}'");
            }
        }

        foreach (var group in Catalog.Parameters.GroupBy(p => p.Description, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"same description for {string.Join(", ", group.Select(p => p.Name))}: '{group.Key}'");
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    /// <summary>
    /// Descriptions are in our own words: none shares a run of <see cref="CopiedRun"/> or more
    /// consecutive words with the installed postconf(5) manual page (read at test time, never
    /// copied into the project). The detector is checked on a sentence taken from the manual.
    /// </summary>
    [PostfixFact]
    public void EveryDescription_SharesNoLongPassageWithPostconfManual()
    {
        const string manual = "/usr/share/man/man5/postconf.5.gz";
        Assert.True(File.Exists(manual), $"{manual} is missing; it comes with Debian's postfix package (installed with manual pages).");
        string text;
        using (var gz = new System.IO.Compression.GZipStream(File.OpenRead(manual), System.IO.Compression.CompressionMode.Decompress))
        using (var reader = new StreamReader(gz))
        {
            text = reader.ReadToEnd();
        }

        var prose = string.Join(' ', text.Split('\n').Where(l => !l.StartsWith('.')))
            .Replace("\\-", "-", StringComparison.Ordinal)
            .Replace("\\fB", string.Empty, StringComparison.Ordinal)
            .Replace("\\fI", string.Empty, StringComparison.Ordinal)
            .Replace("\\fR", string.Empty, StringComparison.Ordinal);
        var manualWords = Words(prose);
        Assert.True(manualWords.Count > 50_000, $"postconf(5) has only {manualWords.Count} words; is it the right file?");
        var runs = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + CopiedRun <= manualWords.Count; i++)
        {
            runs.Add(string.Join(' ', manualWords.Skip(i).Take(CopiedRun)));
        }

        static string? SharedRun(string sentence, HashSet<string> runs)
        {
            var w = Words(sentence);
            for (var i = 0; i + CopiedRun <= w.Count; i++)
            {
                var run = string.Join(' ', w.Skip(i).Take(CopiedRun));
                if (runs.Contains(run))
                {
                    return run;
                }
            }

            return null;
        }

        // Control: a sentence lifted from the manual is caught.
        var lifted = string.Join(' ', manualWords.Skip(manualWords.Count / 2).Take(CopiedRun + 3));
        Assert.NotNull(SharedRun(lifted, runs));

        var copied = Catalog.Parameters
            .Select(p => (p.Name, Run: SharedRun(p.Description, runs)))
            .Where(x => x.Run is not null)
            .Select(x => $"{x.Name}: '{x.Run}' is in postconf(5)")
            .ToList();
        Assert.True(copied.Count == 0, "Write these descriptions in your own words:\n" + string.Join('\n', copied));
    }

    /// <summary>How many consecutive words shared with the manual count as copied text.</summary>
    private const int CopiedRun = 8;

    private static List<string> Words(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text.ToLowerInvariant(), "[a-z0-9_]+").Select(m => m.Value).ToList();

    [Fact]
    public void EnumerationParameters_ListTheirWords_EachWithARelease()
    {
        foreach (var p in Catalog.Parameters.Where(p => p.Kind is ParameterKind.Enum or ParameterKind.CipherGrade or ParameterKind.Digest))
        {
            Assert.NotEmpty(p.Values);
            foreach (var v in p.Values)
            {
                Assert.False(string.IsNullOrWhiteSpace(v.Value), p.Name);
                Assert.True(v.Since.First >= p.Since.First, $"{p.Name}: {v.Value} since {v.Since} is before the parameter ({p.Since})");
            }
        }
    }

    [Fact]
    public void Parameters_AreSortedAndUnique()
    {
        var names = Catalog.Parameters.Select(p => p.Name).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Replacements_NameCatalogParameters()
    {
        foreach (var p in Catalog.Parameters)
        {
            foreach (var r in p.Replacements)
            {
                Assert.True(Catalog.IsKnownName(r), $"{p.Name}: replacement {r} is not a known parameter");
            }
        }
    }

    [Fact]
    public void TimeParameters_HaveUnit_IntegerRangesAreOrdered()
    {
        foreach (var p in Catalog.Parameters)
        {
            Assert.Equal(p.Kind == ParameterKind.Time, p.Unit is not null);
            if (p.Range is { } r)
            {
                Assert.Equal(ParameterKind.Integer, p.Kind);
                Assert.True(r.Min <= r.Max);
            }
        }
    }

    [Fact]
    public void Releases_CoverEveryLineFrom22To312()
    {
        var lines = Catalog.Releases.Lines.Select(v => v.ToString()).ToList();
        Assert.Equal(
            ["2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9", "2.10", "2.11", "3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12"],
            lines);
        Assert.Equal(PostfixVersion.Parse("3.11.6"), Catalog.Releases.NewestStable);
        Assert.True(Catalog.Releases.IsProvisional(PostfixVersion.Parse("3.12")));
    }

    [Theory]
    [InlineData("smtpd_tls_cert_file", true)]
    [InlineData("tls_high_cipherlist", true)]
    [InlineData("lmtp_dns_support_level", false)]
    [InlineData("openssl_path", false)]
    public void IsTls_ByName(string name, bool tls) => Assert.Equal(tls, Catalog.Find(name)!.IsTls);
}
