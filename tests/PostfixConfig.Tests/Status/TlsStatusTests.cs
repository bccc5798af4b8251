using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using PostfixConfig.Diagnostics;
using PostfixConfig.Status;
using PostfixConfig.Tests.Probe;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Status;

/// <summary>
/// <c>postfix-config status</c> and <see cref="PostfixTls.Status(string, StatusOptions?)"/>: the answer to
/// "is TLS on?" for each listener (off, offered, required, implicit) and for the SMTP client, with where
/// each level was set; the JSON shape of issue 21 and its schema; lint's info lines.
/// </summary>
public class TlsStatusTests
{
    private const string Stock = "smtp      inet  n       -       y       -       -       smtpd\n"
        + "pickup    unix  n       -       y       60      1       pickup\n"
        + "smtp      unix  -       -       y       -       -       smtp\n";

    private static readonly StatusOptions For37 = StatusOptions.Default with { PostfixVersion = PostfixVersion.Parse("3.7") };

    private static TlsStatus Read(TempDir dir, string main, string? master, StatusOptions? options = null)
    {
        dir.Write("main.cf", main);
        if (master is not null)
        {
            dir.Write("master.cf", master);
        }

        return PostfixTls.Status(dir.File("main.cf"), options ?? For37);
    }

    [Fact]
    public void Status_FourListeners_OffOfferedRequiredImplicit_WithWhereEachLevelWasSet()
    {
        using var dir = new TempDir();
        var status = Read(dir,
            "smtpd_tls_chain_files = /etc/postfix/key.pem, /etc/postfix/cert.pem\nsmtpd_tls_security_level = may\n",
            Stock
            + "submission inet n       -       y       -       -       smtpd\n  -o syslog_name=postfix/submission\n  -o smtpd_tls_security_level=encrypt\n"
            + "submissions inet n      -       y       -       -       smtpd\n  -o smtpd_tls_wrappermode=yes\n"
            + "127.0.0.1:2525 inet n   -       y       -       -       smtpd -o smtpd_tls_security_level=none\n");

        Assert.Equal(["smtp", "submission", "submissions", "127.0.0.1:2525"], status.Inbound.Select(l => l.Service));
        Assert.Equal([25, 587, 465, 2525], status.Inbound.Select(l => l.Port!.Value));
        Assert.Equal([InboundTls.Offered, InboundTls.Required, InboundTls.Implicit, InboundTls.Off], status.Inbound.Select(l => l.Tls));
        var smtp = status.Inbound[0];
        Assert.Equal(new SettingSource("smtpd_tls_security_level", "may", SettingOrigin.MainCf, new SourceSpan(dir.File("main.cf"), 2, 1)), smtp.Level);
        var submission = status.Inbound[1];
        Assert.Equal(SettingOrigin.MasterCf, submission.Level.Origin);
        Assert.Equal(new SourceSpan(dir.File("master.cf"), 6, 31), submission.Level.Span);
        Assert.Equal("encrypt", submission.Level.Value);
        Assert.Equal(7, status.Inbound[2].Line);
        Assert.Equal(CertificateKind.Files, smtp.Certificate.Kind);
        Assert.Equal(["/etc/postfix/key.pem", "/etc/postfix/cert.pem"], smtp.Certificate.Files);
        Assert.Null(status.Inbound[3].ProtocolFloor);
    }

    [Fact]
    public void Status_MayWithoutCertificate_IsOff_AndSaysThereIsNoStarttls()
    {
        using var dir = new TempDir();
        var status = Read(dir, "smtpd_tls_security_level = may\n", Stock);

        var smtp = Assert.Single(status.Inbound);
        Assert.Equal(InboundTls.Off, smtp.Tls);
        Assert.Equal(CertificateKind.Missing, smtp.Certificate.Kind);
        Assert.Contains("no certificate", smtp.Reason, StringComparison.Ordinal);
        Assert.Contains("no STARTTLS", smtp.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_DebianSnakeoilPair_IsNamedAsSuch()
    {
        using var dir = new TempDir();
        var status = Read(dir,
            "smtpd_tls_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem\nsmtpd_tls_key_file=/etc/ssl/private/ssl-cert-snakeoil.key\nsmtpd_tls_security_level=may\n",
            Stock);

        var smtp = Assert.Single(status.Inbound);
        Assert.Equal(InboundTls.Offered, smtp.Tls);
        Assert.Equal(CertificateKind.Snakeoil, smtp.Certificate.Kind);
        Assert.Contains("snakeoil", status.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Status_UnixDomainListener_HasNoPort_AndPostscreenTakesThePassEntrysSettings()
    {
        using var dir = new TempDir();
        var status = Read(dir,
            "smtpd_tls_cert_file = /c.pem\nsmtpd_tls_security_level = none\n",
            "smtp      inet  n       -       y       -       1       postscreen\n"
            + "smtpd     pass  -       -       y       -       -       smtpd -o smtpd_tls_security_level=may\n"
            + "filter    unix  n       -       n       -       -       smtpd\n");

        Assert.Equal(["smtp", "filter"], status.Inbound.Select(l => l.Service));
        Assert.Equal("postscreen", status.Inbound[0].Program);
        Assert.Equal(InboundTls.Offered, status.Inbound[0].Tls);
        Assert.Equal(SettingOrigin.MasterCf, status.Inbound[0].Level.Origin);
        Assert.Null(status.Inbound[1].Port);
        Assert.Equal(InboundTls.Off, status.Inbound[1].Tls);
        Assert.Contains("\"port\": null", status.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Status_ServiceNames_ResolveThroughTheServicesFile()
    {
        using var dir = new TempDir();
        var services = dir.Write("services", "# test\nmysmtp\t\t2626/tcp\tsmtp-alt # comment\nmysmtp\t\t2626/udp\nother 7/udp\n");
        var status = Read(dir, "smtpd_tls_security_level = none\n",
            "mysmtp inet n - y - - smtpd\nsmtp-alt inet n - y - - smtpd\n[::1]:mysmtp inet n - y - - smtpd\nother inet n - y - - smtpd\n",
            For37 with { ServicesFile = services });

        Assert.Equal([2626, 2626, 2626, null], status.Inbound.Select(l => l.Port));
    }

    [Fact]
    public void Status_LegacySwitches_AreReadAsTheLevelsTheyMeanIn37()
    {
        using var dir = new TempDir();
        var status = Read(dir, "smtpd_use_tls = yes\nsmtpd_tls_cert_file = /c.pem\nsmtp_enforce_tls = yes\nsmtp_tls_enforce_peername = no\n", Stock);

        Assert.Equal(InboundTls.Offered, status.Inbound[0].Tls);
        Assert.Equal(new SettingSource("smtpd_use_tls", "may", SettingOrigin.MainCf, new SourceSpan(dir.File("main.cf"), 1, 1)), status.Inbound[0].Level);
        Assert.Equal("encrypt", status.Outbound.Level.Value);
        Assert.Equal("smtp_enforce_tls", status.Outbound.Level.Parameter);
    }

    [Fact]
    public void Status_Outbound_DaneWithoutDnssec_IsIncomplete_PolicyTableCounted()
    {
        using var dir = new TempDir();
        var policy = dir.Write("tls_policy", "# comment\nexample.com encrypt\nexample.net dane\n  continued\n\n");
        var status = Read(dir,
            $"smtp_tls_security_level = dane\nsmtp_tls_policy_maps = hash:{policy}\nsmtp_tls_session_cache_database = btree:${{data_directory}}/smtp_scache\n",
            Stock);

        Assert.Equal("dane", status.Outbound.Level.Value);
        Assert.True(status.Outbound.DaneUsed);
        Assert.False(status.Outbound.DaneComplete);
        Assert.Equal(new PolicyTableStatus("hash", policy, 2), status.Outbound.PolicyTable);
        Assert.Equal("btree:${data_directory}/smtp_scache", status.Outbound.SessionCache);

        var complete = Read(dir, "smtp_tls_security_level = dane\nsmtp_dns_support_level = dnssec\n", Stock);
        Assert.True(complete.Outbound.DaneComplete);
        Assert.Null(complete.Outbound.PolicyTable);
    }

    [Fact]
    public void Status_NothingSet_OutboundIsNoneByDefault_In37()
    {
        using var dir = new TempDir();
        var status = Read(dir, "myhostname = mail.example\n", null);

        Assert.Null(status.MasterCfPath);
        var smtp = Assert.Single(status.Inbound);
        Assert.Equal(InboundTls.Off, smtp.Tls);
        Assert.Equal(SettingOrigin.Default, smtp.Level.Origin);
        Assert.Equal("none", status.Outbound.Level.Value);
        Assert.Null(status.Outbound.ProtocolFloor);
    }

    [Fact]
    public void Status_CheckFiles_SelfSignedCertificate_IssuerAndExpiry()
    {
        using var dir = new TempDir();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=mail.example", key, HashAlgorithmName.SHA256);
        var notAfter = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        using var certificate = request.CreateSelfSigned(notAfter.AddYears(-1), notAfter);
        var file = dir.Write("cert.pem", certificate.ExportCertificatePem() + "\n");
        var status = Read(dir, $"smtpd_tls_cert_file = {file}\nsmtpd_tls_security_level = encrypt\nsmtpd_tls_mandatory_protocols = >=TLSv1.2\n", Stock,
            For37 with { CheckFiles = true });

        var smtp = Assert.Single(status.Inbound);
        Assert.Equal(InboundTls.Required, smtp.Tls);
        Assert.Equal(CertificateKind.SelfSigned, smtp.Certificate.Kind);
        Assert.Equal("CN=mail.example", smtp.Certificate.Issuer);
        Assert.Equal(notAfter, smtp.Certificate.NotAfter);
        Assert.Equal("TLSv1.2", smtp.ProtocolFloor);
    }

    [Theory]
    [InlineData("!SSLv2, !SSLv3", "TLSv1")]
    [InlineData("!SSLv2:!SSLv3:!TLSv1:!TLSv1.1", "TLSv1.2")]
    [InlineData(">=TLSv1.3", "TLSv1.3")]
    [InlineData("TLSv1.2 TLSv1.3", "TLSv1.2")]
    [InlineData("", "SSLv3")]
    public void Floor_ReadsEachProtocolSyntax(string value, string floor) =>
        Assert.Equal(floor, TlsStatusReader.Floor(value));

    [Fact]
    public void Json_HasTheShapeOfIssue21()
    {
        using var dir = new TempDir();
        var status = Read(dir, "smtpd_tls_security_level = may\nsmtpd_tls_cert_file = /c.pem\n", Stock);

        using var json = JsonDocument.Parse(status.ToJson());
        var smtp = json.RootElement.GetProperty("inbound")[0];
        Assert.Equal("smtp", smtp.GetProperty("service").GetString());
        Assert.Equal(JsonValueKind.Number, smtp.GetProperty("port").ValueKind);
        Assert.Equal(25, smtp.GetProperty("port").GetInt32());
        Assert.Equal("offered", smtp.GetProperty("tls").GetString());
        Assert.Equal("none", json.RootElement.GetProperty("outbound").GetProperty("level").GetString());
    }

    [SchemaFact]
    public void Json_IsValidAgainstTheSchema_AndTheSchemaRejectsOtherMembers()
    {
        using var dir = new TempDir();
        var status = Read(dir, "smtpd_tls_security_level = may\nsmtpd_tls_cert_file = /c.pem\nsmtp_tls_policy_maps = hash:/nonexistent\n",
            Stock + "submission inet n - y - - smtpd -o smtpd_tls_security_level=encrypt\nx unix n - n - - smtpd\n");
        var json = status.ToJson();

        Assert.Equal(string.Empty, StatusSchema.Validate(json));
        Assert.NotEqual(string.Empty, StatusSchema.Validate(json.Replace("\"tls\": \"offered\"", "\"tls\": \"on\"", StringComparison.Ordinal)));
        Assert.NotEqual(string.Empty, StatusSchema.Validate(json.Replace("\"service\": \"smtp\"", "\"service\": \"smtp\", \"extra\": 1", StringComparison.Ordinal)));
    }

    [Fact]
    public void Lint_SaysTheSameAsStatus_InInfoLines_AndJsonStaysAnArray()
    {
        using var dir = new TempDir();
        dir.Write("main.cf", "smtpd_tls_security_level = may\n");
        dir.Write("master.cf", Stock);
        var lint = PostfixTls.LintMainCfFile(dir.File("main.cf"), LintOptions.Default with { Validation = ValidationOptions.Default with { PostfixVersion = PostfixVersion.Parse("3.7") } });

        var inbound = Assert.Single(lint, d => d.Code == DiagnosticCodes.InboundTlsStatus);
        Assert.Equal(DiagnosticSeverity.Info, inbound.Severity);
        Assert.Contains("TLS off", inbound.Message, StringComparison.Ordinal);
        Assert.Contains("no certificate", inbound.Message, StringComparison.Ordinal);
        Assert.Single(lint, d => d.Code == DiagnosticCodes.OutboundTlsStatus);

        var cli = CliRunner.Run("lint", dir.File("main.cf"), "--postfix-version", "3.7", "--format", "json");
        using var json = JsonDocument.Parse(cli.StdOut);
        Assert.Equal(JsonValueKind.Array, json.RootElement.ValueKind);
        Assert.Contains(json.RootElement.EnumerateArray(), d => d.GetProperty("code").GetString() == DiagnosticCodes.OutboundTlsStatus);
    }

    [Fact]
    public void Cli_Status_ConfigDirAndMainCf_SameAnswer_BadUseExits2()
    {
        using var dir = new TempDir();
        dir.Write("main.cf", "smtpd_tls_security_level = encrypt\nsmtpd_tls_cert_file = /c.pem\n");
        dir.Write("master.cf", Stock);

        var byDir = CliRunner.Run("status", "--config-dir", dir.Path, "--postfix-version", "3.7", "--format", "json");
        var byFile = CliRunner.Run("status", dir.File("main.cf"), "--postfix-version", "3.7", "--format", "json");
        Assert.Equal(0, byDir.ExitCode);
        Assert.Equal(byDir.StdOut, byFile.StdOut);
        Assert.Contains("\"tls\": \"required\"", byDir.StdOut, StringComparison.Ordinal);

        var text = CliRunner.Run("status", dir.File("main.cf"), "--postfix-version", "3.7");
        Assert.Contains("Inbound smtp (port 25, smtpd): TLS required.", text.StdOut, StringComparison.Ordinal);

        Assert.Equal(2, CliRunner.Run("status").ExitCode);
        Assert.Equal(2, CliRunner.Run("status", dir.File("nonexistent.cf")).ExitCode);
        dir.Write("main.cf", "not a parameter line\n");
        var bad = CliRunner.Run("status", dir.File("main.cf"));
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("main.cf(1,1)", bad.StdErr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, bad.StdOut);
    }
}

/// <summary>Validates JSON against <c>schema/tls-status.schema.json</c> with python3-jsonschema, as <see cref="ProbeSchemaTests"/> does for the probe report.</summary>
internal static class StatusSchema
{
    public static string Validate(string json)
    {
        using var dir = new TempDir();
        var file = dir.Write("status.json", json);
        var r = PostfixTools.Run("/usr/bin/python3", "-c",
            "import json, sys, jsonschema\n"
            + "schema = json.load(open(sys.argv[1]))\n"
            + "jsonschema.Draft202012Validator.check_schema(schema)\n"
            + "errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))), key=str)\n"
            + "print('\\n'.join(f'{list(e.absolute_path)}: {e.message}' for e in errors))\n"
            + "sys.exit(1 if errors else 0)\n",
            Path.Combine(RepoPaths.Root, "schema", "tls-status.schema.json"), file);
        return r.ExitCode == 0 ? string.Empty : r.StdOut + r.StdErr;
    }
}
