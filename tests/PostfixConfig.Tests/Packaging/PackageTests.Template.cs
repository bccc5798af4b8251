using System.IO.Compression;
using PostfixConfig.Diagnostics;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Packaging;

/// <content>
/// The third user (issue 27): dotnet new postfixconfig-infra from the packed template, its tests run
/// against the packed library and testing package, passing, then failing with a message that names
/// the host, the parameter and the diagnostic code once one host is broken.
/// </content>
public partial class PackageTests
{
    private static readonly TimeSpan TemplateStepTimeout = TimeSpan.FromMinutes(10);

    [Fact]
    public void TemplatePackage_IsATemplateReferencingThePackedVersion()
    {
        using var nupkg = ZipFile.OpenRead(packed.Package("PostfixConfig.Templates"));
        var nuspec = Read(nupkg, "PostfixConfig.Templates.nuspec");
        Assert.Contains("<packageType name=\"Template\" />", nuspec, StringComparison.Ordinal);
        Assert.Contains($"\"defaultValue\": \"{packed.Version}\"", Read(nupkg, "content/PostfixConfigInfra/.template.config/template.json"), StringComparison.Ordinal);
        Assert.Contains("content/PostfixConfigInfra/tests/Hosts.Tests/golden/newsletter/main.cf", nupkg.Entries.Select(e => e.FullName));
        using var testing = ZipFile.OpenRead(packed.Package("PostfixConfig.Testing"));
        Assert.Contains($"<dependency id=\"PostfixConfig\" version=\"{packed.Version}\"", Read(testing, "PostfixConfig.Testing.nuspec"), StringComparison.Ordinal);
    }

    [Fact]
    public void Template_Instantiated_TestsPass_ThenABrokenHostFailsNamingHostParameterAndCode()
    {
        var hive = Path.Combine(packed.Work, "template-hive");
        var home = Path.Combine(packed.Work, "template-home");
        var solution = Path.Combine(packed.Work, "MailInfra");
        Directory.CreateDirectory(home);
        Template(packed.Work, "new", "install", packed.Package("PostfixConfig.Templates"), "--debug:custom-hive", hive).AssertOk();
        Template(packed.Work, "new", "postfixconfig-infra", "-o", solution, "--debug:custom-hive", hive).AssertOk();
        Assert.Contains($"<PostfixConfigVersion>{packed.Version}</PostfixConfigVersion>", File.ReadAllText(Path.Combine(solution, "Directory.Build.props")), StringComparison.Ordinal);

        var passing = Template(packed.Work, "test", solution);
        passing.AssertOk();
        Assert.Contains("Passed!", passing.Output, StringComparison.Ordinal);

        // The console renders both hosts.
        var output = Path.Combine(packed.Work, "infra-out");
        Template(solution, "run", "--project", "src/MailConsole", "--", "render", output).AssertOk();
        Assert.True(File.Exists(Path.Combine(output, "newsletter", "main.cf")));
        Assert.True(File.Exists(Path.Combine(output, "submission", "master.cf")));

        // Break the newsletter host: a level Postfix 3.7 does not know.
        var hosts = Path.Combine(solution, "src", "Hosts", "MailHosts.cs");
        var code = File.ReadAllText(hosts);
        const string Line = ".Set(\"smtpd_tls_security_level\", \"may\")";
        Assert.Equal(1, code.Split(Line).Length - 1);
        File.WriteAllText(hosts, code.Replace(Line, ".Set(\"smtpd_tls_security_level\", \"bogus\")", StringComparison.Ordinal));

        var failing = Template(packed.Work, "test", solution);
        Assert.NotEqual(0, failing.ExitCode);
        Assert.Contains($"newsletter: error {DiagnosticCodes.UnknownValue} smtpd_tls_security_level: ", failing.Output, StringComparison.Ordinal);
        Assert.Contains("MailHostTests.ValidatesForItsRelease(host: \"newsletter\") [FAIL]", failing.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("ValidatesForItsRelease(host: \"submission\") [FAIL]", failing.Output, StringComparison.Ordinal);
    }

    /// <summary>dotnet with this run's package folder, a CLI home of its own (first-run files, template cache) and without the test host's MSBuild settings.</summary>
    private TemplateRun Template(string workingDirectory, params string[] args)
    {
        var r = ProcessRunner.Run("dotnet", args, env =>
        {
            foreach (var key in env.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                env.Remove(key);
            }

            env["DOTNET_CLI_HOME"] = Path.Combine(packed.Work, "template-home");
            env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            env["DOTNET_NOLOGO"] = "1";
            env["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
            env["NUGET_PACKAGES"] = packed.Packages;
            env.Remove("UPDATE_GOLDEN");
        }, workingDirectory, TemplateStepTimeout);
        return new TemplateRun(string.Join(' ', args), r.ExitCode, r.StdOut + r.StdErr);
    }

    private sealed record TemplateRun(string Command, int ExitCode, string Output)
    {
        public void AssertOk() => Assert.True(ExitCode == 0, $"dotnet {Command} exited {ExitCode}:\n{Output}");
    }
}
