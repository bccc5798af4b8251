using PostfixConfig.Diagnostics;
using PostfixConfig.Yaml;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PostfixConfig.Tests.Yaml;

/// <summary>
/// A plain YAML boolean is Postfix's <c>yes</c> or <c>no</c>, in every spelling YAML 1.2's core schema
/// takes as a boolean (<c>true</c>, <c>True</c>, <c>TRUE</c>, <c>false</c>, <c>False</c>, <c>FALSE</c>);
/// anything quoted or tagged <c>!!str</c> stays the text it is. Both parsers behind the reader (the
/// subset fast path and YamlDotNet) are held to it: reading <c>false</c> as <c>yes</c> would flip
/// security settings such as <c>smtpd_tls_auth_only</c>.
/// </summary>
public class YamlBooleanTests
{
    private static readonly LoadOptions YamlDotNetOnly = LoadOptions.Default with { YamlDotNetOnly = true };

    public static TheoryData<string, string, bool> PlainBooleans()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var yamlDotNetOnly in new[] { false, true })
        {
            foreach (var spelling in new[] { "true", "True", "TRUE" })
            {
                data.Add(spelling, "yes", yamlDotNetOnly);
            }

            foreach (var spelling in new[] { "false", "False", "FALSE" })
            {
                data.Add(spelling, "no", yamlDotNetOnly);
            }
        }

        return data;
    }

    public static TheoryData<string, string, bool> NotBooleans()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var yamlDotNetOnly in new[] { false, true })
        {
            // Quoted or tagged text is text; YAML 1.2 has no yes/no/on/off booleans and no mixed case.
            data.Add("\"false\"", "false", yamlDotNetOnly);
            data.Add("'false'", "false", yamlDotNetOnly);
            data.Add("\"TRUE\"", "TRUE", yamlDotNetOnly);
            data.Add("!!str false", "false", yamlDotNetOnly);
            data.Add("!!str True", "True", yamlDotNetOnly);
            data.Add("fAlse", "fAlse", yamlDotNetOnly);
            data.Add("tRUE", "tRUE", yamlDotNetOnly);
            data.Add("off", "off", yamlDotNetOnly);
            data.Add("on", "on", yamlDotNetOnly);
            data.Add("falsey", "falsey", yamlDotNetOnly);
        }

        return data;
    }

    private static TlsConfiguration Load(string yaml, bool yamlDotNetOnly) =>
        PostfixTls.LoadYaml(yaml, "c.yaml", yamlDotNetOnly ? YamlDotNetOnly : null).GetValueOrThrow();

    private static string MainCf(TlsConfiguration config) =>
        PostfixTls.Render(config).GetValueOrThrow().Files.Single(f => f.FileName == "main.cf").Content;

    [Theory]
    [MemberData(nameof(PlainBooleans))]
    public void LoadYaml_PlainBoolean_RendersYesOrNo(string spelling, string expected, bool yamlDotNetOnly)
    {
        var config = Load($"postfix_version: \"3.7\"\nmain:\n  smtpd_tls_auth_only: {spelling}\n  smtpd_tls_received_header: {spelling}\n", yamlDotNetOnly);

        Assert.Equal(expected, config.Main["smtpd_tls_auth_only"].Text);
        var mainCf = MainCf(config);
        Assert.Contains($"\nsmtpd_tls_auth_only = {expected}\n", mainCf, StringComparison.Ordinal);
        Assert.Contains($"\nsmtpd_tls_received_header = {expected}\n", mainCf, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PlainBooleans))]
    public void LoadYaml_PlainBooleanPolicyAttributes_RenderYesOrNo(string spelling, string expected, bool yamlDotNetOnly)
    {
        // Both shapes of a policy entry: the block mapping and the flow mapping.
        var config = Load(
            "postfix_version: \"3.9\"\nmain:\n  smtp_tls_policy_maps: hash:/etc/postfix/tls_policy\ntls_policy:\n"
            + $"  a.example:\n    level: encrypt\n    connection_reuse: {spelling}\n    enable_rpk: {spelling}\n"
            + $"  b.example: {{level: encrypt, connection_reuse: {spelling}, enable_rpk: {spelling}}}\n",
            yamlDotNetOnly);

        var flag = expected == "yes";
        foreach (var destination in new[] { "a.example", "b.example" })
        {
            var entry = config.TlsPolicy.Find(destination)!;
            Assert.Equal(flag, entry.ConnectionReuse);
            Assert.Equal(flag, entry.EnableRpk);
            Assert.Equal($"encrypt connection_reuse={expected} enable_rpk={expected}", entry.RenderValue());
        }
    }

    [Theory]
    [MemberData(nameof(NotBooleans))]
    public void LoadYaml_QuotedOrOtherText_KeptAsText(string yaml, string expected, bool yamlDotNetOnly)
    {
        var config = Load($"postfix_version: \"3.7\"\nmain:\n  myhostname: {yaml}\n", yamlDotNetOnly);

        Assert.Equal(expected, config.Main["myhostname"].Text);
        Assert.Contains($"\nmyhostname = {expected}\n", MainCf(config), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("~", false)]
    [InlineData("null", false)]
    [InlineData("Null", false)]
    [InlineData("NULL", false)]
    [InlineData("", false)]
    [InlineData("~", true)]
    [InlineData("Null", true)]
    [InlineData("NULL", true)]
    public void LoadYaml_PlainNull_IsEmpty(string spelling, bool yamlDotNetOnly)
    {
        var config = Load($"main:\n  smtpd_tls_cert_file: {spelling}\n", yamlDotNetOnly);
        Assert.Equal(string.Empty, config.Main["smtpd_tls_cert_file"].Text);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("YES", true)]
    [InlineData("Yes", true)]
    [InlineData("no", false)]
    [InlineData("No", false)]
    [InlineData("NO", false)]
    public void LoadYaml_PolicyAttributeYesNoAnyCase_Read(string spelling, bool expected)
    {
        // Postfix reads yes/no without regard to case (mail_conf_bool.c uses strcasecmp).
        var config = Load($"tls_policy:\n  a.example: {{level: encrypt, connection_reuse: {spelling}, enable_rpk: {spelling}}}\n", yamlDotNetOnly: false);
        var entry = config.TlsPolicy.Find("a.example")!;
        Assert.Equal(expected, entry.ConnectionReuse);
        Assert.Equal(expected, entry.EnableRpk);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LoadYaml_PolicyAttributeNeitherYesNorNo_ErrorAtTheValue(bool yamlDotNetOnly)
    {
        var r = PostfixTls.LoadYaml(
            "tls_policy:\n  a.example:\n    level: encrypt\n    connection_reuse: maybe\n  b.example: {level: encrypt, enable_rpk: \"on\"}\n",
            "c.yaml", yamlDotNetOnly ? YamlDotNetOnly : null);

        var errors = r.Diagnostics.Where(d => d.Code == DiagnosticCodes.InvalidPolicyAttributeValue).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        Assert.Equal((4, 23), (errors[0].Span!.Value.Line, errors[0].Span!.Value.Column));
        Assert.Contains("connection_reuse takes yes or no, not 'maybe'.", errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(5, errors[1].Span!.Value.Line);
        Assert.Contains("enable_rpk takes yes or no, not 'on'.", errors[1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("FALSE")]
    [InlineData("True")]
    public void SubsetParser_PlainBoolean_IsReadWithoutFallingBackToYamlDotNet(string spelling)
    {
        // The default load must go through the fast path for these files, so the tests above with
        // yamlDotNetOnly = false hold the subset parser (not YamlDotNet) to the yes/no rule.
        var yaml = $"main:\n  smtpd_tls_auth_only: {spelling}\n";
        var events = new SubsetYamlEvents(new SubsetYamlParser(new StringReader(yaml), yaml.Length));
        var scalars = new List<Scalar>();
        while (events.MoveNext())
        {
            if (events.Current is Scalar s)
            {
                scalars.Add(s);
            }
        }

        var value = scalars[^1];
        Assert.Equal(spelling, value.Value);
        Assert.Equal(ScalarStyle.Plain, value.Style);
    }
}
