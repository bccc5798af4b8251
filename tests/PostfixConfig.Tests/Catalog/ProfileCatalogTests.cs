using PostfixConfig.Catalog;

namespace PostfixConfig.Tests.Catalog;

/// <summary>
/// The profile and service tables (Catalog/Data/profiles.txt and services.txt): what the embedded
/// tables answer at the edges of their release and OpenSSL conditions, and the parser's errors for a
/// maintainer editing them, each with the file, the line and the reason (found by mutation testing:
/// tests/mutation/survivors/Catalog.txt).
/// </summary>
public class ProfileCatalogTests
{
    private const string OpenSsl = "[@openssl]\n2.2 = 1.0.1\n";
    private const string Smtp = "[smtp]\nrole = port25\nport = 25\nfields = inet n - y - - smtpd\n";

    private static readonly ProfileCatalog Embedded = ProfileCatalog.Default;

    private static PostfixVersion V(string text) => PostfixVersion.Parse(text);

    private static OpenSslVersion Ssl(string text) => OpenSslVersion.Parse(text);

    [Fact]
    public void ProfileNames_AreTheYamlNamesInOrder_AndRoundTrip()
    {
        Assert.Equal(["modern", "intermediate", "old"], ProfileCatalog.ProfileNames.ToArray());
        Assert.Equal("modern", ProfileCatalog.NameOf(TlsProfile.Modern));
        Assert.Equal("intermediate", ProfileCatalog.NameOf(TlsProfile.Intermediate));
        Assert.Equal("old", ProfileCatalog.NameOf(TlsProfile.Old));
        foreach (var name in ProfileCatalog.ProfileNames)
        {
            Assert.Equal(name, ProfileCatalog.NameOf(ProfileCatalog.Parse(name)!.Value));
        }

        Assert.Null(ProfileCatalog.Parse("Modern"));
    }

    [Theory]
    [InlineData("2.1", "0.9.8")] // before the first line: the first entry
    [InlineData("2.2", "0.9.8")]
    [InlineData("2.8.20", "0.9.8")]
    [InlineData("2.9", "1.0.1")]
    [InlineData("3.6.20", "1.1.1")]
    [InlineData("3.7", "3.0")] // an entry holds from its own line ...
    [InlineData("3.7.11", "3.0")] // ... for every patch level of it
    [InlineData("3.9.9", "3.0")] // ... up to the next entry
    [InlineData("3.10.0", "3.5")]
    [InlineData("3.12", "3.5")]
    public void DefaultOpenSsl_EachEntryHoldsFromItsLineUpToTheNext(string postfix, string openSsl) =>
        Assert.Equal(Ssl(openSsl), Embedded.DefaultOpenSsl(V(postfix)));

    [Theory]
    [InlineData(TlsProfile.Modern, "3.4", "1.1.1", true)]
    [InlineData(TlsProfile.Modern, "3.3.2", "1.1.1", true)] // the backport
    [InlineData(TlsProfile.Modern, "3.3.1", "1.1.1", false)]
    [InlineData(TlsProfile.Modern, "3.4", "1.1.0", false)] // no TLS 1.3 in OpenSSL
    [InlineData(TlsProfile.Intermediate, "3.3.1", "1.1.0", true)] // modern's refusals are not intermediate's
    [InlineData(TlsProfile.Intermediate, "2.10", "1.0.1", true)]
    [InlineData(TlsProfile.Intermediate, "2.10", "1.0.0", false)]
    [InlineData(TlsProfile.Old, "2.3", "0.9.8", true)]
    [InlineData(TlsProfile.Old, "2.2", "0.9.8", false)] // no security levels
    [InlineData(TlsProfile.Old, "3.6", "1.1.0", false)] // 3.6 needs OpenSSL 1.1.1
    public void IsAvailable_NoRefusalRowHolds(TlsProfile profile, string postfix, string openSsl, bool available) =>
        Assert.Equal(available, Embedded.IsAvailable(profile, V(postfix), Ssl(openSsl)));

    [Theory]
    [InlineData(TlsProfile.Modern, "smtpd_tls_protocols", "3.6", ">=TLSv1.2")]
    [InlineData(TlsProfile.Modern, "smtpd_tls_protocols", "3.5", "!SSLv2, !SSLv3, !TLSv1, !TLSv1.1")]
    [InlineData(TlsProfile.Intermediate, "smtpd_tls_protocols", "3.6", ">=TLSv1")]
    [InlineData(TlsProfile.Intermediate, "smtp_tls_mandatory_protocols", "3.7", ">=TLSv1.2")]
    [InlineData(TlsProfile.Old, "smtp_tls_mandatory_ciphers", "3.7", "medium")]
    [InlineData(TlsProfile.Modern, "smtp_tls_mandatory_ciphers", "3.7", "high")]
    public void Decide_TheFirstRowThatHolds(TlsProfile profile, string parameter, string postfix, string value)
    {
        var row = Embedded.Decide(profile, parameter, V(postfix), Ssl("3.0"));
        Assert.NotNull(row);
        Assert.Equal(ProfileRowKind.Parameter, row.Kind);
        Assert.Equal(parameter, row.Parameter);
        Assert.Equal(value, row.Value);
    }

    [Fact]
    public void Decide_NoRowHoldsOrNamesIt_Null()
    {
        Assert.Null(Embedded.Decide(TlsProfile.Modern, "smtpd_tls_ciphers", V("2.5"), Ssl("0.9.8"))); // from 2.6 only
        Assert.Null(Embedded.Decide(TlsProfile.Modern, "myhostname", V("3.7"), Ssl("3.0")));
        Assert.True(Embedded.Mentions("smtpd_tls_ciphers"));
        Assert.False(Embedded.Mentions("myhostname"));
    }

    [Fact]
    public void Services_TheStockFourWithPortsOverridesAndNotes()
    {
        Assert.Equal(["smtp", "submission", "submissions", "smtps"], Embedded.Services.Select(s => s.Name));
        var submission = Embedded.FindService("submission");
        Assert.NotNull(submission);
        Assert.Equal((ServiceRole.Submission, 587), (submission.Role, submission.Port));
        Assert.Equal(["inet", "n", "-", "y", "-", "-", "smtpd"], submission.Fields.ToArray());
        Assert.Equal([("syslog_name", "postfix/submission"), ("smtpd_tls_security_level", "encrypt")], submission.Sets.ToArray());
        Assert.Empty(submission.Notes);
        var submissions = Embedded.FindService("submissions")!;
        Assert.Equal((ServiceRole.Submissions, 465), (submissions.Role, submissions.Port));
        var (when, text) = Assert.Single(submissions.Notes);
        Assert.Equal("postfix<3.6", when.Text);
        Assert.StartsWith("Postfix before 3.6 looks the port", text, StringComparison.Ordinal);
        Assert.NotNull(Embedded.FindService("smtps")); // the last block of the file
        Assert.Null(Embedded.FindService("relay"));
    }

    [Fact]
    public void Load_RowsOfEachKind_KeepTheirValueAndLine()
    {
        var catalog = ProfileCatalog.Load(
            OpenSsl + "[@rows]\n# c\n"
            + "modern, old | !refuse | postfix<3.4 | Not here.\n"
            + "* | smtpd_tls_ciphers | * | -\n"
            + "old | smtpd_tls_exclude_ciphers | postfix>=3.0 & openssl>=1.1.1 | (empty)\n"
            + "intermediate | smtpd_tls_protocols | * | a|b\n",
            Smtp);
        Assert.Equal([(V("2.2"), Ssl("1.0.1"))], catalog.OpenSslDefaults.ToArray());
        var rows = catalog.Rows;
        Assert.Equal([5, 6, 7, 8], rows.Select(r => r.Line));
        Assert.Equal((ProfileRowKind.Refuse, null, "Not here."), (rows[0].Kind, rows[0].Parameter, rows[0].Value));
        Assert.Equal([TlsProfile.Modern, TlsProfile.Old], rows[0].Profiles.ToArray());
        Assert.Equal((ProfileRowKind.Parameter, "smtpd_tls_ciphers", null), (rows[1].Kind, rows[1].Parameter, rows[1].Value));
        Assert.Equal([TlsProfile.Modern, TlsProfile.Intermediate, TlsProfile.Old], rows[1].Profiles.ToArray());
        Assert.Equal(string.Empty, rows[2].Value);
        Assert.Equal("a|b", rows[3].Value);
        Assert.Equal("postfix>=3.0 & openssl>=1.1.1", rows[2].When.ToString());
    }

    [Fact]
    public void Load_NoteRowsKeepTheirText_AndADashIsText()
    {
        var catalog = ProfileCatalog.Load(OpenSsl + "[@rows]\n* | !note | * | -\n", Smtp);
        var row = Assert.Single(catalog.Rows);
        Assert.Equal((ProfileRowKind.Note, null, "-"), (row.Kind, row.Parameter, row.Value));
    }

    [Fact]
    public void Load_ServicesOneAfterAnother_DoNotInheritEachOthersLines()
    {
        var catalog = ProfileCatalog.Load(
            OpenSsl,
            "# services\n[a]\nrole = submission\nport = 587\nfields = inet n - y - - smtpd\nset = x=1=2\nnote = postfix>=3.6 | Hello | there\n"
            + "\n[b]\nrole = port25\nport = 25\nfields = inet n - n - 1 smtpd\n");
        Assert.Equal(["a", "b"], catalog.Services.Select(s => s.Name));
        var a = catalog.Services[0];
        Assert.Equal([("x", "1=2")], a.Sets.ToArray());
        var (when, text) = Assert.Single(a.Notes);
        Assert.Equal(("postfix>=3.6", "Hello | there"), (when.Text, text));
        var b = catalog.Services[1];
        Assert.Equal((ServiceRole.Port25, 25), (b.Role, b.Port));
        Assert.Equal("1", b.Fields[5]);
        Assert.Empty(b.Sets);
        Assert.Empty(b.Notes);
    }

    [Theory]
    [InlineData("", "profiles.txt line 1: no [@openssl] rows.")]
    [InlineData("stray\n[@openssl]\n# c\n2.2 = 1.0.1 # Debian\n3.x = 1.0\n", "profiles.txt line 5: expected 'LINE = OPENSSL_VERSION'.")]
    [InlineData("[@openssl]\n2.2 1.0.1\n", "profiles.txt line 2: expected 'LINE = OPENSSL_VERSION'.")]
    [InlineData("[@openssl]\n2.2 = one\n", "profiles.txt line 2: expected 'LINE = OPENSSL_VERSION'.")]
    [InlineData(OpenSsl + "[@rows]\n\n* | x | *\n", "profiles.txt line 5: expected 'PROFILES | PARAMETER | WHEN | VALUE'.")]
    [InlineData(OpenSsl + "[@rows]\nmodern, strict | x | * | y\n", "profiles.txt line 4: unknown profile in 'modern, strict'.")]
    [InlineData(OpenSsl + "[@rows]\n* |  | * | y\n", "profiles.txt line 4: '' is neither a parameter name nor !refuse or !note.")]
    [InlineData(OpenSsl + "[@rows]\n* | smtpd-tls_x | * | y\n", "profiles.txt line 4: 'smtpd-tls_x' is neither a parameter name nor !refuse or !note.")]
    [InlineData(OpenSsl + "[@rows]\n* | !warn | * | y\n", "profiles.txt line 4: '!warn' is neither a parameter name nor !refuse or !note.")]
    [InlineData(OpenSsl + "[@rows]\n* | x | postfix>3.6 | y\n", "profiles.txt line 4: bad condition 'postfix>3.6'.")]
    [InlineData(OpenSsl + "[@rows]\n* | x | * |  \n", "profiles.txt line 4: empty value (write (empty) or -).")]
    public void Load_MalformedProfiles_SaysFileLineAndWhy(string profiles, string message)
    {
        var e = Assert.Throws<FormatException>(() => ProfileCatalog.Load(profiles, Smtp));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("role = port25\n", "services.txt line 1: expected '[name]' or 'key = value'.")]
    [InlineData("# c\n[a]\nrole port25\n", "services.txt line 3: expected '[name]' or 'key = value'.")]
    [InlineData("[a\n", "services.txt line 1: expected '[name]' or 'key = value'.")]
    [InlineData("[a]\n= port25\n", "services.txt line 2: expected '[name]' or 'key = value'.")]
    [InlineData("[a]\nset = =1\n", "services.txt line 2: expected 'set = NAME=VALUE'.")]
    [InlineData("[a]\nset = x\n", "services.txt line 2: expected 'set = NAME=VALUE'.")]
    [InlineData("[a]\nnote = no condition\n", "services.txt line 2: expected 'note = WHEN | TEXT'.")]
    [InlineData("[a]\nnote = | text\n", "services.txt line 2: expected 'note = WHEN | TEXT'.")]
    [InlineData("[a]\nnote = postfix>3.6 | text\n", "services.txt line 2: expected 'note = WHEN | TEXT'.")]
    [InlineData("\n[a]\nport = 25\n", "services.txt line 2: [a] has no valid role.")]
    [InlineData("[a]\nrole = relay\n", "services.txt line 1: [a] has no valid role.")]
    [InlineData(Smtp + "[b]\nport = 26\nfields = inet n - y - - smtpd\n", "services.txt line 5: [b] has no valid role.")]
    [InlineData("[a]\nrole = submission\nfields = inet n - y - - smtpd\n", "services.txt line 1: [a] needs a port and seven master.cf fields.")]
    [InlineData("[a]\nrole = submission\nport = +25\nfields = inet n - y - - smtpd\n", "services.txt line 1: [a] needs a port and seven master.cf fields.")]
    [InlineData("[a]\nrole = submission\nport = 25\n", "services.txt line 1: [a] needs a port and seven master.cf fields.")]
    [InlineData("[a]\nrole = submission\nport = 25\nfields = inet n - y - smtpd\n", "services.txt line 1: [a] needs a port and seven master.cf fields.")]
    public void Load_MalformedServices_SaysFileLineAndWhy(string services, string message)
    {
        var e = Assert.Throws<FormatException>(() => ProfileCatalog.Load(OpenSsl, services));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("*", "3.0", "1.0.0", true)]
    [InlineData("postfix>=3.6", "3.6", "1.0.0", true)]
    [InlineData("postfix>=3.6", "3.5.25", "1.0.0", false)]
    [InlineData("postfix<3.6", "3.5.25", "1.0.0", true)]
    [InlineData("postfix<3.6", "3.6", "1.0.0", false)]
    [InlineData("openssl>=1.1.1", "3.0", "1.1.1", true)]
    [InlineData("openssl>=1.1.1", "3.0", "1.1.0", false)]
    [InlineData("openssl<1.1.1", "3.0", "1.1.0", true)]
    [InlineData("openssl<1.1.1", "3.0", "1.1.1", false)]
    [InlineData("openssl<1.1.1", "3.0", "3.0", false)]
    [InlineData("postfix>=3.6 & openssl<1.1.1", "3.6", "1.1.0", true)]
    [InlineData("postfix>=3.6 & openssl<1.1.1", "3.6", "1.1.1", false)]
    [InlineData("postfix>=3.6 & openssl<1.1.1", "3.5", "1.1.0", false)]
    [InlineData("postfix<3.0.14,3.1.10,3.4", "3.1.10", "1.1.0", false)]
    [InlineData("postfix<3.0.14,3.1.10,3.4", "3.1.9", "1.1.0", true)]
    public void Condition_EveryPartMustHold(string text, string postfix, string openSsl, bool holds)
    {
        var condition = Condition.Parse(text);
        Assert.NotNull(condition);
        Assert.Equal(text, condition.ToString());
        Assert.Equal(holds, condition.Holds(V(postfix), Ssl(openSsl)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("always")]
    [InlineData("postfix")]
    [InlineData("postfix=3.6")]
    [InlineData("postfix>3.6")]
    [InlineData("postfix<=3.6")]
    [InlineData("postfix>=3.x")]
    [InlineData("openssl>=one")]
    [InlineData("openssl<")]
    [InlineData("postfix>=3.6 & tls<1.3")]
    [InlineData("* & postfix>=3.6")]
    public void Condition_Malformed_Null(string text) => Assert.Null(Condition.Parse(text));
}
