using PostfixConfig.Tests.Cli;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Rendering;

/// <summary>
/// User templates (<c>--templates</c>) run sandboxed: a template that loops forever, recurses,
/// builds or writes too much, or reaches for files or .NET objects fails with exit 2 and one line,
/// and the output folder is left exactly as it was.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class TemplateSandboxTests
{
    private static string Newsletter => Path.Combine(RepoPaths.Examples, "newsletter.yaml");

    /// <summary>Renders the newsletter example with a user main.cf.sbn; returns the result and whether the folder is unchanged.</summary>
    private static (CliRunner.CliResult Result, bool Unchanged, string MainCf) RenderWith(string template, Action<string>? prepare = null)
    {
        using var dir = new TempDir();
        var templates = Path.Combine(dir.Path, "templates");
        Directory.CreateDirectory(templates);
        File.WriteAllText(Path.Combine(templates, "main.cf.sbn"), template);
        prepare?.Invoke(templates);
        var outDir = BadInputTests.PreparedOutput(dir);
        var before = FolderSnapshot.Of(outDir);
        var r = CliRunner.Run("render", Newsletter, "--out", outDir, "--templates", templates);
        return (r, before == FolderSnapshot.Of(outDir), File.ReadAllText(Path.Combine(outDir, "main.cf")));
    }

    private static void AssertFails(string template, string message, Action<string>? prepare = null)
    {
        var (r, unchanged, _) = RenderWith(template, prepare);
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.StdErr}");
        Assert.StartsWith("postfix-config: Template ", r.StdErr, StringComparison.Ordinal);
        Assert.Contains(message, r.StdErr, StringComparison.Ordinal);
        Assert.Single(r.StdErr.TrimEnd('\n').Split('\n'));
        Assert.True(unchanged, "the output folder changed");
    }

    [Fact]
    public void Render_TemplateLoopsForever_Exit2NothingWritten() =>
        AssertFails("{{ while true; end }}", "Exceeding number of iteration limit");

    [Fact]
    public void Render_NestedLoopsOfABillionSteps_Exit2NothingWritten() =>
        AssertFails("{{ for i in 1..100000; for j in 1..100000; end; end }}", "Exceeding number of iteration limit");

    [Fact]
    public void Render_RangeOfABillion_Exit2NothingWritten() =>
        AssertFails("{{ 1..1000000000 | array.size }}", "exceeds LoopLimit");

    [Fact]
    public void Render_TemplateEmitsGigabytes_Exit2NothingWritten() =>
        AssertFails("{{ s = \"x\" | string.pad_right 1000000 }}{{ for i in 1..1000; s; end }}", "Rendered output exceeds OutputLimit");

    [Fact]
    public void Render_TemplateBuildsAHugeString_Exit2NothingWritten() =>
        AssertFails("{{ \"x\" | string.pad_right 1000000000 }}", "exceeds the configured LimitToString");

    [Fact]
    public void Render_TemplateRecursesForever_Exit2NothingWritten() =>
        AssertFails("{{ func f; f; end; f }}", "recursive depth limit `64`");

    [Fact]
    public void Render_TemplateIncludesItself_Exit2NothingWritten() =>
        AssertFails("{{ include 'main.cf.sbn' }}", "recursive depth limit `64`");

    [Trait("Category", "Slow")]
    [Fact]
    public void Render_CatastrophicRegex_StoppedByTheTimeout() =>
        AssertFails("{{ \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\" | regex.match `^(a+)+$` }}", "timed out");

    [Fact]
    public void Render_DeeplyNestedExpression_ParseErrorNotACrash() =>
        AssertFails("{{ " + new string('(', 20000) + "1" + new string(')', 20000) + " }}", "depth limit");

    [Theory]
    [InlineData("{{ include '../secret.sbn' }}")]
    [InlineData("{{ include '/etc/hostname' }}")]
    [InlineData("{{ include 'sub/../../secret.sbn' }}")]
    public void Render_IncludeOutsideTheFolder_Refused(string template) =>
        AssertFails(template, "includes must name a file inside the templates folder",
            t => File.WriteAllText(Path.Combine(Path.GetDirectoryName(t)!, "secret.sbn"), "SECRET"));

    [Fact]
    public void Render_IncludeThroughALinkOutOfTheFolder_Refused() =>
        AssertFails("{{ include 'evil.sbn' }}", "leads out of the templates folder",
            t =>
            {
                File.WriteAllText(Path.Combine(Path.GetDirectoryName(t)!, "secret.sbn"), "SECRET");
                File.CreateSymbolicLink(Path.Combine(t, "evil.sbn"), "../secret.sbn");
            });

    [Fact]
    public void Render_TemplateFolderHoldsALinkedSubfolderOutside_Refused() =>
        AssertFails("{{ include 'sub/secret.sbn' }}", "leads out of the templates folder",
            t =>
            {
                var outside = Path.Combine(Path.GetDirectoryName(t)!, "outside");
                Directory.CreateDirectory(outside);
                File.WriteAllText(Path.Combine(outside, "secret.sbn"), "SECRET");
                Directory.CreateSymbolicLink(Path.Combine(t, "sub"), outside);
            });

    [Fact]
    public void Render_MainTemplateIsALinkOutOfTheFolder_RefusedNotFallenBack() =>
        AssertFails("unused", "leads out of the templates folder",
            t =>
            {
                File.Delete(Path.Combine(t, "main.cf.sbn"));
                File.CreateSymbolicLink(Path.Combine(t, "main.cf.sbn"), "/etc/hostname");
            });

    [Fact]
    public void Render_IncludeInsideTheFolder_Works()
    {
        var (r, _, mainCf) = RenderWith("{{ include 'parts/head.sbn' }}\nmyhostname = x\n",
            t =>
            {
                Directory.CreateDirectory(Path.Combine(t, "parts"));
                File.WriteAllText(Path.Combine(t, "parts", "head.sbn"), "# head");
            });
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal("# head\nmyhostname = x\n", mainCf);
    }

    [Theory]
    [InlineData("{{ header[0].Length }}", "Cannot get member with name Length")]
    [InlineData("{{ header.GetType }}", "Cannot get member with name GetType")]
    [InlineData("{{ date.now.Ticks }}", "Cannot get member with name Ticks")]
    public void Render_TemplateReachesForDotNetMembers_Refused(string template, string message) =>
        AssertFails(template, message);

    [Fact]
    public void Render_TemplateFileTooLarge_Refused() =>
        AssertFails(new string('#', 2 << 20), "templates are limited to 1048576 bytes");

    [Fact]
    public void Render_TemplatesFolderMissing_Exit2()
    {
        using var dir = new TempDir();
        var outDir = BadInputTests.PreparedOutput(dir);
        var before = FolderSnapshot.Of(outDir);
        var r = CliRunner.Run("render", Newsletter, "--out", outDir, "--templates", Path.Combine(dir.Path, "nope"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("the templates folder does not exist", r.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, FolderSnapshot.Of(outDir));
    }

    [Fact]
    public void Render_ValueThatLooksLikeTemplateCode_WrittenLiterally()
    {
        // A user template prints values; Scriban never evaluates what is inside them.
        using var dir = new TempDir();
        var config = dir.Write("c.yaml", "postfix_version: \"3.7\"\nmain:\n  smtpd_banner: \"{{ 1 + 1 }} {{ include '/etc/hostname' }}\"\n");
        var templates = Path.Combine(dir.Path, "templates");
        Directory.CreateDirectory(templates);
        File.WriteAllText(Path.Combine(templates, "main.cf.sbn"), "{{ for g in groups; for p in g.parameters; p.name; \" = \"; p.value; \"\\n\"; end; end }}");
        var outDir = Path.Combine(dir.Path, "out");
        var r = CliRunner.Run("render", config, "--out", outDir, "--templates", templates);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal("smtpd_banner = {{ 1 + 1 }} {{ include '/etc/hostname' }}\n", File.ReadAllText(Path.Combine(outDir, "main.cf")));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Render_LargePolicyTableWithUserTemplate_LimitsGrowWithTheConfiguration()
    {
        // 30 000 entries: more loop steps and output than the fixed part of the limits allows.
        using var dir = new TempDir();
        var yaml = new System.Text.StringBuilder("postfix_version: \"3.7\"\nmain:\n  smtp_tls_policy_maps: hash:/etc/postfix/tls_policy\ntls_policy:\n");
        for (var i = 0; i < 30_000; i++)
        {
            yaml.Append("  host").Append(i).Append(".example.com: encrypt\n");
        }

        var config = dir.Write("c.yaml", yaml.ToString());
        var templates = Path.Combine(dir.Path, "templates");
        Directory.CreateDirectory(templates);
        File.WriteAllText(Path.Combine(templates, "tls_policy.sbn"),
            "{{ for e in entries; for i in 1..40; end; e.key; \" \"; e.value; \"                                              # a long comment\\n\"; end }}");
        var outDir = Path.Combine(dir.Path, "out");
        var r = CliRunner.Run("render", config, "--out", outDir, "--templates", templates);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal(30_000, File.ReadLines(Path.Combine(outDir, "tls_policy")).Count());
    }

    [Fact]
    public void Render_IncludeNameWithControlCharacter_Refused() =>
        AssertFails("{{ include \"a\\x01b\" }}", "a template name must be a path inside the templates folder");

    [Fact]
    public void Render_RefusedInclude_GivesItsPositionOneBased() =>
        AssertFails("# a\n{{ include \"../x\" }}\n", "includes must name a file inside the templates folder (at main.cf.sbn:2:4)");

    [Fact]
    public void Render_UndefinedVariable_IsAnErrorNotEmptyText() =>
        AssertFails("{{ no_such_variable }}", "`no_such_variable` was not found");

    [Fact]
    public void Render_UserTemplate_SeesThePostfixVersion()
    {
        var (r, _, mainCf) = RenderWith("release {{ postfix_version }}\n");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal("release 3.7\n", mainCf);
    }

    [Fact]
    public void Render_UserTemplateIncludesABuiltInTemplate_Works()
    {
        // tls_server_sni.sbn is not in the folder: the include falls back to the built-in one.
        var (r, _, mainCf) = RenderWith("{{ entries = [] }}{{ include 'tls_server_sni.sbn' }}");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.StartsWith("# Generated by postfix-config for Postfix 3.7.\n", mainCf, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Utf16TemplateWithByteOrderMark_Read()
    {
        var (r, _, mainCf) = RenderWith("unused", t => File.WriteAllText(Path.Combine(t, "main.cf.sbn"), "# grüße {{ 1 + 1 }}\n", new System.Text.UnicodeEncoding(false, true)));
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal("# grüße 2\n", mainCf);
    }

    [Fact]
    public void Render_TemplateOfExactlyTheLimit_Accepted_OneByteMore_Refused()
    {
        const int limit = 1 << 20; // 1 MiB, the documented size limit of a template file
        static string Sized(int bytes) => "ok\n{{ # " + new string('x', bytes - "ok\n{{ # ".Length - " }}".Length) + " }}";
        var (r, _, mainCf) = RenderWith(Sized(limit));
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal("ok\n", mainCf);
        AssertFails(Sized(limit + 1), $"the file is {limit + 1} bytes long; templates are limited to {limit} bytes");
    }

    [Fact]
    public async Task Render_TemplateIsAFifo_RefusedWithoutOpeningIt()
    {
        // Opening a FIFO with no writer blocks: the template must be refused before it is opened.
        var run = Task.Run(() => AssertFails("unused", "is not a regular file (a FIFO, device or socket); it was not opened", t =>
        {
            File.Delete(Path.Combine(t, "main.cf.sbn"));
            Assert.Equal(0, ProcessRunner.Run("mkfifo", [Path.Combine(t, "main.cf.sbn")]).ExitCode);
        }));
        await run.WaitAsync(TimeSpan.FromMinutes(2)); // TimeoutException: render blocked on the FIFO
    }

    [Fact]
    public void Render_IncludeOfAMissingTemplate_SaysWhereItLooked() =>
        AssertFails("{{ include 'nope.sbn' }}", "Template nope.sbn: no such template (neither in the templates folder nor built in)");
}
