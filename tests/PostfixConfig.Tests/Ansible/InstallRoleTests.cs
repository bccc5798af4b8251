using System.Reflection;
using PostfixConfig.Tests.Packaging;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Ansible;

/// <summary>
/// The role <c>postfixconfig.postfix.install</c> run by the real <c>ansible-playbook</c>: the .NET tool
/// installed from a local feed that <c>dotnet pack</c> made of the working tree (only that feed is
/// used), and the binary method copying the CLI's build output. Each installs once, is unchanged the
/// second time, and the module then runs the installed postfix-config. The feed is the packaging
/// tests' (<see cref="PackedPackages"/>, shared per run): packing the tool again would compile it
/// natively twice more.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PackedPackagesGroup.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class InstallRoleTests(PackedPackages packed)
{
    private static string Play(string roleVars, string? etc) => $$$"""
        - hosts: all
          gather_facts: false
          roles:
            - role: postfixconfig.postfix.install
              vars:
        {{{roleVars}}}
        """ + (etc is null ? string.Empty : $$$"""

          tasks:
            - name: Apply with the installed postfix-config
              postfixconfig.postfix.postfix_config:
                config:
                  postfix_version: "3.7"
                  main:
                    smtpd_tls_security_level: may
                config_dir: {{{etc}}}
                reload: false
                executable: "{{ postfixconfig_executable }}"
        """);

    private static void AssertRecap(PostfixTools.ProcessResult run, int changed)
    {
        Assert.True(run.ExitCode == 0, $"ansible-playbook exited {run.ExitCode}:\n{run.StdOut}\n{run.StdErr}");
        Assert.Matches($@"localhost\s+: ok=\d+\s+changed={changed}\s+unreachable=0\s+failed=0", run.StdOut);
    }

    [AnsibleFact]
    public void DotnetTool_FromTheNamedFeedOnly_InstalledOnce_ThenUnchanged_TheModuleRunsIt()
    {
        using var ws = new AnsibleWorkspace();
        var version = packed.Version;
        var feed = packed.Feed;
        var etc = ws.ConfigFolder("mx");
        var tools = ws.File("tools");
        var link = ws.File("bin/postfix-config");
        Directory.CreateDirectory(ws.File("bin"));
        var vars = $"""
                    postfixconfig_feed: {feed}
                    postfixconfig_version: {version}
                    postfixconfig_install_dir: {tools}
                    postfixconfig_link: {link}
                    postfixconfig_dotnet_environment:
                      DOTNET_CLI_HOME: {ws.File("dotnet-home")}
                      NUGET_PACKAGES: {ws.File("nuget-packages")}
            """;

        var first = ws.Playbook(Play(vars, etc));
        AssertRecap(first, changed: 3); // the install, the link, the apply
        Assert.Matches(@"Run dotnet tool install \(or update\)\] \*+\nchanged", first.StdOut);
        Assert.Equal(version + "\n", PackedPackages.RunProcess(Path.Combine(tools, "postfix-config"), ws.Path, null, "--version"));
        Assert.Equal(Path.Combine(tools, "postfix-config"), new FileInfo(link).LinkTarget);
        Assert.Equal(version + "\n", PackedPackages.RunProcess(link, ws.Path, null, "--version"));
        Assert.True(Directory.Exists(Path.Combine(tools, ".store", "postfixconfig.cli", version)));
        Assert.Contains($"{tools}/postfix-config", ws.Result().GetProperty("cmd")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("may", PostfixTools.PostconfN(etc).Values["smtpd_tls_security_level"]);
        Assert.Empty(Directory.GetDirectories(ws.File("tmp"), "postfix-config-feed.*")); // the feed's nuget.config is gone

        var second = ws.Playbook(Play(vars, etc));
        AssertRecap(second, changed: 0);
        Assert.Matches(@"Run dotnet tool install \(or update\)\] \*+\nskipping", second.StdOut);
    }

    [AnsibleFact]
    public void Binary_CopiesThePublishedFolder_CheckModeChangesNothing_SecondRunUnchanged()
    {
        using var ws = new AnsibleWorkspace();
        var configuration = typeof(PostfixConfig.Cli.CliApp).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var published = Path.Combine(RepoPaths.Root, "src", "PostfixConfig.Cli", "bin", configuration, "net10.0");
        Assert.True(File.Exists(Path.Combine(published, "postfix-config")), published);
        var etc = ws.ConfigFolder("mx");
        var install = ws.File("opt/postfix-config");
        var link = ws.File("bin/postfix-config");
        Directory.CreateDirectory(ws.File("bin"));
        var vars = $"""
                    postfixconfig_install_method: binary
                    postfixconfig_binary_src: {published}
                    postfixconfig_install_dir: {install}
                    postfixconfig_link: {link}
            """;

        var check = ws.Playbook(Play(vars, etc: null), "--check"); // the role alone: there is no postfix-config to apply with yet
        Assert.True(check.ExitCode == 0, check.StdOut);
        Assert.Contains("changed: [localhost]", check.StdOut, StringComparison.Ordinal);
        Assert.False(Directory.Exists(install));
        Assert.False(File.Exists(link));

        var first = ws.Playbook(Play(vars, etc));
        AssertRecap(first, changed: 4); // the folder, the copy, the link, the apply
        foreach (var file in Directory.GetFiles(published))
        {
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(install, Path.GetFileName(file))));
        }

        Assert.True((File.GetUnixFileMode(Path.Combine(install, "postfix-config")) & UnixFileMode.UserExecute) != 0);
        Assert.Equal(PackedPackages.RunProcess(Path.Combine(published, "postfix-config"), ws.Path, null, "--version"),
            PackedPackages.RunProcess(link, ws.Path, null, "--version"));
        Assert.Equal("may", PostfixTools.PostconfN(etc).Values["smtpd_tls_security_level"]);

        var second = ws.Playbook(Play(vars, etc));
        AssertRecap(second, changed: 0);
    }
}
