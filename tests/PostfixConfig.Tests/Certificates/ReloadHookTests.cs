using System.Diagnostics;
using PostfixConfig.Catalog;
using PostfixConfig.Certificates;
using PostfixConfig.Diagnostics;
using PostfixConfig.Rendering;
using PostfixConfig.Tests.Support;

namespace PostfixConfig.Tests.Certificates;

/// <summary>The rendered reload hooks: golden files, and the certbot hook run with fake postfix and postmap commands.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class ReloadHookTests
{
    private static string GoldenDir => Path.Combine(RepoPaths.TestProject, "Certificates", "Golden", "reload-hooks");

    private static Result<RenderedConfiguration> Render(TlsConfiguration config, ReloadHooks hooks) =>
        PostfixTls.Render(config, RenderOptions.Default with { ReloadHooks = hooks });

    private static RenderedConfiguration RenderGolden()
    {
        var loaded = PostfixTls.LoadYaml(File.ReadAllText(Path.Combine(GoldenDir, "input.yaml")), "input.yaml");
        var rendered = Render(loaded.GetValueOrThrow(), ReloadHooks.Certbot | ReloadHooks.Systemd);
        Assert.False(rendered.HasErrors, rendered.Diagnostics.ToString());
        return rendered.Value;
    }

    [Theory]
    [InlineData("certbot-deploy-hook-postfix")]
    [InlineData("postfix-certificates.path")]
    [InlineData("postfix-certificates.service")]
    public void Render_BothHooks_MatchGoldenFiles(string name)
    {
        var file = RenderGolden().Find(name);

        Assert.NotNull(file);
        Assert.Equal(RenderedFileKind.Auxiliary, file.Kind);
        Assert.Equal(name == "certbot-deploy-hook-postfix", file.IsExecutable);
        Golden.Match(Path.Combine(GoldenDir, name), file.Content);
    }

    [Fact]
    public void WriteTo_CertbotHook_Mode0755AndOthers0644()
    {
        using var dir = new TempDir();

        RenderGolden().WriteTo(dir.Path);

        Assert.Equal(CertificateFiles.Mode755, File.GetUnixFileMode(dir.File("certbot-deploy-hook-postfix")));
        Assert.Equal(CertificateFiles.Mode644, File.GetUnixFileMode(dir.File("postfix-certificates.path")));
        Assert.Equal(CertificateFiles.Mode644, File.GetUnixFileMode(dir.File("main.cf")));
    }

    [ToolFact("systemd-analyze")]
    public void Render_SystemdUnits_PassSystemdAnalyzeVerify()
    {
        using var dir = new TempDir();
        RenderGolden().WriteTo(dir.Path);

        var r = PostfixTools.Run(Tools.Require("systemd-analyze"), "verify", "--man=no",
            dir.File("postfix-certificates.path"), dir.File("postfix-certificates.service"));

        Assert.True(r.ExitCode == 0 && r.StdErr.Trim().Length == 0, $"systemd-analyze verify ({r.ExitCode}): {r.StdErr}");
    }

    [Fact]
    public void SystemdWatchPaths_CertbotLineageFiles_WatchedThroughTheirFolder()
    {
        Assert.Equal(
            ["/etc/letsencrypt/live/mail.example.com", "/etc/postfix/client.pem", "/srv/live.pem"],
            ReloadHookModel.SystemdWatchPaths(
            [
                "/etc/letsencrypt/live/mail.example.com/privkey.pem",
                "/etc/letsencrypt/live/mail.example.com/fullchain.pem",
                "/etc/postfix/client.pem",
                "/srv/live.pem",
            ]));
    }

    [Fact]
    public void Render_NoCertificateFiles_WarnsAndWritesNoHook()
    {
        var config = new TlsConfiguration { PostfixVersion = PostfixVersion.Parse("3.7") }.Set("smtpd_tls_security_level", "may");

        var rendered = Render(config, ReloadHooks.Certbot | ReloadHooks.Systemd);

        Assert.False(rendered.HasErrors);
        Assert.Contains(rendered.Diagnostics, d => d.Code == DiagnosticCodes.ReloadHookIncomplete && d.Severity == DiagnosticSeverity.Warning);
        Assert.Equal(["main.cf"], rendered.Value.Files.Select(f => f.FileName));
    }

    [Fact]
    public void Render_CopiesOutsideCertbotLineage_CertbotHookWarning()
    {
        var config = new TlsConfiguration { PostfixVersion = PostfixVersion.Parse("3.7") }
            .Set("smtpd_tls_chain_files", ["/etc/postfix/key.pem", "/etc/postfix/chain.pem"]);

        var rendered = Render(config, ReloadHooks.Certbot);

        Assert.Contains("can never fire", Assert.Single(rendered.Diagnostics, d => d.Code == DiagnosticCodes.ReloadHookIncomplete).Message, StringComparison.Ordinal);
        Assert.NotNull(rendered.Value!.Find("certbot-deploy-hook-postfix"));
    }

    [Fact]
    public void Render_WithoutHookOption_NoAuxiliaryFiles()
    {
        var loaded = PostfixTls.LoadYaml(File.ReadAllText(Path.Combine(GoldenDir, "input.yaml")));

        var rendered = PostfixTls.Render(loaded.GetValueOrThrow());

        Assert.DoesNotContain(rendered.Value!.Files, f => f.Kind == RenderedFileKind.Auxiliary);
    }

    /// <summary>Renders a hook for files in a fake lineage folder and runs it with sh, fake postfix and postmap on PATH.</summary>
    private sealed class HookRun : IDisposable
    {
        private readonly TempDir _dir = new();

        public HookRun(string lineageName, string? sniSource = null)
        {
            Lineage = Path.Combine(_dir.Path, "live", lineageName);
            Directory.CreateDirectory(Lineage);
            var config = new TlsConfiguration { PostfixVersion = PostfixVersion.Parse("3.7") }
                .Set("smtpd_tls_chain_files", [Path.Combine(Lineage, "privkey.pem"), Path.Combine(Lineage, "fullchain.pem")]);
            if (sniSource is not null)
            {
                config = config.Set("tls_server_sni_maps", "lmdb:" + _dir.Write("sni", sniSource));
            }

            var rendered = PostfixTls.Render(config, RenderOptions.Default with { ReloadHooks = ReloadHooks.Certbot });
            rendered.GetValueOrThrow().WriteTo(_dir.File("out"));
            Directory.CreateDirectory(_dir.File("bin"));
            foreach (var tool in new[] { "postfix", "postmap" })
            {
                _dir.Write("bin/" + tool, $"#!/bin/sh\necho \"{tool} $*\" >> \"$HOOK_LOG\"\n[ \"$1\" != status ] || exit \"${{STATUS_EXIT:-0}}\"\n");
                File.SetUnixFileMode(_dir.File("bin/" + tool), CertificateFiles.Mode755);
            }
        }

        public string Lineage { get; }

        public string SniTable => "lmdb:" + _dir.File("sni");

        public (int ExitCode, string Log) Run(string renewedLineage, int statusExit = 0)
        {
            var log = _dir.File("log");
            File.WriteAllText(log, string.Empty);
            var psi = new ProcessStartInfo(_dir.File("out/certbot-deploy-hook-postfix")) { UseShellExecute = false, RedirectStandardError = true };
            psi.Environment["PATH"] = _dir.File("bin") + ":/usr/bin:/bin";
            psi.Environment["RENEWED_LINEAGE"] = renewedLineage;
            psi.Environment["HOOK_LOG"] = log;
            psi.Environment["STATUS_EXIT"] = statusExit.ToString(System.Globalization.CultureInfo.InvariantCulture);
            using var process = Process.Start(psi)!;
            var stderr = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(30_000), "the hook did not finish");
            Assert.True(stderr.Length == 0, stderr);
            return (process.ExitCode, File.ReadAllText(log));
        }

        public void Dispose() => _dir.Dispose();
    }

    [Fact]
    public void CertbotHook_RenewedLineageUsedByPostfix_Reloads()
    {
        using var hook = new HookRun("mail.example.com");

        Assert.Equal((0, "postfix status\npostfix reload\n"), hook.Run(hook.Lineage));
    }

    [Fact]
    public void CertbotHook_OtherLineage_DoesNothing()
    {
        using var hook = new HookRun("mail.example.com");

        Assert.Equal((0, string.Empty), hook.Run(hook.Lineage + "-ecdsa"));
        Assert.Equal((0, string.Empty), hook.Run(Path.GetDirectoryName(hook.Lineage)!.Replace("live", "other", StringComparison.Ordinal)));
    }

    [Fact]
    public void CertbotHook_PostfixNotRunning_NoReloadAndSuccess()
    {
        using var hook = new HookRun("mail.example.com");

        Assert.Equal((0, "postfix status\n"), hook.Run(hook.Lineage, statusExit: 1));
    }

    [Fact]
    public void CertbotHook_QuotesAndPercentInPath_MatchedLiterally()
    {
        using var hook = new HookRun("it's-100%-*mail*");

        Assert.Equal((0, "postfix status\npostfix reload\n"), hook.Run(hook.Lineage));
        Assert.Equal((0, string.Empty), hook.Run(hook.Lineage.Replace("*mail*", "xmailx", StringComparison.Ordinal)));
    }

    [Fact]
    public void CertbotHook_LineageListedInSniTable_RebuildsTableAndReloads()
    {
        using var hook = new HookRun("mail.example.com", sniSource: "mail.example.org /le/live/mail.example.org/privkey.pem /le/live/mail.example.org/fullchain.pem\n");

        var (exitCode, log) = hook.Run("/le/live/mail.example.org");

        Assert.Equal(0, exitCode);
        Assert.Equal($"postmap -F {hook.SniTable}\npostfix status\npostfix reload\n", log);
    }

    [Theory]
    [InlineData(ReloadHooks.Certbot, new[] { "certbot-deploy-hook-postfix" })]
    [InlineData(ReloadHooks.Systemd, new[] { "postfix-certificates.path", "postfix-certificates.service" })]
    public void Render_OneHookAsked_OnlyItsFiles(ReloadHooks hooks, string[] expected)
    {
        var config = new TlsConfiguration { PostfixVersion = PostfixVersion.Parse("3.7") }
            .Set("smtpd_tls_chain_files", ["/etc/letsencrypt/live/mail.example.com/privkey.pem", "/etc/letsencrypt/live/mail.example.com/fullchain.pem"]);

        var rendered = Render(config, hooks).GetValueOrThrow();

        Assert.Equal(expected, rendered.Files.Where(f => f.Kind == RenderedFileKind.Auxiliary).Select(f => f.FileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Render_HookWarningWithoutADiagnosticsList_StillRenders()
    {
        // The internal entry point without a diagnostics list: the hooks' warning (no certificate files) must not need one.
        var config = new TlsConfiguration { PostfixVersion = PostfixVersion.Parse("3.7") }.Set("smtpd_tls_security_level", "may");
        var rendered = ConfigurationRenderer.Render(config, TargetRelease.For(PostfixVersion.Parse("3.7.11")), RenderOptions.Default with { ReloadHooks = ReloadHooks.Certbot | ReloadHooks.Systemd });
        Assert.Equal(["main.cf"], rendered.Files.Select(f => f.FileName));
    }
}
