using System.Collections.Immutable;
using PostfixConfig.Catalog;
using PostfixConfig.Certificates;
using PostfixConfig.Diagnostics;
using PostfixConfig.MainCf;
using PostfixConfig.Text;
using PostfixConfig.Validation;
using Scriban;
using Scriban.Runtime;

namespace PostfixConfig.Rendering;

/// <summary>
/// Turns a (validated) configuration into files: prepares the view model in C# (ordering,
/// formatting, joining) and hands it to the Scriban templates, which only do layout.
/// </summary>
internal static class ConfigurationRenderer
{
    private static readonly (ParameterScope Scope, string Title)[] Groups =
    [
        (ParameterScope.Server, "TLS: SMTP server (smtpd)"),
        (ParameterScope.Postscreen, "TLS: postscreen"),
        (ParameterScope.Client, "TLS: SMTP client (smtp)"),
        (ParameterScope.Lmtp, "TLS: LMTP client (lmtp)"),
        (ParameterScope.TlsProxy, "TLS: tlsproxy"),
        (ParameterScope.Shared, "TLS: shared settings"),
        (ParameterScope.Other, "Other parameters"),
    ];

    /// <summary>The first release whose stock services the master.cf template (Debian's of 3.7) can stand for.</summary>
    public static readonly PostfixVersion MasterCfSince = new(3, 0);

    /// <summary>The release from which master.cf has the postlog service (postlogd, type unix-dgram).</summary>
    private static readonly PostfixVersion PostlogSince = new(3, 4);

    /// <summary>
    /// Renders a validated configuration: no value (and the validation's diagnostics) when it has an
    /// error; otherwise main.cf, master.cf for services, the maps and the reload hooks asked for.
    /// </summary>
    public static Result<RenderedConfiguration> Render(ValidatedConfiguration validated, RenderOptions options)
    {
        var diagnostics = validated.Found;
        if (validated.HasErrors)
        {
            return new Result<RenderedConfiguration>(null, DiagnosticList.Create(diagnostics));
        }

        var release = validated.Release!;
        var config = validated.Effective;
        if (config.Services.Count > 0 && release.Version < MasterCfSince)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.MasterCfNotRendered, "services",
                $"render writes master.cf from Debian's stock file of Postfix 3.7, whose services need Postfix {MasterCfSince} or later; for Postfix {release.Given} edit the host's master.cf with 'postfix-config merge' instead.",
                config.Services[0].Span));
            return new Result<RenderedConfiguration>(null, DiagnosticList.Create(diagnostics));
        }

        var rendered = Render(config, release, options, diagnostics, validated.Expanded!.Profile);
        return new Result<RenderedConfiguration>(rendered, DiagnosticList.Create(diagnostics));
    }

    /// <summary>Renders an expanded configuration for <paramref name="release"/>; <paramref name="profile"/> is named in the headers.</summary>
    public static RenderedConfiguration Render(TlsConfiguration config, TargetRelease release, RenderOptions options, List<Diagnostic>? diagnostics = null, TlsProfile? profile = null)
    {
        var templates = new TemplateSource(options.TemplateDirectory);
        var catalog = ParameterCatalog.Default;
        var files = ImmutableArray.CreateBuilder<RenderedFile>();

        var mainModel = MainCfModel(config, release, catalog, profile);
        var mainText = RenderTemplate(templates, "main.cf.sbn", mainModel, config);
        files.Add(new RenderedFile("main.cf", RenderedFileKind.MainCf, Normalize(mainText)));

        if (config.Services.Count > 0)
        {
            var masterText = RenderTemplate(templates, "master.cf.sbn", MasterCfModel(config, release, profile), config);
            files.Add(new RenderedFile("master.cf", RenderedFileKind.MasterCf, Normalize(masterText)));
        }

        files.AddRange(MapFiles(config, templates));
        files.AddRange(PublishedFiles.Render(config, release, templates, diagnostics ?? []));

        if (options.ReloadHooks != ReloadHooks.None)
        {
            files.AddRange(RenderReloadHooks(config, release, options.ReloadHooks, templates, diagnostics ?? []));
        }

        return new RenderedConfiguration(files.ToImmutable());
    }

    /// <summary>
    /// Renders only the policy map and the SNI table source of a configuration (what merge writes next to
    /// an existing main.cf): main.cf itself is not rendered, so settings that main.cf already had, which
    /// merge leaves as they are even when they could not be rendered, do not stop it.
    /// </summary>
    public static RenderedConfiguration RenderMaps(TlsConfiguration config, RenderOptions options) =>
        new([.. MapFiles(config, new TemplateSource(options.TemplateDirectory))]);

    private static List<RenderedFile> MapFiles(TlsConfiguration config, TemplateSource templates)
    {
        var files = new List<RenderedFile>();
        if (config.TlsPolicy.Count > 0 && config.Main.GetText("smtp_tls_policy_maps") is { } maps
            && PolicyMapTarget.Find(maps) is { } target)
        {
            if (templates.IsUserTemplate("tls_policy.sbn"))
            {
                var policyModel = PolicyModel(config, target);
                files.Add(new RenderedFile(target.FileName, RenderedFileKind.Map,
                    w => w.Write(Normalize(RenderTemplate(templates, "tls_policy.sbn", policyModel, config))), target.Type, target.Path));
            }
            else
            {
                // The built-in template's exact output, streamed (large maps).
                var policy = config.TlsPolicy;
                PolicyMapWriter.EnsureWritable(policy);
                files.Add(new RenderedFile(target.FileName, RenderedFileKind.Map,
                    w => PolicyMapWriter.Write(w, policy, target), target.Type, target.Path));
            }
        }

        if (config.Sni.Count > 0 && config.Main.GetText("tls_server_sni_maps") is { } sniMaps && MapTypes.FirstFileTable(sniMaps) is { } sni)
        {
            files.Add(new RenderedFile(Path.GetFileName(sni.Path), RenderedFileKind.SniMap,
                Normalize(RenderTemplate(templates, "tls_server_sni.sbn", SniModel(config, sni.Type, sni.Path), config)), sni.Type, sni.Path));
        }

        return files;
    }

    /// <summary>The reload hook files (certbot deploy hook, systemd path and service units) for the configured key and certificate files.</summary>
    internal static IEnumerable<RenderedFile> RenderReloadHooks(TlsConfiguration config, TargetRelease release, ReloadHooks hooks, TemplateSource templates, List<Diagnostic> diagnostics, string? configDirectory = null)
    {
        var watched = ReloadHookModel.Collect(config, hooks, diagnostics, configDirectory);
        var header = new List<string> { GeneratedLine(release) };
        if (config.SourcePath is { } source)
        {
            header.Add($"Source: {PostfixText.Printable(Path.GetFileName(source), 200)}. Change the source and render again rather than editing this file.");
        }

        var model = ReloadHookModel.Model(watched, header, configDirectory);
        if ((hooks & ReloadHooks.Certbot) != 0 && (watched.Files.Count > 0 || watched.SniMaps.Count > 0))
        {
            yield return new RenderedFile(ReloadHookModel.CertbotFile, RenderedFileKind.Auxiliary,
                Normalize(RenderTemplate(templates, ReloadHookModel.CertbotTemplate, model, config)), isExecutable: true);
        }

        if ((hooks & ReloadHooks.Systemd) != 0 && watched.Files.Count > 0)
        {
            yield return new RenderedFile(ReloadHookModel.PathUnitFile, RenderedFileKind.Auxiliary,
                Normalize(RenderTemplate(templates, ReloadHookModel.PathUnitTemplate, model, config)));
            yield return new RenderedFile(ReloadHookModel.ServiceUnitFile, RenderedFileKind.Auxiliary,
                Normalize(RenderTemplate(templates, ReloadHookModel.ServiceUnitTemplate, model, config)));
        }
    }

    /// <summary>Formats one main.cf line: <c>name = value</c>, or <c>name =</c> for an empty value.</summary>
    internal static string FormatLine(string name, string value) => value.Length == 0 ? name + " =" : name + " = " + value;

    /// <summary>The view model of master.cf: Debian's stock services with the configured entries in their places.</summary>
    internal static ScriptObject MasterCfModel(TlsConfiguration config, TargetRelease release, TlsProfile? profile)
    {
        var services = ProfileCatalog.Default;
        ScriptArray Entries(ServiceRole role, string? stock)
        {
            var lines = new ScriptArray();
            foreach (var service in config.Services)
            {
                if (services.FindService(service.Name) is { } definition && definition.Role == role)
                {
                    foreach (var line in MasterCfEntries.Lines(service, definition))
                    {
                        lines.Add(OneLine(line));
                    }
                }
            }

            if (lines.Count == 0 && stock is not null)
            {
                lines.Add(stock);
            }

            return lines;
        }

        var smtp = services.FindService("smtp")!;
        return new ScriptObject
        {
            ["header"] = Header(config, release, profile),
            ["smtp"] = Entries(ServiceRole.Port25, MasterCfEntries.EntryLine(smtp.Name, smtp.Fields)),
            ["submission"] = Entries(ServiceRole.Submission, null),
            ["submissions"] = Entries(ServiceRole.Submissions, null),
            ["postlog"] = release.Version >= PostlogSince,
        };
    }

    /// <summary>The first header line of every generated file: the release as it was named (the command line's wins over the file's).</summary>
    internal static string GeneratedLine(TargetRelease release) => $"Generated by postfix-config for Postfix {release.Given}.";

    private static ScriptArray Header(TlsConfiguration config, TargetRelease release, TlsProfile? profile)
    {
        var header = new ScriptArray { GeneratedLine(release) };
        if (config.SourcePath is { } source)
        {
            // The file name is the user's, not validated: escape anything that could end the comment line.
            header.Add($"Source: {PostfixText.Printable(Path.GetFileName(source), 200)}. Change the source and render again rather than editing this file.");
        }

        if (profile is { } p)
        {
            header.Add($"TLS profile: {ProfileCatalog.NameOf(p)} (port 25 opportunistic, the profile's floor where TLS is mandatory).");
        }

        return header;
    }

    internal static ScriptObject MainCfModel(TlsConfiguration config, TargetRelease release, ParameterCatalog catalog, TlsProfile? profile = null)
    {
        var groups = new ScriptArray();
        foreach (var (scope, title) in Groups)
        {
            var lines = new ScriptArray();
            foreach (var (name, value) in config.Main)
            {
                var s = catalog.Find(name)?.Scope ?? ParameterScope.Other;
                if (s != scope)
                {
                    continue;
                }

                lines.Add(new ScriptObject
                {
                    ["name"] = OneLine(name),
                    ["value"] = OneLine(value.Text),
                    ["line"] = OneLine(FormatLine(name, value.Text)),
                });
            }

            if (lines.Count > 0)
            {
                groups.Add(new ScriptObject { ["title"] = title, ["parameters"] = lines });
            }
        }

        return new ScriptObject
        {
            ["header"] = Header(config, release, profile),
            ["groups"] = groups,
            ["postfix_version"] = release.Given.ToString(),
        };
    }

    /// <summary>The view model of the SNI table source: one line per name, the files separated by spaces.</summary>
    internal static ScriptObject SniModel(TlsConfiguration config, string type, string path)
    {
        var entries = new ScriptArray(config.Sni.Count);
        foreach (var e in config.Sni)
        {
            entries.Add(new ScriptObject { ["key"] = OneLine(e.Name.ToLowerInvariant()), ["files"] = OneLine(string.Join(' ', e.Files)) });
        }

        return new ScriptObject
        {
            ["header"] = new ScriptArray
            {
                $"SNI table for tls_server_sni_maps = {type}:{path}: a host name (or .domain), then its private key file and certificate chain file(s).",
                $"Generated by postfix-config. Install it as {path}, then run: postmap -F {type}:{path}",
                "(-F puts the files' contents into the table: run it again after every certificate renewal, then postfix reload).",
            },
            ["entries"] = entries,
        };
    }

    internal static ScriptObject PolicyModel(TlsConfiguration config, PolicyMapTarget target)
    {
        var entries = new ScriptArray(config.TlsPolicy.Count);
        foreach (var e in config.TlsPolicy)
        {
            entries.Add(new ScriptObject { ["key"] = OneLine(e.Destination), ["value"] = OneLine(e.RenderValue()) });
        }

        return new ScriptObject
        {
            ["header"] = new ScriptArray(PolicyMapWriter.HeaderLines(target).Select(OneLine)),
            ["entries"] = entries,
        };
    }

    /// <summary>
    /// The last line of defence against setting injection: validation reports line breaks and other
    /// control characters (<c>TextSafetyRules</c>), and a value that still has one here is a bug, so
    /// rendering stops before anything is written.
    /// </summary>
    internal static string OneLine(string text)
    {
        if (text.AsSpan().IndexOfAny(LineBreakers) >= 0)
        {
            throw new InvalidOperationException(
                $"Refusing to render '{PostfixText.Printable(text)}': it contains a line break or control character that validation should have reported.");
        }

        return text;
    }

    private static readonly System.Buffers.SearchValues<char> LineBreakers = System.Buffers.SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F");

    internal static string RenderTemplate(TemplateSource templates, string name, ScriptObject model, TlsConfiguration config)
    {
        var template = templates.Get(name);
        var context = templates.HasUserFolder ? SandboxedContext(templates, config) : TrustedContext(templates);
        context.PushGlobal(model);
        try
        {
            return template.Render(context);
        }
        catch (Scriban.Syntax.ScriptAbortException)
        {
            throw new TemplateException(name, "rendering was stopped");
        }
        catch (Scriban.Syntax.ScriptRuntimeException e) when (e.InnerException is TemplateException inner)
        {
            throw new TemplateException(name, $"{inner.Message} (at {Path.GetFileName(e.Span.FileName)}:{e.Span.Start.Line + 1}:{e.Span.Start.Column + 1})");
        }
        catch (Scriban.Syntax.ScriptRuntimeException e)
        {
            throw new TemplateException(name, e.OriginalMessage + (e.Span.FileName is { Length: > 0 } f ? $" (at {Path.GetFileName(f)}:{e.Span.Start.Line + 1}:{e.Span.Start.Column + 1})" : string.Empty));
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            throw new TemplateException(name, $"a regular expression ran longer than {TemplateLimits.RegexTimeout.TotalSeconds} seconds");
        }
    }

    /// <summary>The built-in templates: trusted, and they must handle any size of table, so no limits.</summary>
    /// <summary>
    /// For the built-in templates: no builtin functions (they use none), which spares every process
    /// Scriban's reflection-built function table (about two thirds of a small render's start-up).
    /// </summary>
    private static TemplateContext TrustedContext(TemplateSource templates) => new(new ScriptObject())
    {
        StrictVariables = true,
        EnableRelaxedMemberAccess = false,
        LoopLimit = 0,
        RecursiveLimit = 64,
        LimitToString = 0,
        OutputLimit = 0,
        TemplateLoader = templates,
        NewLine = "\n",
        MemberRenamer = member => member.Name,
        MemberFilter = _ => false,
    };

    /// <summary>
    /// When a user templates folder is in play (its templates may replace or be included by any
    /// template): no .NET members reachable (the model holds only Scriban objects and strings), loops,
    /// recursion, regular expressions, single strings and the output all bounded, and a limit hit is
    /// an error (Scriban's default is to truncate silently, which would write a cut-off file).
    /// </summary>
    internal static TemplateContext SandboxedContext(TemplateSource templates, TlsConfiguration config)
    {
        var items = (long)config.Main.Count + config.TlsPolicy.Count;
        var modelChars = config.Main.Sum(p => (long)p.Key.Length + p.Value.Text.Length)
            + config.TlsPolicy.Sum(e => (long)e.Destination.Length + 64 + e.OtherAttributes.Sum(a => a.Value.Length)
                + e.Protocols.Sum(x => x.Length) + e.Exclude.Sum(x => x.Length) + e.Match.Sum(x => x.Length) + e.TaFile.Sum(x => x.Length));
        return new TemplateContext
        {
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            LoopLimit = (int)Math.Min(int.MaxValue, TemplateLimits.LoopIterations + (TemplateLimits.LoopIterationsPerItem * items)),
            RecursiveLimit = TemplateLimits.Recursion,
            LimitToString = TemplateLimits.StringChars,
            OnStringLimit = ScriptLimitBehavior.Throw,
            OutputLimit = (int)Math.Min(int.MaxValue, TemplateLimits.OutputChars + (TemplateLimits.OutputCharsPerModelChar * modelChars)),
            OnOutputLimit = ScriptLimitBehavior.Throw,
            RegexTimeOut = TemplateLimits.RegexTimeout,
            TemplateLoader = templates,
            NewLine = "\n",
            MemberRenamer = member => member.Name,
            MemberFilter = _ => false,
        };
    }

    /// <summary>LF line ends and exactly one trailing newline.</summary>
    internal static string Normalize(string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var trimmed = text.TrimEnd('\n');
        return trimmed.Length == 0 ? string.Empty : trimmed + "\n";
    }
}
