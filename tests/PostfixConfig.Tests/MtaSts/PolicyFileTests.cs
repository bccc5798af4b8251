using System.Text.RegularExpressions;
using PostfixConfig.MtaSts;

namespace PostfixConfig.Tests.MtaSts;

/// <summary>
/// The policy file and the records' text: RFC 8461 section 3.2 syntax (checked by a parser written
/// from the RFC's ABNF here, not by the code under test), CRLF line ends, and an id of 1 to 32 letters
/// and digits that changes exactly when the policy does.
/// </summary>
public partial class PolicyFileTests
{
    private static readonly MtaStsPolicy Policy = new(MtaStsMode.Enforce, ["mail.example.com", "*.example.net", "backupmx.example.com"]) { MaxAge = 604800 };

    [Fact]
    public void Text_IsTheRfcExample_WithCrlf()
    {
        // RFC 8461 section 3.2's example, line for line.
        Assert.Equal("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n", PolicyFile.Text(Policy));
    }

    [Fact]
    public void Text_ParsesAsRfc8461Policy()
    {
        var fields = Rfc8461.Parse(PolicyFile.Text(Policy));
        Assert.Equal(["STSv1"], fields["version"]);
        Assert.Equal(["enforce"], fields["mode"]);
        Assert.Equal(["mail.example.com", "*.example.net", "backupmx.example.com"], fields["mx"]);
        Assert.Equal(["604800"], fields["max_age"]);
    }

    [Fact]
    public void Id_IsOneTo32LettersAndDigits_AndStable()
    {
        var id = PolicyFile.Id(Policy);
        Assert.Matches("^[a-zA-Z0-9]{1,32}$", id);
        Assert.Equal(id, PolicyFile.Id(new MtaStsPolicy(MtaStsMode.Enforce, ["mail.example.com", "*.example.net", "backupmx.example.com"]) { MaxAge = 604800 }));
    }

    [Fact]
    public void Id_ChangesWithEveryPartOfThePolicy()
    {
        MtaStsPolicy[] variants =
        [
            Policy,
            new(MtaStsMode.Testing, Policy.Mx) { MaxAge = 604800 },
            new(MtaStsMode.Enforce, Policy.Mx) { MaxAge = 604801 },
            new(MtaStsMode.Enforce, ["mail.example.com", "*.example.net"]) { MaxAge = 604800 },
            new(MtaStsMode.Enforce, ["*.example.net", "mail.example.com", "backupmx.example.com"]) { MaxAge = 604800 },
        ];
        Assert.Equal(variants.Length, variants.Select(PolicyFile.Id).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Records_HaveTheRfcForms()
    {
        Assert.Matches("^v=STSv1; id=[a-zA-Z0-9]{1,32}$", PolicyFile.StsRecord(Policy));
        Assert.Equal("v=TLSRPTv1; rua=mailto:tls@example.com,https://reports.example.com/tlsrpt",
            PolicyFile.TlsRptRecord(new TlsRptPolicy(["mailto:tls@example.com", "https://reports.example.com/tlsrpt"])));
    }

    [Fact]
    public void TxtData_SplitsAt255Characters()
    {
        var value = "v=TLSRPTv1; rua=" + string.Join(',', Enumerable.Range(0, 20).Select(i => $"mailto:tls-report-{i}@example.com"));
        var data = PolicyFile.TxtData(value);
        var strings = TxtString().Matches(data).Select(m => m.Groups[1].Value).ToList();
        Assert.True(strings.Count > 1);
        Assert.All(strings, s => Assert.True(s.Length <= 255));
        Assert.Equal(value, string.Concat(strings));
    }

    [GeneratedRegex("\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex TxtString();

    /// <summary>
    /// RFC 8461 section 3.2's grammar, written out: <c>sts-policy-field *(sts-policy-term sts-policy-field) [sts-policy-term]</c>,
    /// a term being LF or CRLF, a field <c>key ":" *WSP value *WSP</c>; version first and STSv1, mode one
    /// of three words, max_age 1 to 10 digits at most 31557600, one or more mx unless the mode is none.
    /// </summary>
    internal static class Rfc8461
    {
        public static Dictionary<string, List<string>> Parse(string text)
        {
            Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
            var fields = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var lines = text[..^2].Split("\r\n");
            Assert.DoesNotContain(lines, l => l.Contains('\n', StringComparison.Ordinal));
            foreach (var line in lines)
            {
                var m = Regex.Match(line, @"^([A-Za-z0-9_.-]{1,32}):[ \t]*([\x21-\x3A\x3C\x3E-\x7E]+(?:[ \t]+[\x21-\x3A\x3C\x3E-\x7E]+)*)[ \t]*$");
                Assert.True(m.Success, $"not a policy field: '{line}'");
                if (!fields.TryGetValue(m.Groups[1].Value, out var values))
                {
                    fields[m.Groups[1].Value] = values = [];
                }

                values.Add(m.Groups[2].Value);
            }

            Assert.StartsWith("version: STSv1", lines[0], StringComparison.Ordinal);
            Assert.Single(fields["mode"], v => v is "enforce" or "testing" or "none");
            var maxAge = Assert.Single(fields["max_age"]);
            Assert.Matches("^[0-9]{1,10}$", maxAge);
            Assert.InRange(long.Parse(maxAge, System.Globalization.CultureInfo.InvariantCulture), 0, 31557600);
            if (fields["mode"][0] != "none")
            {
                Assert.NotEmpty(fields["mx"]);
                Assert.All(fields["mx"], mx => Assert.Matches(@"^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$", mx));
            }

            return fields;
        }
    }
}
