using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.Support;
using PostfixConfig.Syntax;

namespace PostfixConfig.Tests.Validation;

/// <summary>
/// The socketmap syntax, with the installed Postfix as the judge: postmap either tries the endpoint
/// (a lookup error, since nothing listens on 127.0.0.1 port 1 or at a missing path) or refuses the
/// reference with a fatal error before it connects.
/// </summary>
public class SocketmapSyntaxTests
{
    /// <summary>References and whether Postfix accepts them; only loopback addresses and missing paths, so nothing leaves the machine.</summary>
    public static TheoryData<string, bool> References => new()
    {
        { "socketmap:inet:127.0.0.1:1:postfix", true },
        { "socketmap:inet:[::1]:1:QUERY", true },
        { "socketmap:unix:/nonexistent/pfc/sock:postfix", true },
        { "socketmap:local:/nonexistent/pfc/sock:postfix", true },
        { "socketmap:127.0.0.1:1:postfix", false },         // the example: no transport
        { "socketmap:inet:127.0.0.1:postfix", false },      // no port
        { "socketmap:inet:127.0.0.1:8461", false },         // no map name
        { "socketmap:tcp:127.0.0.1:1:postfix", false },
        { "socketmap:nothing", false },
        { "socketmap:unix::postfix", false },
    };

    [PostfixTheory]
    [Trait("Category", "Slow")] // runs postmap
    [MemberData(nameof(References))]
    public void CheckMapName_AgreesWithPostmap(string reference, bool valid)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("main.cf"), string.Empty);
        var r = PostfixTools.Run(PostfixTools.Postmap, "-c", dir.Path, "-q", "example.com", reference);
        var postfixTried = r.StdErr.Contains("lookup error", StringComparison.Ordinal);
        Assert.True(valid == postfixTried, $"postmap: {r.StdErr}");
        var ours = SocketmapSyntax.CheckMapName(reference["socketmap:".Length..]);
        Assert.True(valid == (ours is null), ours ?? "accepted");
    }

    [Theory]
    [InlineData("inet:127.0.0.1:8461", null)]
    [InlineData("inet:[::1]:8642", null)]
    [InlineData("inet:mta-sts.local:8461", null)]
    [InlineData("inet::8461", null)] // no host: Postfix connects to localhost
    [InlineData("inet:127.0.0.1:smtp", null)]
    [InlineData("unix:/run/postfix-tlspol/tlspol.sock", null)]
    [InlineData("inet:127.0.0.1", "has no port")]
    [InlineData("inet:127.0.0.1:", "has no port")]
    [InlineData("inet:[::1]", "has no port")]
    [InlineData("inet:[::1:8461", "no closing ']'")]
    [InlineData("inet:127.0.0.1:0", "not a number from 1 to 65535")]
    [InlineData("inet:127.0.0.1:65536", "not a number from 1 to 65535")]
    [InlineData("inet:127.0.0.1:84x1", "not a number from 1 to 65535")]
    [InlineData("inet:bad host:8461", "neither a host name nor an IP address")]
    [InlineData("127.0.0.1:8461", "'127.0.0.1' is not a transport")]
    [InlineData("tcp:127.0.0.1:8461", "'tcp' is not a transport")]
    [InlineData("unix:", "needs the socket's path")]
    [InlineData("inet:", "needs HOST:PORT")]
    public void CheckEndpoint_SaysWhatIsWrong(string endpoint, string? problem)
    {
        var found = SocketmapSyntax.CheckEndpoint(endpoint);
        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.NotNull(found);
            Assert.Contains(problem, found, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CheckMapName_EmptyNameAndMissingName_AreExplained()
    {
        Assert.Contains("socketmap name", SocketmapSyntax.CheckMapName("inet:127.0.0.1:8461:"), StringComparison.Ordinal);
        Assert.Contains("has no socketmap name", SocketmapSyntax.CheckMapName("inet:127.0.0.1:8461"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("smtp_tls_policy_maps")]
    [InlineData("virtual_alias_maps")]
    [InlineData("relay_recipient_maps")]
    public void Validate_MalformedSocketmapInAnyMapParameter_IsAnError(string parameter)
    {
        var found = Check.Validate($"main:\n  {parameter}: hash:/etc/postfix/x, socketmap:127.0.0.1:8461:postfix\n", "3.7");
        var d = Assert.Single(found, d => d.Code == DiagnosticCodes.InvalidMapReference);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(new SourceSpan("t.yaml", 2, 3 + parameter.Length + 2), d.Span);
        Assert.Contains("invalid transport name: 127.0.0.1", d.Message, StringComparison.Ordinal);
        Assert.Contains("inet:127.0.0.1:8461", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WellFormedSocketmaps_AreAccepted()
    {
        var found = Check.Validate("main:\n  smtp_tls_policy_maps: socketmap:inet:127.0.0.1:8461:postfix, socketmap:unix:/run/tlspol.sock:QUERY\n", "3.7");
        Assert.DoesNotContain(found, d => d.Code == DiagnosticCodes.InvalidMapReference);
    }

    [Fact]
    public void Validate_MalformedSocketmapInAServiceOverride_IsAnError()
    {
        var found = Check.Validate("services:\n  submission:\n    smtp_tls_policy_maps: socketmap:inet:127.0.0.1:postfix\n", "3.7");
        Assert.Contains(found, d => d.Code == DiagnosticCodes.InvalidMapReference && d.Severity == DiagnosticSeverity.Error && d.Message.Contains("has no port", StringComparison.Ordinal));
    }
}
