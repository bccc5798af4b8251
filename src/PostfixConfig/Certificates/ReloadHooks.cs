using PostfixConfig.Diagnostics;
using PostfixConfig.Text;
using Scriban.Runtime;

namespace PostfixConfig.Certificates;

/// <summary>
/// Which reload hooks <see cref="PostfixTls.Render(TlsConfiguration, RenderOptions?)"/> writes next
/// to main.cf. Postfix reads keys and certificates when its processes start and never notices a
/// renewed file by itself; a hook runs <c>postfix reload</c> after a renewal.
/// </summary>
[Flags]
public enum ReloadHooks
{
    /// <summary>No hook (the default).</summary>
    None = 0,

    /// <summary>
    /// <c>certbot-deploy-hook-postfix</c> (mode 0755): a certbot deploy hook, to install as
    /// <c>/etc/letsencrypt/renewal-hooks/deploy/postfix</c>. It reloads Postfix only when the
    /// renewed lineage holds a file Postfix uses.
    /// </summary>
    Certbot = 1,

    /// <summary>
    /// <c>postfix-certificates.path</c> and <c>postfix-certificates.service</c>: a systemd path
    /// unit that watches the key and certificate files and a service that reloads Postfix, to
    /// install in <c>/etc/systemd/system/</c>.
    /// </summary>
    Systemd = 2,
}

/// <summary>Builds the view models of the reload hook templates (<c>templates/reload-hooks/</c>).</summary>
internal static class ReloadHookModel
{
    public const string CertbotFile = "certbot-deploy-hook-postfix";
    public const string PathUnitFile = "postfix-certificates.path";
    public const string ServiceUnitFile = "postfix-certificates.service";
    public const string CertbotTemplate = "reload-hooks/certbot-deploy.sbn";
    public const string PathUnitTemplate = "reload-hooks/systemd-path.sbn";
    public const string ServiceUnitTemplate = "reload-hooks/systemd-service.sbn";

    /// <summary>The files and indexed SNI tables the hooks care about, with warnings for what they cannot watch.</summary>
    public sealed record Watched(IReadOnlyList<string> Files, IReadOnlyList<(string Map, string Source)> SniMaps);

    public static Watched Collect(TlsConfiguration config, ReloadHooks hooks, List<Diagnostic> diagnostics, string? configDirectory = null)
    {
        var expander = new ParameterExpander(config.Main, configDirectory ?? CertificateCheckOptions.Default.ConfigDirectory);
        var files = new List<string>();
        foreach (var parameter in CertificateChecker.FileParameters())
        {
            if (!config.Main.TryGetValue(parameter, out var value))
            {
                continue;
            }

            var expanded = expander.Expand(value.Text, out var unresolved);
            if (expanded is null)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.ReloadHookIncomplete, parameter,
                    $"The reload hook cannot watch {value.Text}: {unresolved} is not set in this configuration. Write the path out in {parameter}.", value.Span));
                continue;
            }

            foreach (var file in PostfixText.SplitList(expanded))
            {
                if (file == "none")
                {
                    continue;
                }

                if (!Path.IsPathRooted(file))
                {
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.ReloadHookIncomplete, parameter,
                        $"The reload hook cannot watch {file}: it is a relative path. Write the absolute path in {parameter}.", value.Span));
                    continue;
                }

                if (!files.Contains(file, StringComparer.Ordinal))
                {
                    files.Add(file);
                }
            }
        }

        var sniMaps = new List<(string, string)>();
        if (config.Main.TryGetValue("tls_server_sni_maps", out var sni) && expander.Expand(sni.Text, out _) is { } sniText)
        {
            foreach (var table in PostfixText.SplitList(sniText))
            {
                var colon = table.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && Catalog.MapTypes.IsIndexed(table[..colon]) && Path.IsPathRooted(table[(colon + 1)..]))
                {
                    sniMaps.Add((table, table[(colon + 1)..]));
                }
            }
        }

        var span = config.SourcePath is null ? (SourceSpan?)null : new SourceSpan(config.SourcePath, 1, 1);
        if (files.Count == 0 && sniMaps.Count == 0)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.ReloadHookIncomplete, null,
                "The reload hook has no file to watch: the configuration names no key or certificate file (smtpd_tls_chain_files, smtpd_tls_cert_file, ...). Set them, or leave out the reload hook.", span));
        }
        else if ((hooks & ReloadHooks.Certbot) != 0 && sniMaps.Count == 0 && !files.Any(f => f.Contains("/live/", StringComparison.Ordinal)))
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.ReloadHookIncomplete, null,
                "The certbot hook can never fire: no key or certificate file Postfix uses is inside a certbot lineage folder (/etc/letsencrypt/live/NAME/). Point Postfix at the live files (privkey.pem, fullchain.pem) rather than at copies.", span));
        }

        if ((hooks & ReloadHooks.Systemd) != 0 && config.Main.ContainsKey("tls_server_sni_maps"))
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Info, DiagnosticCodes.ReloadHookIncomplete, "tls_server_sni_maps",
                $"The systemd path unit watches only the files main.cf names, not those listed in the SNI table; add PathChanged= lines for them to {PathUnitFile} (the certbot hook finds them by itself).", sni?.Span));
        }

        return new Watched(files, sniMaps);
    }

    /// <summary>The view model of the hook templates; <paramref name="configDirectory"/> (other than /etc/postfix) becomes <c>config_option</c>, <c> -c 'DIR'</c>.</summary>
    public static ScriptObject Model(Watched watched, IReadOnlyList<string> header, string? configDirectory = null)
    {
        var files = new ScriptArray();
        foreach (var file in watched.Files)
        {
            files.Add(new ScriptObject { ["path"] = file, ["sh"] = ShellQuote(file), ["systemd"] = SystemdPath(file) });
        }

        var watch = new ScriptArray();
        foreach (var path in SystemdWatchPaths(watched.Files))
        {
            watch.Add(new ScriptObject { ["path"] = path, ["systemd"] = SystemdPath(path) });
        }

        var maps = new ScriptArray();
        foreach (var (map, source) in watched.SniMaps)
        {
            maps.Add(new ScriptObject
            {
                ["map"] = map,
                ["sh"] = ShellQuote(map),
                ["source_sh"] = ShellQuote(source),
                ["systemd"] = SystemdArgument(map),
            });
        }

        var headerLines = new ScriptArray();
        foreach (var line in header)
        {
            headerLines.Add(line);
        }

        return new ScriptObject
        {
            ["header"] = headerLines,
            ["files"] = files,
            ["watch"] = watch,
            ["sni_maps"] = maps,
            ["name"] = PathUnitFile,
            ["service"] = ServiceUnitFile,
            ["path_unit"] = PathUnitFile,
            ["config_option"] = configDirectory is null || configDirectory == CertificateCheckOptions.Default.ConfigDirectory ? string.Empty : " -c " + ShellQuote(configDirectory),
        };
    }

    /// <summary>
    /// What the systemd path unit watches. systemd watches the target of a symbolic link, and
    /// certbot renews by pointing the links in <c>live/NAME/</c> at new files while the old
    /// targets stay unchanged, so files in a certbot lineage are watched through their folder
    /// (a link replaced there is a change of the folder); other files are watched themselves.
    /// </summary>
    internal static IReadOnlyList<string> SystemdWatchPaths(IEnumerable<string> files)
    {
        var paths = new List<string>();
        foreach (var file in files)
        {
            var folder = Path.GetDirectoryName(file);
            var watch = folder is not null && Path.GetFileName(Path.GetDirectoryName(folder)) == "live" ? folder : file;
            if (!paths.Contains(watch, StringComparer.Ordinal))
            {
                paths.Add(watch);
            }
        }

        return paths;
    }

    /// <summary>A word for POSIX sh: single-quoted, with embedded quotes closed and escaped.</summary>
    internal static string ShellQuote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>A path for a systemd unit setting: <c>%</c> starts a specifier, so it is doubled.</summary>
    internal static string SystemdPath(string path) => path.Replace("%", "%%", StringComparison.Ordinal);

    /// <summary>
    /// One argument of a systemd command line: quoted with double quotes and C escapes, with
    /// <c>%</c> and <c>$</c> doubled (specifiers and variables).
    /// </summary>
    internal static string SystemdArgument(string text)
    {
        var escaped = text.Replace("%", "%%", StringComparison.Ordinal).Replace("$", "$$", StringComparison.Ordinal);
        if (escaped.All(c => char.IsAsciiLetterOrDigit(c) || "/:._-+=,@%$".Contains(c, StringComparison.Ordinal)))
        {
            return escaped;
        }

        return "\"" + escaped.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
